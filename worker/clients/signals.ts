import type { Bindings } from "../env";
import type { SignalsObject } from "../../durable-objects/signals";
import { signalsObjectName, tenantSignalsName } from "../../durable-objects/signals";

/**
 * The Worker's side of SignalsObject: one object per principal (its extraction signals) and one
 * per tenant (the tenant-wide view), addressed by name here and nowhere else.
 */
export type SignalsStub = DurableObjectStub<SignalsObject>;

export function principalSignals(env: Pick<Bindings, "SIGNALS">, tenantId: string, principalId: string): SignalsStub {
  return env.SIGNALS.getByName(signalsObjectName(tenantId, principalId));
}

export function tenantSignals(env: Pick<Bindings, "SIGNALS">, tenantId: string): SignalsStub {
  return env.SIGNALS.getByName(tenantSignalsName(tenantId));
}
