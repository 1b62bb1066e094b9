import type { Context } from "hono";
import type { DataEnv } from "../context";
import type { Model } from "../config/model";
import type { PreparedOf, RouteKind } from "./route";
import { acquireBudget, type BudgetLease } from "./budget";
import { prices, reserveCost } from "../budget/cost";

export type Lease = BudgetLease;

/**
 * The budget stage of a forwarded request: one round trip to the principal's BudgetObject. The
 * lease covers the worst case until the origin answers (every origin timing out in turn); a
 * stream then renews it while its client reads (protect.ts), so a vanished client's slot comes
 * back within 40 s rather than after a long fixed lease.
 */
export function budgetStage(c: Context<DataEnv>, prepared: PreparedOf<RouteKind>, model: Model): Promise<Lease> {
  // Metadata and readiness reads (no body) are not inference: they cost nothing.
  const p = prepared.body === null ? null : prices(model.pricing);
  return acquireBudget(c.env, c.get("tenant"), c.get("principal"), {
    reserveTokens: prepared.reserveTokens,
    prices: p,
    reserveCost: reserveCost(p, prepared.promptTokens, prepared.reserveTokens - prepared.promptTokens),
    ctx: c.executionCtx,
    leaseMs: model.timeout_ms * model.origins.length + 30_000,
    requestId: c.get("requestId"),
    model: model.name,
    route: prepared.kind,
    configVersion: c.get("config").version,
    fresh: c.get("config").fresh,
  });
}
