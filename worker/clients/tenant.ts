import type { Bindings } from "../env";
import type { TenantObject } from "../../durable-objects/tenant";

/**
 * The Worker's side of TenantObject: one object per tenant (its config, keys and watermark
 * records), addressed by name here and nowhere else. The name is stored data's address: never
 * change its format.
 */
export type TenantStub = DurableObjectStub<TenantObject>;

export function tenantRecordName(tenantId: string): string {
  return `tenant:${tenantId}`;
}

export function tenantObject(env: Pick<Bindings, "TENANTS">, tenantId: string): TenantStub {
  return env.TENANTS.getByName(tenantRecordName(tenantId));
}
