import type { Bindings } from "../env";
import type { SignalsObject } from "../../durable-objects/signals";
import { signalsObjectName, tenantSignalsName } from "../../durable-objects/signals";

/**
 * The Worker's side of SignalsObject: one object per principal (its extraction signals) and one
 * per tenant (the tenant-wide view), addressed by name here and nowhere else.
 */
export type SignalsStub = DurableObjectStub<SignalsObject>;
type Namespace = Bindings["SIGNALS"];

/**
 * Object ids by name, per isolate: `getByName` derives the id from the name on every call (a keyed
 * hash; ~0.1 ms a call in the request-path profile) and the request path calls it once or twice
 * per request. An id is plain data, valid in any request; stubs are not, so they are made per call.
 */
const IDS = new WeakMap<Namespace, Map<string, DurableObjectId>>();
const MAX_IDS = 4096;

function stubFor(ns: Namespace, name: string): SignalsStub {
  let ids = IDS.get(ns);
  if (!ids) IDS.set(ns, (ids = new Map()));
  let id = ids.get(name);
  if (!id) {
    if (ids.size >= MAX_IDS) ids.clear();
    ids.set(name, (id = ns.idFromName(name)));
  }
  return ns.get(id);
}

export function principalSignals(env: Pick<Bindings, "SIGNALS">, tenantId: string, principalId: string): SignalsStub {
  return stubFor(env.SIGNALS, signalsObjectName(tenantId, principalId));
}

export function tenantSignals(env: Pick<Bindings, "SIGNALS">, tenantId: string): SignalsStub {
  return stubFor(env.SIGNALS, tenantSignalsName(tenantId));
}
