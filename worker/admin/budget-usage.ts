// The admin side of the budget objects: usage across a tenant's principals, and purge with the tenant.
import type { Bindings } from "../env";
import { windowsAt } from "../budget/windows";
import { toUsd } from "../budget/cost";
import type { PrincipalUsage } from "../budget/ledger";
import type { PrincipalUsageRow } from "../../durable-objects/budget";
import { principalBudget, tenantBudget } from "../clients/budget";

export interface UsageWindow {
  start: string;
  requests: number;
  tokens: number;
  /** USD. */
  cost: number;
}

export interface TenantUsage {
  tenant: string;
  /** Tenant totals (sum over its principals) for the current UTC minute, day and month. */
  windows: { minute: UsageWindow; day: UsageWindow; month: UsageWindow };
  principals: Array<PrincipalUsageRow>;
}

/**
 * For `GET /admin/v1/tenants/{id}/usage`: every principal the tenant's budget object has seen,
 * with its counters; the admin route adds each principal's `extraction` block.
 */
export async function readUsage(env: Bindings, tenantId: string): Promise<TenantUsage> {
  const names: string[] = await tenantBudget(env, tenantId).principals();
  const rows: PrincipalUsageRow[] = [];
  for (let i = 0; i < names.length; i += 50) {
    const batch = await Promise.all(names.slice(i, i + 50).map((p) => principalBudget(env, tenantId, p).usage()));
    for (const r of batch) if (r) rows.push(r);
  }
  const w = windowsAt(Date.now());
  const sum = (pick: (u: PrincipalUsage) => number) => rows.reduce((s, r) => s + pick(r), 0);
  // Principals report USD; summed in whole µUSD so the tenant total is exact too.
  const cost = (pick: (u: PrincipalUsage) => number) => toUsd(sum((u) => Math.round(pick(u) * 1e6)));
  const win = (start: string, key: "minute" | "day" | "month"): UsageWindow => ({
    start,
    requests: sum((u) => u.requests[key]),
    tokens: sum((u) => u.tokens[key]),
    cost: cost((u) => u.cost[key]),
  });
  return {
    tenant: tenantId,
    windows: { minute: win(`${w.minute}:00Z`, "minute"), day: win(w.day, "day"), month: win(w.month, "month") },
    principals: rows,
  };
}

/** For `DELETE /admin/v1/tenants/{id}`: removes the tenant's budget objects' state. */
export async function purgeBudgets(env: Bindings, tenantId: string): Promise<void> {
  await tenantBudget(env, tenantId).purge();
}
