import type { Context } from "hono";
import type { AppEnv } from "../context";
import type { Prepared } from "./run";
import { acquireBudget, type BudgetLease } from "./budget";

export type Lease = BudgetLease;

/** Streams may run long: their leases get ten minutes, and are extended while data flows. */
const STREAM_LEASE_MS = 10 * 60_000;

/** The budget stage of a forwarded request: one round trip to the principal's BudgetObject. */
export function budgetStage(c: Context<AppEnv>, prepared: Prepared): Promise<Lease> {
  const model = c.var.model;
  const worstCase = model.timeout_ms * model.origins.length + 30_000;
  return acquireBudget(c.env, c.var.tenant, c.var.principal, {
    reserveTokens: prepared.reserveTokens,
    ctx: c.executionCtx,
    leaseMs: prepared.stream ? Math.max(STREAM_LEASE_MS, worstCase) : worstCase,
    requestId: c.var.requestId,
  });
}
