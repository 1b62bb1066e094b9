/**
 * Per-row statistics that synthetic queries break and that need nothing but the model's declared
 * input range (issue 9: detection without the operator's reference statistics).
 *
 * Uniform queries over the input space (Tramèr et al. 2016), margin sampling over a uniform pool
 * (ActiveThief) and Jacobian augmentation from random seeds (Papernot et al. 2017) all send rows
 * whose range-scaled values are spread evenly over [0, 1]: the Kolmogorov–Smirnov distance of the
 * row's values from U(0, 1) is small. Real inputs concentrate (images: background at the bounds;
 * tabular data: each feature in a narrow part of a generous declared range), so their distance is
 * large. Needs enough values per row to mean anything: rows narrower than MIN_WIDTH are not scored.
 */
import { flatten, type InferRequest } from "../protocols/oip";
import type { TensorSpec } from "../config/model";

/** Rows with fewer scaled values than this are not scored (a KS distance of 8 values says little). */
export const MIN_WIDTH = 16;
/** A row whose KS distance from U(0,1) is below this looks drawn uniformly over the declared range. */
export const UNIFORM_KS = 0.2;
/** At most this many rows are scored per request (a uniform stride over the batch). */
const MAX_ROWS = 256;

const clamp01 = (v: number): number => Math.min(1, Math.max(0, v));

/** Kolmogorov–Smirnov distance of `values` (already scaled to [0, 1]) from U(0, 1). */
export function rowUniformity(values: readonly number[]): number {
  // A typed array's own numeric sort (a comparator sort was most of this function's time): clamped
  // values are never -0, so the order is the comparator's unless one is NaN (then sorted as before).
  // (Filled by a loop: Float64Array.from with a map function is slower than the comparator sort.)
  const typed = new Float64Array(values.length);
  let nan = false;
  for (let i = 0; i < values.length; i++) {
    const v = clamp01(values[i] as number);
    if (v !== v) nan = true;
    typed[i] = v;
  }
  const s: ArrayLike<number> = nan ? values.map(clamp01).sort((a, b) => a - b) : typed.sort();
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const v = s[i] as number;
    d = Math.max(d, (i + 1) / n - v, v - i / n);
  }
  return d;
}

/** Share of values at 0 or 1 (the declared bounds). */
export function boundShare(values: readonly number[]): number {
  if (values.length === 0) return 0;
  let n = 0;
  for (const v of values) if (v <= 0 || v >= 1) n++;
  return n / values.length;
}

function boundAt(b: number | number[] | undefined, i: number): number | undefined {
  return b === undefined ? undefined : typeof b === "number" ? b : b[i];
}

/** A uniform stride of at most `max` of a batch's items. */
const strided = (max: number) => (batch: number): number[] => {
  const step = Math.max(1, Math.ceil(batch / max));
  return Array.from({ length: Math.ceil(batch / step) }, (_, i) => i * step);
};

/** The `items` rows of the request's inputs with a declared range, scaled to [0, 1]: tensor, batch item, values. */
function* scaledRows(req: InferRequest, specs: readonly TensorSpec[] | undefined, items: (batch: number) => readonly number[]): Generator<{ name: string; item: number; row: number[] }> {
  for (const t of req.inputs) {
    const spec = specs?.find((s) => s.name === t.name);
    if (!spec || spec.min === undefined || spec.max === undefined || t.datatype === "BYTES") continue;
    const values = flatten(t.data);
    const batch = t.shape.length >= 2 ? (t.shape[0] as number) : 1;
    const width = batch > 0 ? values.length / batch : 0;
    if (!Number.isInteger(width) || width < MIN_WIDTH) continue;
    for (const r of items(batch)) {
      if (r >= batch) continue;
      const row: number[] = [];
      for (let f = 0; f < width; f++) {
        const lo = boundAt(spec.min, f);
        const hi = boundAt(spec.max, f);
        const v = Number(values[r * width + f]);
        if (lo === undefined || hi === undefined || !(hi > lo) || !Number.isFinite(v)) continue;
        row.push((v - lo) / (hi - lo));
      }
      if (row.length >= MIN_WIDTH) yield { name: t.name, item: r, row };
    }
  }
}

/**
 * Rows of an OIP request that look uniform over the declared range, of how many were scored.
 * Only inputs with a declared min and max for every feature count (without a range there is no
 * "uniform over it"); null when none has one. Copies of a row in one batch count once: they ask
 * one question (and get one keyed answer), so 64 copies are not 64 synthetic queries.
 */
export function uniformRows(req: InferRequest, specs: readonly TensorSpec[] | undefined): { uniform: number; of: number } | null {
  let uniform = 0;
  let of = 0;
  const seen = new Set<string>();
  for (const { name, row } of scaledRows(req, specs, strided(MAX_ROWS))) {
    const key = `${name}:${row.join(",")}`;
    if (seen.has(key)) continue;
    seen.add(key);
    of++;
    if (rowUniformity(row) < UNIFORM_KS) uniform++;
  }
  return of > 0 ? { uniform, of } : null;
}

/**
 * Which batch items of the request are synthetic by this test (any of their ranged input rows
 * uniform), for the degraded answer's decoy (worker/protect/probabilities.ts, `decoyPlan`): every
 * row is scored, not a sample. Null when no input has a declared range or the batch is empty.
 */
export function uniformItems(req: InferRequest | null, specs: readonly TensorSpec[] | undefined): boolean[] | null {
  const batch = req?.inputs?.[0]?.shape[0];
  if (!req || batch === undefined || !(batch > 0)) return null;
  const all = Array.from({ length: batch }, (_, i) => i);
  return uniformAt(req, specs, all);
}

/**
 * Whether each of the batch items `items` is uniform over the declared range (any of its ranged
 * input rows), in the order given; null when none of them could be scored. The detector's
 * fingerprints use it (features.ts): a flag travels with its fingerprint, so a row the principal
 * already asked — its fingerprint is a repeat of a remembered one — counts once, across requests.
 */
export function uniformAt(req: InferRequest, specs: readonly TensorSpec[] | undefined, items: readonly number[]): boolean[] | null {
  const at = new Map(items.map((item, i) => [item, i]));
  const flags = new Array<boolean>(items.length).fill(false);
  let scored = false;
  for (const { item, row } of scaledRows(req, specs, () => items)) {
    scored = true;
    const i = at.get(item);
    if (i !== undefined && rowUniformity(row) < UNIFORM_KS) flags[i] = true;
  }
  return scored ? flags : null;
}
