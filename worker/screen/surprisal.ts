/**
 * Unnaturalness: a character trigram language model of harmless text, and per-window statistics
 * of how surprising a text is to it. Adversarial suffixes (GCG) and token soup are made of
 * glued word pieces, brackets and stray punctuation that ordinary text of any language rarely
 * contains; n-gram features cannot see "this is not language", a language model can.
 *
 * The model is two tables of quantized log counts (hashed buckets), built by training from the
 * harmless training texts (wasm-models/lib/lm.ts) and shipped as lm-table.ts:
 *   surprisal(p) = round(8·log2(count(context) + V)) − round(8·log2(count(trigram) + 1)),
 * in eighths of a bit (add-one smoothing over an alphabet of V), computed with integers only, so
 * training and Worker agree bit for bit.
 */
import { fmix32 } from "../hash";

export const TRI_BITS = 18;
export const CTX_BITS = 16;
/** Alphabet size of the add-one smoothing. */
export const LM_V = 256;
/** Log counts are stored in eighths of a bit. */
export const LM_SCALE = 8;

export interface CharLm {
  /** round(LM_SCALE · log2(count + 1)) per trigram bucket. */
  trigram: Uint8Array;
  /** round(LM_SCALE · log2(count + LM_V)) per context (bigram) bucket. */
  context: Uint8Array;
  /** All tables zero (a model shipped without the language model): every surprisal is 0, so it is not computed. */
  empty?: boolean;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/** Bucket of the context (two code units) and of the trigram ending at position p (p >= 2). */
export function lmBuckets(t: string, p: number): [number, number] {
  let h = Math.imul(FNV_OFFSET ^ t.charCodeAt(p - 2), FNV_PRIME);
  h = Math.imul(h ^ t.charCodeAt(p - 1), FNV_PRIME);
  const ctx = fmix32(h ^ 0x2545f491) >>> (32 - CTX_BITS);
  const tri = fmix32(Math.imul(h ^ t.charCodeAt(p), FNV_PRIME)) >>> (32 - TRI_BITS);
  return [ctx, tri];
}

/** Surprisal of every position of `t` (0 for the first two, which have no context). */
export function surprisals(t: string, lm: CharLm): Int32Array {
  const out = new Int32Array(t.length);
  for (let p = 2; p < t.length; p++) {
    const [ctx, tri] = lmBuckets(t, p);
    const s = lm.context[ctx]! - lm.trigram[tri]!;
    out[p] = s > 0 ? s : 0;
  }
  return out;
}

/** Span of positions the local maximum is taken over (a short suffix inside a long window). */
export const LOCAL = 24;
/** Thresholds (eighths of a bit) of the thermometer-coded statistics, fixed before training. */
const MEAN_STEPS = [24, 28, 32, 36, 40, 48, 56, 64];
const LOCAL_STEPS = [32, 36, 40, 44, 48, 52, 56, 64];
/** Share of positions above RARE (8 bits), in 1/64ths. */
const RARE = 64;
const RARE_STEPS = [1, 2, 3, 4, 6, 8, 12, 16];
/** Number of extra features (their indices follow the hashed buckets). */
export const SURPRISAL_FEATURES = MEAN_STEPS.length + LOCAL_STEPS.length + RARE_STEPS.length;
/** Every active extra feature has this value (float32-exact). */
export const SURPRISAL_VALUE = 0.25;

/**
 * Extra feature offsets (0 .. SURPRISAL_FEATURES-1) active for the window [a, b) of a text whose
 * surprisals are `s`: each statistic switches on every step it reaches (a thermometer code, so a
 * linear model can give each level its own weight). Windows with fewer than LOCAL scored
 * positions get none: a few characters say nothing about naturalness. Statistics: the mean
 * surprisal, the highest mean over LOCAL consecutive positions (a short suffix in a long
 * window), and the share of positions above RARE.
 */
export function surprisalFeatures(s: Int32Array, a: number, b: number): number[] {
  // Only trigrams wholly inside the window: a line's window cut from the whole text then equals
  // the line featurized alone (featurize.ts relies on that), and a window is judged by its own text.
  const first = a + 2;
  const n = b - first;
  if (n < LOCAL) return [];
  let sum = 0;
  let rare = 0;
  let run = 0;
  let best = 0;
  for (let p = first; p < b; p++) {
    const v = s[p]!;
    sum += v;
    if (v > RARE) rare++;
    run += v;
    if (p - first >= LOCAL) run -= s[p - LOCAL]!;
    if (p - first >= LOCAL - 1 && run > best) best = run;
  }
  const out: number[] = [];
  // Integer comparisons: mean >= step  <=>  sum >= step·n.
  MEAN_STEPS.forEach((step, k) => sum >= step * n && out.push(k));
  LOCAL_STEPS.forEach((step, k) => best >= step * LOCAL && out.push(MEAN_STEPS.length + k));
  RARE_STEPS.forEach((step, k) => rare * 64 >= step * n && out.push(MEAN_STEPS.length + LOCAL_STEPS.length + k));
  return out;
}
