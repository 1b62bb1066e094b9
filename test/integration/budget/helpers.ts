import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import type { Limits } from "../../../worker/config/policy";
import type { AcquireResult } from "../../../durable-objects/budget";
import { principalBudgetName, tenantBudgetName } from "../../../worker/clients/budget";

let n = 0;
/** Object names are global to the file's storage: every test gets its own tenant. */
export function freshTenant(prefix = "bt"): string {
  n += 1;
  return `${prefix}-${n}-${Math.random().toString(36).slice(2, 8)}`;
}

export function principalStub(tenantId: string, principalId: string) {
  return env.BUDGETS.get(env.BUDGETS.idFromName(principalBudgetName(tenantId, principalId)));
}

export function tenantStub(tenantId: string) {
  return env.BUDGETS.get(env.BUDGETS.idFromName(tenantBudgetName(tenantId)));
}

export interface Ask {
  tenantId: string;
  principalId: string;
  limits?: Limits;
  tenantLimits?: Limits;
  reserveTokens?: number;
  leaseMs?: number;
}

export async function acquire(a: Ask): Promise<AcquireResult> {
  return (await principalStub(a.tenantId, a.principalId).acquire({
    tenantId: a.tenantId,
    principalId: a.principalId,
    limits: a.limits,
    tenantLimits: a.tenantLimits ?? {},
    reserveTokens: a.reserveTokens ?? 0,
    ...(a.leaseMs === undefined ? {} : { leaseMs: a.leaseMs }),
  })) as AcquireResult;
}

export const admitted = (rs: readonly AcquireResult[]) => rs.filter((r) => r.ok).length;

/**
 * Waits (polling, with a deadline) until a principal object's storage holds no open lease but the
 * `open` ones: settlements are written behind (budget-principal.ts SETTLE_WRITE_MS).
 */
export async function settledInStorage(tenantId: string, principalId: string, open: readonly string[] = [], deadlineMs = 15_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const ids = await runInDurableObject(principalStub(tenantId, principalId), (_, state) =>
      state.storage.sql.exec<{ id: string }>("SELECT substr(k, 3) AS id FROM budget_ledger WHERE k GLOB 'i:*'").toArray().map((r) => r.id),
    );
    if (ids.every((id) => open.includes(id))) return;
    if (Date.now() > end) throw new Error(`leases still open in storage: ${ids.join(", ")}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
