import type { Bindings } from "../env";
import type { AuditEntry, AuditPage } from "./entry";
import { log } from "../log";

/**
 * The global admin chain: tenant creations and deletions, with the admin who made them. It is an
 * AuditObject like a tenant's, under a name no tenant id can take (`:` is outside
 * `^[a-z0-9][a-z0-9-]{1,62}$`), so deleting a tenant — which purges that tenant's own log —
 * can never reach it.
 */
const GLOBAL_AUDIT = "admin:global";

function globalStub(env: Pick<Bindings, "AUDIT">) {
  return env.AUDIT.get(env.AUDIT.idFromName(GLOBAL_AUDIT));
}

/**
 * Appends after the change it records, and waits for it: a 201/204 means the entry is written.
 * A failed write is logged for the operator rather than turned into an error, because the change
 * itself has already happened and an error would tell the operator it had not.
 */
export async function recordGlobal(env: Pick<Bindings, "AUDIT">, entry: AuditEntry): Promise<void> {
  try {
    await globalStub(env).append(entry);
  } catch (err) {
    log("audit.global_append_failed", { type: entry.type, principal: entry.principal, error: err instanceof Error ? err.message : "error" });
  }
}

/** For `GET /admin/v1/audit?limit=&cursor=`. */
export async function readGlobal(env: Pick<Bindings, "AUDIT">, opts: { limit?: number; cursor?: string | null }): Promise<AuditPage> {
  return (await globalStub(env).list(opts)) as AuditPage;
}
