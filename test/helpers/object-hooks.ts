import { runInDurableObject } from "cloudflare:test";
import type { BudgetObject } from "../../durable-objects/budget";
import type { PrincipalStatus, SignalsObject, TenantStatus } from "../../durable-objects/signals";
import { budgetHooks, signalsHooks } from "../../durable-objects/test-hooks";

/**
 * The one way tests reach what Durable Objects keep off their RPC surface (issue 11 #4):
 * durable-objects/test-hooks.ts, called inside the object with `runInDurableObject`.
 */

/** Waits until the signals object's forwarded observations reached the tenant object and its rows are written. */
export const flushSignals = (stub: DurableObjectStub<SignalsObject>): Promise<void> => runInDurableObject(stub, (o) => signalsHooks.of(o).flush());

/** A principal's signals object as tests see it; null before its first observation. */
export const principalStatusOrNull = (stub: DurableObjectStub<SignalsObject>): Promise<PrincipalStatus | null> =>
  runInDurableObject(stub, (o) => signalsHooks.of(o).principal());

/** A principal's signals object as tests see it (throws when it has observed nothing). */
export async function principalStatus(stub: DurableObjectStub<SignalsObject>): Promise<PrincipalStatus> {
  const status = await principalStatusOrNull(stub);
  if (!status) throw new Error("no principal signals in this object");
  return status;
}

/** The tenant-wide signals object as tests see it (throws when it has ingested nothing). */
export async function tenantStatus(stub: DurableObjectStub<SignalsObject>): Promise<TenantStatus> {
  const status = await runInDurableObject(stub, (o) => signalsHooks.of(o).tenant());
  if (!status) throw new Error("no tenant signals in this object");
  return status;
}

/** A tenant budget object's pools: free units and units out on lease, per resource. */
export const budgetPools = (stub: DurableObjectStub<BudgetObject>): Promise<Array<{ res: string; limit: number; free: number; leased: number }>> =>
  runInDurableObject(stub, (o) => budgetHooks.of(o).pools());
