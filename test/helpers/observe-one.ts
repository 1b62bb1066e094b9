/**
 * One observation on a principal's SignalsObject, through its only observing RPC (`observeBatch`,
 * a batch of one), answered as that observation's own standing: what the tests of the scoring
 * read. The Worker sends coalesced batches (worker/extraction/observe-batch.ts).
 */
import type { ObserveInput, ObserveResult } from "../../durable-objects/signals-principal";
import type { SignalsObject } from "../../durable-objects/signals";

export async function observeOne(stub: DurableObjectStub<SignalsObject>, input: ObserveInput): Promise<ObserveResult> {
  const { tenant, principal, policy, ...item } = input;
  const r = await stub.observeBatch({ tenant, principal, policy, items: [item] });
  return { score: r.score, state: r.state, until: r.until, escalated: r.escalations[0]?.escalated ?? null };
}
