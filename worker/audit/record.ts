import type { Bindings } from "../env";
import { auditPage, type AuditEntry, type AuditPage } from "./entry";
import type { ChainCheck } from "./chain";
import { tenantAudit } from "../clients/audit";
import { errorFields, log } from "../log";

/**
 * Appends to the tenant's audit log after the response: the write runs in `ctx.waitUntil`, so
 * the client never waits for it. A failed write is logged for the operator, never thrown.
 */
export function recordAudit(env: Bindings, ctx: Pick<ExecutionContext, "waitUntil">, tenantId: string, entry: AuditEntry): void {
  ctx.waitUntil(
    tenantAudit(env, tenantId)
      .append(entry)
      .then(
        () => undefined,
        // The error's name and message only: an entry's detail is not the log's business.
        (err: unknown) => log("audit.append_failed", { tenant: tenantId, type: entry.type, ...errorFields(err) }),
      ),
  );
}

/** For the admin route `GET /admin/v1/tenants/{id}/audit?limit=&cursor=`. */
export async function readAudit(env: Bindings, tenantId: string, opts: { limit?: number; cursor?: string | null } = {}): Promise<AuditPage> {
  return auditPage(await tenantAudit(env, tenantId).list(opts));
}

export async function verifyAudit(env: Bindings, tenantId: string): Promise<ChainCheck> {
  return tenantAudit(env, tenantId).verify();
}

/** Deletes the tenant's audit log; only when the tenant itself is deleted. */
export async function purgeAudit(env: Bindings, tenantId: string): Promise<void> {
  await tenantAudit(env, tenantId).purge();
}
