import type { Bindings } from "../env";
import type { SignalsObject } from "../../durable-objects/signals";
import { idFor } from "./ids";

/**
 * The Worker's side of SignalsObject: one object per principal (its extraction signals) and one
 * per tenant (the tenant-wide view), named and addressed here and nowhere else — a principal's
 * object reaches its tenant's through this module too (durable-objects/signals.ts).
 */
export type SignalsStub = DurableObjectStub<SignalsObject>;
type Namespace = Bindings["SIGNALS"];

function stubFor(ns: Namespace, name: string): SignalsStub {
  return ns.get(idFor(ns, name));
}

/** The name of a principal's object, which also keys what this isolate queues for it. */
export function principalSignalsName(tenantId: string, principalId: string): string {
  return `signals:${tenantId}:${principalId}`;
}

export function tenantSignalsName(tenantId: string): string {
  return `signals:${tenantId}:*`;
}

export function principalSignals(env: Pick<Bindings, "SIGNALS">, tenantId: string, principalId: string): SignalsStub {
  return stubFor(env.SIGNALS, principalSignalsName(tenantId, principalId));
}

export function tenantSignals(env: Pick<Bindings, "SIGNALS">, tenantId: string): SignalsStub {
  return stubFor(env.SIGNALS, tenantSignalsName(tenantId));
}
