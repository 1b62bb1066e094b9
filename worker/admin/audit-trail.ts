import type { Context } from "hono";
import type { AdminEnv } from "../context";
import { recordAudit } from "../audit/record";

export interface AuditNote {
  type: string;
  principal?: string;
  reason: string;
}

/** Records an admin change in the tenant's audit log, after the response (never delaying it). */
export function audit(c: Context<AdminEnv>, tenantId: string, note: AuditNote): void {
  recordAudit(c.env, c.executionCtx, tenantId, {
    type: note.type,
    principal: note.principal ?? c.var.adminPrincipal,
    reason: note.reason,
    detail: { actor: c.var.adminPrincipal, request_id: c.var.requestId },
  });
}
