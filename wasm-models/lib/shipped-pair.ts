/**
 * The shipped classifier and suffix head as the Worker scores a text (worker/screen/score.ts; the
 * directive head, which the Worker also applies, is measured apart by directive-head.ts):
 * `screen.onnx` over every screening window through onnxruntime, the bundled suffix head on the
 * normalized text; the text scores the higher, flagged at the default threshold.
 * Used by score-shipped.ts and soup-blind-pair.ts.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { normalize, screeningWindows } from "../../worker/screen/featurize";
import { soupScore } from "../../worker/screen/soup";
import { bundledSoupHead } from "../../worker/screen/soup-lm";
import { onnxScorer } from "./onnx-score";
import { headOf } from "./soup-table-file";

export const DEFAULT_THRESHOLD = 0.9;

export interface PairScore {
  classifier: number;
  head: number;
  /** The higher of the two: what the Worker compares with the threshold. */
  score: number;
}

/** With `soupTable` (a soup-table.ts module's path), that suffix head instead of the bundled one (a candidate's). */
export async function shippedPair(soupTable?: string): Promise<(text: string) => Promise<PairScore>> {
  const classifier = await onnxScorer(readFileSync(fileURLToPath(new URL("../screen.onnx", import.meta.url))));
  const head = soupTable ? await headOf(soupTable) : bundledSoupHead();
  return async (text) => {
    const c = await classifier(screeningWindows(text));
    const h = soupScore(normalize(text), head);
    return { classifier: c, head: h, score: Math.max(c, h) };
  };
}
