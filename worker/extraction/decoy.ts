/**
 * Which plan answers each output row of a degraded principal's OIP request (issue 9): rows whose
 * batch item is synthetic by the uniform-range test (synthetic.ts; no benign row of the tuning
 * traffic passes it) get the decoy plan, a keyed random label; every other row keeps the degraded
 * plan, which keeps the true label. A principal that is not degraded gets its plan unchanged.
 */
import type { TensorSpec } from "../config/model";
import type { InferRequest } from "../protocols/oip";
import { decoyPlan, type ProbabilityPlan } from "../protect/probabilities";
import { uniformItems } from "./synthetic";

export function rowsPlan(
  plan: ProbabilityPlan,
  degraded: boolean,
  req: InferRequest | null,
  specs: readonly TensorSpec[] | undefined,
  outputRows: number,
): ProbabilityPlan | ((row: number) => ProbabilityPlan) {
  if (!degraded) return plan;
  const items = uniformItems(req, specs);
  if (!items || !items.includes(true) || outputRows % items.length !== 0) return plan;
  // An output may hold several rows per batch item (e.g. [batch, heads, classes]).
  const perItem = outputRows / items.length;
  const decoy = decoyPlan();
  return (row) => (items[Math.floor(row / perItem)] ? decoy : plan);
}
