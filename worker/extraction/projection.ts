/**
 * A fixed, seeded random projection to DIMS dimensions (Achlioptas 2003: entries ±1/√DIMS), so
 * that every query is kept as 32 numbers whatever the model's input size, and distances between
 * queries are preserved up to a small distortion (Johnson–Lindenstrauss): for 32 dimensions a
 * projected distance is within about ±25 % of the original for most pairs, and PRADA's W (a
 * shape statistic) and nearest-neighbour ranks are what matter, not exact values.
 *
 * The sign for (input index i, output j) is bit j of a 32-bit hash of (SEED, i): one hash per input
 * index, no matrix to store, the same projection in every isolate and in the Node benchmark.
 * Changing SEED or DIMS changes every stored vector: bump PROJECTION_VERSION (stored signals are
 * then reset, see durable-objects/signals.ts).
 */

import { fmix32 } from "../hash";
export const DIMS = 32;
export const PROJECTION_VERSION = "rp32-v1";
const SEED = 0x5eed_0e17;
const SCALE = 1 / Math.sqrt(DIMS);

/** Murmur3's 32-bit finalizer over (SEED, index): 32 well-mixed sign bits per input index. */
function hashedSignBits(index: number): number {
  return fmix32(Math.imul(index ^ SEED, 0x9e3779b1) ^ (index >>> 16));
}

/** The sign bits of the first input indices (an OIP row's features), hashed once per isolate (16 KB). */
const KEPT = 4096;
const keptBits = Int32Array.from({ length: KEPT }, (_, i) => hashedSignBits(i));

function signBits(index: number): number {
  return index < KEPT ? (keptBits[index] as number) : hashedSignBits(index);
}

function accumulate(out: Float64Array, index: number, value: number): void {
  if (value === 0) return;
  const bits = signBits(index);
  for (let j = 0; j < DIMS; j++) out[j]! += (bits >>> j) & 1 ? value : -value;
}

/** Projects a dense vector (e.g. one row of an OIP input, already scaled). */
export function projectDense(values: ArrayLike<number>): number[] {
  const out = new Float64Array(DIMS);
  for (let i = 0; i < values.length; i++) accumulate(out, i, values[i] as number);
  return scaled(out);
}

/** Projects a sparse vector given as parallel index / value arrays (the screening featurizer's output). */
export function projectSparse(indices: ArrayLike<number>, values: ArrayLike<number>): number[] {
  const out = new Float64Array(DIMS);
  for (let k = 0; k < indices.length; k++) accumulate(out, indices[k] as number, values[k] as number);
  return scaled(out);
}

function scaled(out: Float64Array): number[] {
  const v = new Array<number>(DIMS);
  for (let j = 0; j < DIMS; j++) v[j] = (out[j] as number) * SCALE;
  return v;
}

export function distance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    const d = (a[i] as number) - (b[i] as number);
    s += d * d;
  }
  return Math.sqrt(s);
}
