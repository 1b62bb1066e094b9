import type { Bindings } from "../env";
import type { AuditEntry, AuditPage } from "./entry";
import type { ChainCheck } from "./chain";

function auditStub(env: Bindings, tenantId: string) {
  return env.AUDIT.get(env.AUDIT.idFromName(tenantId));
}

/**
 * Appends to the tenant's audit log after the response: the write runs in `ctx.waitUntil`, so
 * the client never waits for it. A failed write is logged for the operator, never thrown.
 */
export function recordAudit(env: Bindings, ctx: Pick<ExecutionContext, "waitUntil">, tenantId: string, entry: AuditEntry): void {
  ctx.waitUntil(
    auditStub(env, tenantId)
      .append(entry)
      .then(
        () => undefined,
        (err: unknown) => console.error("audit: append failed", tenantId, entry.type, err),
      ),
  );
}

/** For the admin route `GET /admin/v1/tenants/{id}/audit?limit=&cursor=`. */
export async function readAudit(env: Bindings, tenantId: string, opts: { limit?: number; cursor?: string | null } = {}): Promise<AuditPage> {
  return (await auditStub(env, tenantId).list(opts)) as AuditPage;
}

export async function verifyAudit(env: Bindings, tenantId: string): Promise<ChainCheck> {
  return (await auditStub(env, tenantId).verify()) as ChainCheck;
}

/** Deletes the tenant's audit log; only when the tenant itself is deleted. */
export async function purgeAudit(env: Bindings, tenantId: string): Promise<void> {
  await auditStub(env, tenantId).purge();
}
