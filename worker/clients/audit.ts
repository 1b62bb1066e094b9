import type { Bindings } from "../env";
import type { AuditObject } from "../../durable-objects/audit";

/**
 * The Worker's side of AuditObject: one hash-chained log per tenant and one global admin log,
 * addressed by name here and nowhere else. The names are stored data's address: never change them.
 */
export type AuditStub = DurableObjectStub<AuditObject>;

/**
 * The global admin chain's name. No tenant id can take it (`:` is outside
 * `^[a-z0-9][a-z0-9-]{1,62}$`), so deleting a tenant — which purges that tenant's own log —
 * can never reach it.
 */
const GLOBAL_AUDIT = "admin:global";

/** A tenant's log is named by the bare tenant id (historical; kept so existing logs stay reachable). */
export function tenantAudit(env: Pick<Bindings, "AUDIT">, tenantId: string): AuditStub {
  return env.AUDIT.getByName(tenantId);
}

export function globalAudit(env: Pick<Bindings, "AUDIT">): AuditStub {
  return env.AUDIT.getByName(GLOBAL_AUDIT);
}
