/**
 * Packs the windows of one request into the model's two dense inputs, so that all windows are
 * scored by a single inference. Rows are padded to the longest window with (index 0, value 0),
 * which adds nothing to the dot product. Shared by the Worker and the training script.
 */
import type { SparseVector } from "./featurize";

export interface Batch {
  indices: Int32Array;
  values: Float32Array;
  /** Number of windows (rows). */
  rows: number;
  /** Entries per row (columns), at least 1 so that the tensors are never empty. */
  width: number;
}

export function pack(windows: readonly SparseVector[]): Batch {
  const width = Math.max(1, ...windows.map((w) => w.indices.length));
  const indices = new Int32Array(windows.length * width);
  const values = new Float32Array(windows.length * width);
  windows.forEach((w, row) => {
    indices.set(w.indices, row * width);
    values.set(w.values, row * width);
  });
  return { indices, values, rows: windows.length, width };
}
