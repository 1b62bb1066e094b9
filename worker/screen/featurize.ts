/**
 * The screening featurizer: text -> normalized string -> overlapping windows -> one sparse,
 * L2-normalized vector of hashed character 4- and 5-grams, words and word pairs per window.
 *
 * This one module is imported by the training script (Node) and by the Worker (workerd); the
 * model is only valid if both produce the same vectors bit for bit, which
 * test/screening/featurize-vectors.test.ts checks against vectors written by training. Hence the
 * choices below: integer hashing with Math.imul, integer counts, values made with Math.sqrt
 * (correctly rounded everywhere, unlike log), results rounded to float32 once.
 *
 * Changing anything here changes the model's input: bump FEATURIZER_VERSION and retrain
 * (the signed manifest records the version and the Worker refuses a mismatch).
 */

export const FEATURIZER_VERSION = "warden-hash-ngram-v2";

/** Number of hash buckets (a power of two); the model holds one weight per bucket. */
export const DIM = 1 << 16;
/** Window length and stride in UTF-16 code units of the normalized text. */
export const WINDOW = 512;
export const STRIDE = 256;
/** Lines shorter than this (normalized) get no window of their own. */
export const MIN_LINE = 16;
/** Character n-gram lengths (consecutive, ascending: they share one rolling hash). */
export const CHAR_NGRAMS = [4, 5] as const;
/** Each word or word pair counts as much as this many character n-grams (chosen by cross-validation). */
export const WORD_WEIGHT = 3;

/** One window's features: unique bucket indices (in first-seen order) and their values (unit L2 norm). */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SEED_CHAR = 0x3c6ef372;
const SEED_WORD = 0x9e3779b9;
const SEED_UNIGRAM = 0x510e527f;
const SEED_BIGRAM = 0x1f83d9ab;
const MIN_N = CHAR_NGRAMS[0];
const MAX_N = CHAR_NGRAMS[CHAR_NGRAMS.length - 1]!;

/** Characters that render as nothing and are used to split trigger words ("ig\u200Bnore"). */
const INVISIBLE = /[\u00AD\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/gu;
const SPACE_OR_CONTROL = /[\s\p{Cc}]+/gu;
const LINE_BREAK = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/;
const WORD = /[\p{L}\p{N}]+/gu;

/** NFKC (folds full-width and compatibility forms), lower case, drop invisibles, one space. */
export function normalize(text: string): string {
  return text.normalize("NFKC").toLowerCase().replace(INVISIBLE, "").replace(SPACE_OR_CONTROL, " ").trim();
}

/**
 * Window spans [start, end) over a normalized text of `length` code units. Windows overlap by
 * half, and the last one is aligned to the end, so every stretch of WINDOW - STRIDE code units
 * (e.g. an injection at the very end of a long document) lies wholly inside some window.
 */
export function windowSpans(length: number): Array<[number, number]> {
  if (length === 0) return [];
  if (length <= WINDOW) return [[0, length]];
  const spans: Array<[number, number]> = [];
  let start = 0;
  for (; start + WINDOW < length; start += STRIDE) spans.push([start, start + WINDOW]);
  spans.push([length - WINDOW, length]);
  return spans;
}

/** Murmur3's finalizer: spreads FNV's weak low bits before we take them as the bucket. */
function mix(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h | 0;
}

/** Per-position hashes of the character n-grams, one array per length in CHAR_NGRAMS. */
function charHashes(text: string): Int32Array[] {
  const out = CHAR_NGRAMS.map((n) => new Int32Array(Math.max(0, text.length - n + 1)));
  for (let p = 0; p + MIN_N <= text.length; p++) {
    let h = FNV_OFFSET ^ SEED_CHAR;
    for (let k = 0; k < MAX_N && p + k < text.length; k++) {
      h = Math.imul(h ^ text.charCodeAt(p + k), FNV_PRIME);
      const n = k + 1;
      if (n >= MIN_N) out[n - MIN_N]![p] = mix(h ^ n);
    }
  }
  return out;
}

interface Words {
  start: Int32Array;
  end: Int32Array;
  unigram: Int32Array;
  /** Hash of (previous word, this word); meaningless for the first word. */
  bigram: Int32Array;
}

function words(text: string): Words {
  const matches = [...text.matchAll(WORD)];
  const w: Words = {
    start: new Int32Array(matches.length),
    end: new Int32Array(matches.length),
    unigram: new Int32Array(matches.length),
    bigram: new Int32Array(matches.length),
  };
  let prev = 0;
  matches.forEach((m, i) => {
    const token = m[0];
    let h = FNV_OFFSET ^ SEED_WORD;
    for (let k = 0; k < token.length; k++) h = Math.imul(h ^ token.charCodeAt(k), FNV_PRIME);
    w.start[i] = m.index;
    w.end[i] = m.index + token.length;
    w.unigram[i] = mix(h ^ SEED_UNIGRAM);
    w.bigram[i] = mix(Math.imul(prev, 0x2c1b3c6d) ^ h ^ SEED_BIGRAM);
    prev = h;
  });
  return w;
}

/**
 * Scratch space reused across calls: a dense accumulator, the buckets touched and their counts.
 * Safe because featurizing is synchronous, so two calls never interleave in one isolate.
 * Counts are whole numbers, so integer arithmetic keeps them (and the norm) exact in any order.
 */
const acc = new Int32Array(DIM);
const touched = new Int32Array(DIM);
const counts = new Int32Array(DIM);
let touchedCount = 0;

/** Adds ±weight to the bucket a hash selects; the top bit is the sign, so collisions tend to cancel. */
function add(hash: number, weight: number): void {
  const i = hash & (DIM - 1);
  // A bucket whose hits cancelled to zero and is hit again is listed twice; collect() keeps the first.
  if (acc[i] === 0) touched[touchedCount++] = i;
  acc[i]! += hash < 0 ? -weight : weight;
}

/** The window's vector, in first-touch order; leaves the accumulator zeroed. */
function collect(): SparseVector {
  let kept = 0;
  let sumSq = 0;
  const idx = new Int32Array(touchedCount);
  for (let j = 0; j < touchedCount; j++) {
    const i = touched[j]!;
    const c = acc[i]!;
    // Buckets whose hits cancelled out are left out (and a repeated entry finds zero here).
    if (c !== 0) {
      idx[kept] = i;
      counts[kept++] = c;
      sumSq += Math.abs(c);
      acc[i] = 0;
    }
  }
  touchedCount = 0;
  const values = new Float32Array(kept);
  const norm = Math.sqrt(sumSq);
  for (let j = 0; j < kept; j++) {
    const c = counts[j]!;
    values[j] = (c < 0 ? -Math.sqrt(-c) : Math.sqrt(c)) / norm;
  }
  return { indices: idx.slice(0, kept), values };
}

/** Features of every sliding window of `text` (none for an empty or whitespace-only text). */
export function featurize(text: string): SparseVector[] {
  return slidingWindows(normalize(text));
}

function slidingWindows(t: string): SparseVector[] {
  const chars = charHashes(t);
  const w = words(t);
  const out: SparseVector[] = [];
  let firstWord = 0;
  for (const [a, b] of windowSpans(t.length)) {
    for (let g = 0; g < CHAR_NGRAMS.length; g++) {
      const hashes = chars[g]!;
      const last = b - CHAR_NGRAMS[g]!;
      for (let p = a; p <= last; p++) add(hashes[p]!, 1);
    }
    while (firstWord < w.start.length && w.start[firstWord]! < a) firstWord++;
    for (let i = firstWord; i < w.start.length && w.end[i]! <= b; i++) {
      add(w.unigram[i]!, WORD_WEIGHT);
      if (i > firstWord) add(w.bigram[i]!, WORD_WEIGHT);
    }
    out.push(collect());
  }
  return out;
}

/**
 * One more window per distinct line of a text longer than one window. An injection that is a
 * line or paragraph of its own (the usual case in documents, e-mails and conversations) is then
 * also scored alone, instead of only sharing a sliding window with up to 500 characters of
 * harmless text that dilute it. Training fits sliding windows only; these are scored in use.
 */
export function lineWindows(text: string): SparseVector[] {
  return normalize(text).length > WINDOW ? linesOf(text) : [];
}

function linesOf(text: string): SparseVector[] {
  const out: SparseVector[] = [];
  const seen = new Set<string>();
  for (const line of text.split(LINE_BREAK)) {
    const n = normalize(line);
    if (n.length < MIN_LINE || n.length > WINDOW || seen.has(n)) continue;
    seen.add(n);
    out.push(...slidingWindows(n));
  }
  return out;
}

/** Every window the Worker scores for a text: the sliding windows, then the line windows. */
export function screeningWindows(text: string): SparseVector[] {
  const t = normalize(text);
  const sliding = slidingWindows(t);
  return t.length > WINDOW ? [...sliding, ...linesOf(text)] : sliding;
}
