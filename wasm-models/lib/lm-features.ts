/**
 * Features under many language models without hashing the texts again: leave-one-source-out
 * builds one language model per fold (from that fold's harmless training texts only), and only
 * the unnaturalness features depend on it. The hashed part of every window is computed once;
 * per fold, the unnaturalness features are appended exactly as the featurizer appends them
 * (train.ts checks the result against screeningWindows() for the shipped model, text by text).
 */
import { DIM, normalize, screeningPlan, screeningWindows, windowSpans, type SparseVector, type WindowSource } from "../../worker/screen/featurize";
import { CTX_BITS, surprisalFeatures, surprisals, SURPRISAL_VALUE, TRI_BITS, type CharLm } from "../../worker/screen/surprisal";
import type { Sample } from "./data";
import type { Featurized } from "./examples";

/** A model of nothing: every surprisal is 0, so no unnaturalness feature fires (the previous model's features). */
export const EMPTY_LM: CharLm = { trigram: new Uint8Array(1 << TRI_BITS), context: new Uint8Array(1 << CTX_BITS), empty: true };

export interface Cached extends Featurized {
  plan: WindowSource[];
  /** Every scored window's hashed part (features under EMPTY_LM). */
  hashed: SparseVector[];
  sliding: number;
}

export function cacheFeatures(sample: Sample): Cached {
  const hashed = screeningWindows(sample.text, EMPTY_LM);
  return { sample, windows: [], scored: [], plan: screeningPlan(sample.text), hashed, sliding: windowSpans(normalize(sample.text).length).length };
}

export function withLm(c: Cached, lm: CharLm): Featurized {
  if (lm === EMPTY_LM) return { sample: c.sample, windows: c.hashed.slice(0, c.sliding), scored: c.hashed };
  const bySource = new Map<string, Int32Array>();
  const scored = c.hashed.map((h, k) => {
    const { t, a, b } = c.plan[k]!;
    let s = bySource.get(t);
    if (!s) bySource.set(t, (s = surprisals(t, lm)));
    const extra = surprisalFeatures(s, a, b);
    if (extra.length === 0) return h;
    const indices = new Int32Array(h.indices.length + extra.length);
    const values = new Float32Array(h.values.length + extra.length);
    indices.set(h.indices);
    values.set(h.values);
    extra.forEach((e, j) => {
      indices[h.indices.length + j] = DIM + e;
      values[h.values.length + j] = SURPRISAL_VALUE;
    });
    return { indices, values };
  });
  return { sample: c.sample, windows: scored.slice(0, c.sliding), scored };
}
