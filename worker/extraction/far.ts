/**
 * The "far" signal's input: how many rows of an OIP request lie far from the data the model was
 * built for — the reference statistics the operator uploaded for the anomaly check (RMS z-score
 * over FAR_Z). Synthetic queries (uniform random, margin sampling over a uniform pool, Jacobian
 * steps from random seeds) are far almost without exception; benign traffic about 0.5 % of the
 * time (bench/extraction/calibrate-far.mjs). Without a reference there is no such signal.
 */
import { anomalyScore } from "../anomaly/reference";
import type { Model } from "../config/model";
import { flatten, type InferRequest } from "../protocols/oip";
import { FAR_Z } from "./params";
import { uniformRows } from "./synthetic";

/** At most this many rows are scored per request (a uniform stride over the batch). */
const MAX_ROWS = 256;

export interface RowEvidence {
  far: number;
  /** Rows scored against the reference; 0 without one. */
  of: number;
  /** Rows uniform over the declared input range (synthetic.ts), of `uniformOf` scored. */
  uniform: number;
  uniformOf: number;
}

/**
 * The request's per-row input evidence: far from the operator's reference, uniform over the range.
 * `uniform: false` skips the uniform counts, for a caller that sends per-fingerprint flags instead
 * (features.ts `uniform`; the counts would sort every row a second time).
 */
export function farRows(req: InferRequest, model: Pick<Model, "anomaly" | "inputs">, { uniform = true }: { uniform?: boolean } = {}): RowEvidence | null {
  const u = uniform ? uniformRows(req, model.inputs) : null;
  const f = referenceRows(req, model);
  if (!u && !f) return null;
  return { far: f?.far ?? 0, of: f?.of ?? 0, uniform: u?.uniform ?? 0, uniformOf: u?.of ?? 0 };
}

function referenceRows(req: InferRequest, model: Pick<Model, "anomaly">): { far: number; of: number } | null {
  const ref = model.anomaly?.reference;
  if (!ref) return null;
  const tensor = req.inputs.find((t) => t.name === ref.input);
  if (!tensor) return null;
  const values = flatten(tensor.data).map(Number);
  const width = ref.mean.length;
  if (width === 0 || values.length % width !== 0) return null;
  const rows = values.length / width;
  const step = Math.max(1, Math.ceil(rows / MAX_ROWS));
  let far = 0;
  let of = 0;
  for (let r = 0; r < rows; r += step) {
    of++;
    if (anomalyScore(values.slice(r * width, (r + 1) * width), ref) > FAR_Z) far++;
  }
  return { far, of };
}
