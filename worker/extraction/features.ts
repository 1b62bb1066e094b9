/**
 * What the extraction detector remembers of a query: one DIMS-vector per query (projection.ts).
 * - OIP: one query per row of the batch (an attacker batches its queries); numeric inputs with the
 *   same batch size are concatenated per row, each feature scaled to [0, 1] by the model's declared
 *   min/max (so distances are comparable across features), unscaled when no range is declared.
 *   BYTES inputs are not used. At most MAX_ROWS_PER_REQUEST rows are kept, a uniform random sample,
 *   so a 4096-row batch costs the detector what 256 rows cost; the volume signal counts every row.
 * - Text: one query per string, the screening featurizer's hashed n-grams summed over windows,
 *   projected and scaled to unit length (distances then lie in [0, 2] whatever the text length).
 * - Answers: the margin between the two largest class probabilities, for boundary probing.
 */
import type { TensorSpec } from "../config/model";
import type { InferRequest } from "../protocols/oip";
import { flatten } from "../protocols/oip";
import { featurize, type SparseVector } from "../screen/featurize";
import { type Rng, cryptoRng } from "../protect/random";
import { projectDense, projectSparse } from "./projection";
import { uniformAt } from "./synthetic";

export const MAX_ROWS_PER_REQUEST = 256;

export interface QueryFeatures {
  /** One projected vector per observed query. */
  features: number[][];
  /** Queries the request holds (≥ features.length): what the volume signal counts. */
  queries: number;
  /**
   * OIP: per fingerprint, whether its row is uniform over the declared range (synthetic.ts);
   * absent when no input declares a range. Kept with the fingerprint so repeats count once.
   */
  uniform?: boolean[];
}

function boundAt(b: number | number[] | undefined, i: number): number | undefined {
  if (b === undefined) return undefined;
  return typeof b === "number" ? b : b[i];
}

function numeric(v: unknown): number | null {
  if (typeof v === "number") return Number.isFinite(v) ? v : null;
  if (typeof v === "boolean") return v ? 1 : 0;
  return null;
}

/** Distinct row indices 0..n-1, `k` of them chosen uniformly (partial Fisher–Yates), in order. */
export function sampleRows(n: number, k: number, rng: Rng): number[] {
  if (n <= k) return Array.from({ length: n }, (_, i) => i);
  const pool = new Map<number, number>();
  const out: number[] = [];
  for (let i = 0; i < k; i++) {
    const j = i + Math.floor(rng() * (n - i));
    out.push(pool.get(j) ?? j);
    pool.set(j, pool.get(i) ?? i);
  }
  return out.sort((a, b) => a - b);
}

/** Features of an OIP infer request that has passed `checkInputs`. */
export function oipQueryFeatures(req: InferRequest, specs: readonly TensorSpec[] | undefined, rng: Rng = cryptoRng()): QueryFeatures {
  const tensors = req.inputs
    .filter((t) => t.datatype !== "BYTES")
    .map((t) => {
      const values = flatten(t.data);
      const batch = t.shape.length >= 2 ? (t.shape[0] as number) : 1;
      return { t, values, batch, width: batch > 0 ? values.length / batch : 0, spec: specs?.find((s) => s.name === t.name) };
    })
    .filter((x) => x.batch > 0 && x.width > 0 && Number.isInteger(x.width));
  const first = tensors[0];
  if (!first) return { features: [], queries: 0 };
  const parts = tensors.filter((x) => x.batch === first.batch);
  const rows = sampleRows(first.batch, MAX_ROWS_PER_REQUEST, rng);
  const features = rows.map((row) => {
    const flat: number[] = [];
    for (const { values, width, spec } of parts) {
      for (let f = 0; f < width; f++) {
        const v = numeric(values[row * width + f]) ?? 0;
        const lo = boundAt(spec?.min, f);
        const hi = boundAt(spec?.max, f);
        flat.push(lo !== undefined && hi !== undefined && hi > lo ? (v - lo) / (hi - lo) : v);
      }
    }
    return projectDense(flat);
  });
  const uniform = uniformAt(req, specs, rows);
  return { features, queries: first.batch, ...(uniform ? { uniform } : {}) };
}

/** One unit vector per non-empty query text (chat: the request's texts joined; embeddings: each input). */
export function textQueryFeatures(queries: readonly string[]): QueryFeatures {
  const features: number[][] = [];
  for (const text of queries.slice(0, MAX_ROWS_PER_REQUEST)) {
    const v = projectWindows(featurize(text));
    if (v === null) continue;
    const norm = Math.hypot(...v);
    if (norm > 0) features.push(v.map((x) => x / norm));
  }
  return { features, queries: queries.length };
}

/**
 * The projection of a text's windows summed (null: no entry). Most queries are one window (under
 * WINDOW characters), whose indices the featurizer lists once each: it is projected as it is, the
 * same numbers the sum would give (0 + x is x; zeros project to nothing either way) without a map
 * and two array copies per query. Longer texts sum per index first, in first-seen order.
 */
function projectWindows(windows: readonly SparseVector[]): number[] | null {
  if (windows.length === 1) {
    const only = windows[0]!;
    return only.indices.length === 0 ? null : projectSparse(only.indices, only.values);
  }
  const sum = new Map<number, number>();
  for (const window of windows) {
    for (let k = 0; k < window.indices.length; k++) {
      const i = window.indices[k] as number;
      sum.set(i, (sum.get(i) ?? 0) + (window.values[k] as number));
    }
  }
  return sum.size === 0 ? null : projectSparse([...sum.keys()], [...sum.values()]);
}

/** Margin between the two largest values of a probability vector (1 when there is one class). */
export function topTwoMargin(probs: ArrayLike<number>): number {
  let first = -Infinity;
  let second = -Infinity;
  for (let i = 0; i < probs.length; i++) {
    const v = probs[i] as number;
    if (v > first) {
      second = first;
      first = v;
    } else if (v > second) second = v;
  }
  return second === -Infinity ? 1 : first - second;
}

/**
 * Margins of an OIP output tensor, one per row along the last axis (logits go through softmax;
 * a last axis of 1 is a binary classifier's p, compared with 1 − p), at most MAX_ROWS_PER_REQUEST.
 * Take them from the origin's answer, before protection: the signal is what was asked, not what
 * Warden chose to reveal.
 */
export function outputMargins(data: readonly number[], shape: readonly number[], kind: "probabilities" | "logits"): number[] {
  const last = shape[shape.length - 1];
  const width = last !== undefined && last > 0 ? last : data.length;
  if (width === 0 || data.length % width !== 0) return [];
  const out: number[] = [];
  for (let start = 0; start < data.length && out.length < MAX_ROWS_PER_REQUEST; start += width) {
    const row = data.slice(start, start + width);
    if (width === 1) {
      const z = row[0] as number;
      const p = kind === "logits" ? 1 / (1 + Math.exp(-z)) : z;
      out.push(Math.abs(2 * p - 1));
      continue;
    }
    if (kind === "logits") {
      const max = Math.max(...row);
      const e = row.map((z) => Math.exp(z - max));
      const sum = e.reduce((a, b) => a + b, 0);
      out.push(topTwoMargin(e.map((v) => v / sum)));
    } else out.push(topTwoMargin(row));
  }
  return out;
}
