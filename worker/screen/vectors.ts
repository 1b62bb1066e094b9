/**
 * Pooled pretrained word vectors per window (issue 10, fourth round): hashed n-grams only know
 * the exact words of the attacks they saw; GloVe vectors (vector-table.ts, derived by
 * wasm-models/lib/glove.ts) put "disregard your directives" near "ignore your instructions".
 * Per window, over the words wholly inside it that are in the table: the mean of their vectors
 * (L2-normalized: direction only) and their per-dimension max (int8 codes / (127·√D)), as
 * 2·VECTOR_DIMS dense features after the hashed buckets.
 *
 * Bit-identical in Node and workerd: integer sums and maxima, then IEEE float64 division,
 * multiplication and Math.sqrt (correctly rounded everywhere) in a fixed order, rounded to
 * float32 once.
 */
import { VECTOR_BASE64, VECTOR_ID, VECTOR_SCALES, VECTOR_WORDS } from "./vector-table";

export const VECTOR_DIMS = 48;
/** Dense features per window: the mean, then the max. */
export const VECTOR_FEATURES = 2 * VECTOR_DIMS;

export interface WordTable {
  id: string;
  /** Open-addressing slots (power of two): word hash, and row + 1 (0 = empty). */
  keys: Int32Array;
  rows: Int32Array;
  codes: Int8Array;
  scales: Float64Array;
}

const MAX_SCALE = 1 / (127 * Math.sqrt(VECTOR_DIMS));

export function makeTable(id: string, hashes: Int32Array, codes: Int8Array, scales: ArrayLike<number>): WordTable {
  let size = 1;
  while (size < hashes.length * 2) size <<= 1;
  const keys = new Int32Array(size);
  const rows = new Int32Array(size);
  for (let r = 0; r < hashes.length; r++) {
    let s = hashes[r]! & (size - 1);
    while (rows[s] !== 0) s = (s + 1) & (size - 1);
    keys[s] = hashes[r]!;
    rows[s] = r + 1;
  }
  return { id, keys, rows, codes, scales: Float64Array.from(scales) };
}

/** Row of a word hash, or -1. */
function lookup(t: WordTable, hash: number): number {
  const mask = t.keys.length - 1;
  let s = hash & mask;
  for (;;) {
    const r = t.rows[s]!;
    if (r === 0) return -1;
    if (t.keys[s] === hash) return r - 1;
    s = (s + 1) & mask;
  }
}

let bundled: WordTable | null | undefined;

/** The shipped table, decoded on first use; null when none is shipped (an empty VECTOR_BASE64). */
export function bundledWordTable(): WordTable | null {
  if (bundled !== undefined) return bundled;
  if (VECTOR_BASE64.length === 0) return (bundled = null);
  const bin = atob(VECTOR_BASE64);
  const bytes = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
  const hashBytes = VECTOR_WORDS * 4;
  if (bytes.length !== hashBytes + VECTOR_WORDS * VECTOR_DIMS || VECTOR_SCALES.length !== VECTOR_DIMS) throw new Error("vector-table.ts does not fit vectors.ts");
  const view = new DataView(bytes.buffer);
  const hashes = Int32Array.from({ length: VECTOR_WORDS }, (_, i) => view.getInt32(4 * i, true));
  return (bundled = makeTable(VECTOR_ID, hashes, new Int8Array(bytes.buffer, hashBytes), VECTOR_SCALES));
}

/** What the windows of one text share: each word's table row (-1: none), looked up once. */
export interface TextVectors {
  t: WordTable;
  rows: Int32Array;
}

export function prepareVectors(t: WordTable, hashes: Int32Array, count: number): TextVectors {
  const rows = new Int32Array(count);
  for (let i = 0; i < count; i++) rows[i] = lookup(t, hashes[i]!);
  return { t, rows };
}

const sum = new Int32Array(VECTOR_DIMS);
const max = new Int32Array(VECTOR_DIMS);

/**
 * Dense features of the words [from, to) of a prepared text, or null when none is in the
 * table. Values: VECTOR_FEATURES float32 numbers.
 */
export function pooledVectors(v: TextVectors, from: number, to: number): Float32Array | null {
  sum.fill(0);
  max.fill(-128);
  let n = 0;
  const codes = v.t.codes;
  for (let i = from; i < to; i++) {
    const r = v.rows[i]!;
    if (r < 0) continue;
    n++;
    const base = r * VECTOR_DIMS;
    for (let d = 0; d < VECTOR_DIMS; d++) {
      const c = codes[base + d]!;
      sum[d]! += c;
      if (c > max[d]!) max[d] = c;
    }
  }
  if (n === 0) return null;
  const out = new Float32Array(VECTOR_FEATURES);
  const scales = v.t.scales;
  let sq = 0;
  for (let d = 0; d < VECTOR_DIMS; d++) {
    const m = (sum[d]! * scales[d]!) / n;
    sq += m * m;
  }
  const norm = Math.sqrt(sq);
  for (let d = 0; d < VECTOR_DIMS; d++) {
    out[d] = norm > 0 ? (sum[d]! * scales[d]!) / n / norm : 0;
    out[VECTOR_DIMS + d] = max[d]! * MAX_SCALE;
  }
  return out;
}
