import type { Bindings } from "../env";
import type { SignalsObject } from "../../durable-objects/signals";
import { signalsObjectName, tenantSignalsName } from "../../durable-objects/signals";
import { idFor } from "./ids";

/**
 * The Worker's side of SignalsObject: one object per principal (its extraction signals) and one
 * per tenant (the tenant-wide view), addressed by name here and nowhere else.
 */
export type SignalsStub = DurableObjectStub<SignalsObject>;
type Namespace = Bindings["SIGNALS"];

function stubFor(ns: Namespace, name: string): SignalsStub {
  return ns.get(idFor(ns, name));
}

/** The name of a principal's object, which also keys what this isolate queues for it. */
export function principalSignalsName(tenantId: string, principalId: string): string {
  return signalsObjectName(tenantId, principalId);
}

export function principalSignals(env: Pick<Bindings, "SIGNALS">, tenantId: string, principalId: string): SignalsStub {
  return stubFor(env.SIGNALS, signalsObjectName(tenantId, principalId));
}

export function tenantSignals(env: Pick<Bindings, "SIGNALS">, tenantId: string): SignalsStub {
  return stubFor(env.SIGNALS, tenantSignalsName(tenantId));
}
