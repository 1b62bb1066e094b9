import type { InferTensor } from "../protocols/oip";
import { flatten } from "../protocols/oip";
import { canonicalInput } from "../protect/label-watermark";

/**
 * One input tensor of an OIP request split along its first (batch) dimension, and each row's
 * canonical form (canonicalInput), made once per tensor: the label watermark, its records and the
 * keyed output noise all ask for the same rows of the same request.
 */
export interface TensorRows {
  readonly rows: unknown[][];
  /** canonicalInput(rows[i]), computed on first use. */
  canonical(i: number): string;
}

const memo = new WeakMap<InferTensor, TensorRows | null>();

/** Null when the tensor has no batch dimension, an empty one, or values that do not split evenly. */
export function tensorRows(t: InferTensor): TensorRows | null {
  let hit = memo.get(t);
  if (hit === undefined) memo.set(t, (hit = split(t)));
  return hit;
}

function split(t: InferTensor): TensorRows | null {
  if (t.shape.length === 0) return null;
  const batch = t.shape[0]!;
  const values = flatten(t.data);
  if (batch <= 0 || values.length % batch !== 0) return null;
  const width = values.length / batch;
  const rows = Array.from({ length: batch }, (_, i) => values.slice(i * width, (i + 1) * width));
  const canonical: string[] = [];
  return { rows, canonical: (i) => (canonical[i] ??= canonicalInput(rows[i])) };
}
