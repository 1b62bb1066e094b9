/**
 * Scores texts: every text is cut into windows (sliding windows, plus one per line of a long
 * text), all windows of a request go through the model together (one inference per MAX_BATCH
 * windows), and a text is as suspicious as its most suspicious window, so an attack at the end
 * of a long document is not averaged away. A text also scores at least its suffix head score
 * (soup.ts: optimised token soup, which the classifier cannot learn from examples), and at least
 * DIRECTIVE_SCORE when the directive head finds an injection or jailbreak said in so many words
 * (directives.ts; `operatorTexts`, the texts a tenant's own application wrote as system or
 * developer messages, are read in the operator's voice).
 */
import { packRowsPooled, type PooledBatch } from "./batch";
import { ScreeningUnavailable } from "./errors";
import { normalize, withScreeningRows } from "./featurize";
import type { ScreeningModel } from "./model";
import { DIRECTIVE_SCORE, directiveHit, type DirectiveFamily } from "./directives";
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
  /** The directive family found in the text that scored highest, if one raised its score. */
  directive: DirectiveFamily | null;
}

export async function scoreTexts(model: ScreeningModel, texts: readonly string[], operatorTexts: ReadonlySet<string> = new Set()): Promise<ScreenScore> {
  const head = bundledSoupHead();
  const normalized = texts.map((text) => normalize(text));
  const perText = normalized.map((t) => soupScore(t, head));
  // Packed straight from the featurizer's scratch, before anything else can run the featurizer.
  const { batches, owner } = withScreeningRows(texts, normalized, (rows) => {
    const owner = rows.perText.flatMap((n, t) => Array<number>(n).fill(t));
    const batches: PooledBatch[] = [];
    for (let start = 0; start < owner.length; start += MAX_BATCH) batches.push(packRowsPooled(rows, start, Math.min(owner.length, start + MAX_BATCH)));
    return { batches, owner };
  });
  try {
    for (const [k, batch] of batches.entries()) {
      // onnxruntime copies the inputs into its own memory: the buffers go back to the pool once it has returned.
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
        const t = owner[k * MAX_BATCH + i]!;
        if (s > perText[t]!) perText[t] = s;
      });
    }
  } finally {
    // The batches a failure left unscored.
    for (const batch of batches) batch.release();
  }
  const directives = normalized.map((t, i) => directiveHit(t, operatorTexts.has(texts[i]!) ? "system" : "other"));
  directives.forEach((family, i) => {
    if (family && DIRECTIVE_SCORE > perText[i]!) perText[i] = DIRECTIVE_SCORE;
  });
  const score = Math.max(0, ...perText);
  // Named only when the directive decided the score: a classifier score above it decided instead.
  const top = perText.indexOf(score);
  const directive = score === DIRECTIVE_SCORE ? (directives[top] ?? null) : null;
  return { score, perText, windows: owner.length, directive };
}
