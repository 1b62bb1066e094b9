import type { Bindings } from "../env";
import { auditPage, type AuditEntry, type AuditPage } from "./entry";
import { log } from "../log";
import { globalAudit } from "../clients/audit";

// The global admin chain: tenant creations and deletions, with the admin who made them. Its name,
// and why no tenant can reach it, is in worker/clients/audit.ts.

/**
 * Appends after the change it records, and waits for it: a 201/204 means the entry is written.
 * A failed write is logged for the operator rather than turned into an error, because the change
 * itself has already happened and an error would tell the operator it had not.
 */
export async function recordGlobal(env: Pick<Bindings, "AUDIT">, entry: AuditEntry): Promise<void> {
  try {
    await globalAudit(env).append(entry);
  } catch (err) {
    log("audit.global_append_failed", { type: entry.type, principal: entry.principal, error: err instanceof Error ? err.message : "error" });
  }
}

/** For `GET /admin/v1/audit?limit=&cursor=`. */
export async function readGlobal(env: Pick<Bindings, "AUDIT">, opts: { limit?: number; cursor?: string | null }): Promise<AuditPage> {
  return auditPage(await globalAudit(env).list(opts));
}
