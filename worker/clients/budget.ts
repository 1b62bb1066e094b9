import type { Bindings } from "../env";
import type { BudgetObject, ExtractionNote } from "../../durable-objects/budget";
import { idFor } from "./ids";

/**
 * The Worker's side of BudgetObject: one object per principal (its ledger) and one per tenant
 * (the pool its principals lease from), named and addressed here and nowhere else — the objects
 * themselves reach each other through this module too (durable-objects/budget.ts).
 */
export type BudgetStub = DurableObjectStub<BudgetObject>;
type Env = Pick<Bindings, "BUDGETS">;

/** The name of a principal's object, which also keys what this isolate holds for it (settlements in flight). */
export function principalBudgetName(tenantId: string, principalId: string): string {
  return `p:${tenantId}:${principalId}`;
}

export function tenantBudgetName(tenantId: string): string {
  return `t:${tenantId}`;
}

/** The id is kept per isolate (clients/ids.ts): the request path calls this once or twice per request. */
export function principalBudget(env: Env, tenantId: string, principalId: string): BudgetStub {
  return env.BUDGETS.get(idFor(env.BUDGETS, principalBudgetName(tenantId, principalId)));
}

export function tenantBudget(env: Env, tenantId: string): BudgetStub {
  return env.BUDGETS.getByName(tenantBudgetName(tenantId));
}

/**
 * Tells a principal's budget object its new extraction standing (or, with `reset`, clears it):
 * the request path after an observation, and the admin reset.
 */
export async function noteExtraction(env: Env, tenantId: string, principalId: string, note: ExtractionNote): Promise<void> {
  await principalBudget(env, tenantId, principalId).noteExtraction(note);
}
