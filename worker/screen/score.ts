/**
 * Scores texts: every text is cut into windows (sliding windows, plus one per line of a long
 * text), all windows of a request go through the model together (one inference per MAX_BATCH
 * windows), and a text is as suspicious as its most suspicious window, so an attack at the end
 * of a long document is not averaged away. A text also scores at least its suffix head score
 * (soup.ts: optimised token soup, which the classifier cannot learn from examples).
 */
import { packPooled } from "./batch";
import { ScreeningUnavailable } from "./errors";
import { normalize, screeningWindows, type SparseVector } from "./featurize";
import type { ScreeningModel } from "./model";
import { soupScore } from "./soup";
import { bundledSoupHead } from "./soup-lm";

/** Bounds the tensors of one inference (~1 MB each) for very large bodies. */
const MAX_BATCH = 512;

export interface ScreenScore {
  /** The highest score of any window of any text, 0..1 (0 when there is no text). */
  score: number;
  /** The highest score per input text, in input order. */
  perText: number[];
  /** Windows scored. */
  windows: number;
}

export async function scoreTexts(model: ScreeningModel, texts: readonly string[]): Promise<ScreenScore> {
  const windows: SparseVector[] = [];
  const owner: number[] = [];
  const head = bundledSoupHead();
  const perText = texts.map(() => 0);
  texts.forEach((text, t) => {
    const normalized = normalize(text);
    perText[t] = soupScore(normalized, head);
    for (const w of screeningWindows(text, undefined, normalized)) {
      windows.push(w);
      owner.push(t);
    }
  });
  for (let start = 0; start < windows.length; start += MAX_BATCH) {
    // onnxruntime copies the inputs into its own memory: the buffers go back to the pool once it has returned.
    const batch = packPooled(windows.slice(start, start + MAX_BATCH));
    let scores: Float32Array;
    try {
      const { runScreen } = await import("./ort-runtime");
      scores = await runScreen(model.session, batch.indices, batch.values, batch.rows, batch.width);
    } catch (cause) {
      throw new ScreeningUnavailable("runtime_error", "inference failed", { cause });
    } finally {
      batch.release();
    }
    scores.forEach((s, i) => {
      const t = owner[start + i]!;
      if (s > perText[t]!) perText[t] = s;
    });
  }
  return { score: Math.max(0, ...perText), perText, windows: windows.length };
}
