/**
 * Packs the windows of one request into the model's two dense inputs, so that all windows are
 * scored by a single inference. Rows are padded to the longest window with (index 0, value 0),
 * which adds nothing to the dot product. Shared by the Worker and the training script.
 */
import type { SparseVector, WindowRows } from "./featurize";

export interface Batch {
  indices: Int32Array;
  values: Float32Array;
  /** Number of windows (rows). */
  rows: number;
  /** Entries per row (columns), at least 1 so that the tensors are never empty. */
  width: number;
}

export function pack(windows: readonly SparseVector[]): Batch {
  const rows = windows.length;
  const width = widthOf(windows);
  return { indices: fill(windows, "indices", new Int32Array(rows * width), width), values: fill(windows, "values", new Float32Array(rows * width), width), rows, width };
}

/** Entries per row: the longest window, at least 1. */
function widthOf(windows: readonly SparseVector[]): number {
  let width = 1;
  for (const w of windows) if (w.indices.length > width) width = w.indices.length;
  return width;
}

/** Row by row, each window's entries then the padding (a reused buffer holds an earlier batch's entries there). */
function fill<A extends Int32Array | Float32Array>(windows: readonly SparseVector[], part: "indices" | "values", out: A, width: number): A {
  for (let row = 0; row < windows.length; row++) {
    const entries: ArrayLike<number> = windows[row]![part];
    out.set(entries, row * width);
    if (entries.length < width) out.fill(0, row * width + entries.length, (row + 1) * width);
  }
  return out;
}

/** A batch in buffers lent by the pool below: call release() once nothing reads it any more. */
export interface PooledBatch extends Batch {
  release(): void;
}

interface Buffers {
  indices: Int32Array;
  values: Float32Array;
}

/**
 * Buffers of finished batches, for the next ones of this isolate: two fresh typed arrays per
 * inference (2 KB prompt: 2 × 37 KB, zeroed by the engine) were two thirds of packing in workerd. A
 * batch owns its buffers until released, so concurrent requests never share one. Bounded: a
 * few buffers, none kept above KEEP_ENTRIES (at most 2 MB held; a 20 KB prompt needs ~54 K entries).
 */
const free: Buffers[] = [];
const KEEP_BUFFERS = 4;
const KEEP_ENTRIES = 1 << 16;

/** pack() into pooled buffers: the same rows, bit for bit (test/unit/screen/pack-pooled.test.ts). */
export function packPooled(windows: readonly SparseVector[]): PooledBatch {
  const width = widthOf(windows);
  const rows = windows.length;
  const buffers = borrow(rows * width);
  const indices = fill(windows, "indices", buffers.indices.subarray(0, rows * width), width);
  const values = fill(windows, "values", buffers.values.subarray(0, rows * width), width);
  return lend(buffers, indices, values, rows, width);
}

/**
 * packPooled() of the windows [from, to) of rows laid back to back (featurize.ts
 * withScreeningRows), copied from there straight into the batch: the same batch, bit for bit
 * (test/unit/screen/pack-rows.test.ts).
 */
export function packRowsPooled(rows: WindowRows, from: number, to: number): PooledBatch {
  const { starts } = rows;
  let width = 1;
  for (let w = from; w < to; w++) width = Math.max(width, starts[w + 1]! - starts[w]!);
  const count = to - from;
  const size = count * width;
  const buffers = borrow(size);
  const indices = buffers.indices.subarray(0, size);
  const values = buffers.values.subarray(0, size);
  for (let r = 0; r < count; r++) {
    const a = starts[from + r]!;
    const b = starts[from + r + 1]!;
    const o = r * width;
    indices.set(rows.indices.subarray(a, b), o);
    values.set(rows.values.subarray(a, b), o);
    // A reused buffer holds an earlier batch's entries in the padding.
    if (b - a < width) {
      indices.fill(0, o + b - a, o + width);
      values.fill(0, o + b - a, o + width);
    }
  }
  return lend(buffers, indices, values, count, width);
}

/** Buffers of at least `size` entries: a free pair from the pool, or new ones. */
function borrow(size: number): Buffers {
  const k = free.findIndex((b) => b.indices.length >= size);
  return k >= 0 ? free.splice(k, 1)[0]! : { indices: new Int32Array(Math.max(size, 1 << 14)), values: new Float32Array(Math.max(size, 1 << 14)) };
}

/** The batch in `buffers`, which go back to the pool on its first release(). */
function lend(buffers: Buffers, indices: Int32Array, values: Float32Array, rows: number, width: number): PooledBatch {
  let released = false;
  const release = () => {
    if (released) return;
    released = true;
    if (free.length < KEEP_BUFFERS && buffers.indices.length <= KEEP_ENTRIES) free.push(buffers);
  };
  return { indices, values, rows, width, release };
}

/** Buffers the pool holds (test/unit/screen/pack-pooled.test.ts). */
export const pooledBuffers = (): number[] => free.map((b) => b.indices.length);
