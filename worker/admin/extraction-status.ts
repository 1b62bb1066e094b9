// The admin side of the signals objects: every principal's standing for the usage view, reset, and purge with the tenant.
import type { Bindings } from "../env";
import type { PrincipalExtraction } from "../../durable-objects/signals";
import { principalSignals, tenantSignals } from "../clients/signals";
import { noteExtraction } from "../clients/budget";

/** A principal's extraction state as the usage view shows it (CONTRACT §5). */
export interface ExtractionStatus {
  score: number;
  state: "normal" | "degraded" | "blocked";
  until: string | null;
}

const NORMAL: ExtractionStatus = { score: 0, state: "normal", until: null };


/** Every principal's standing, from the tenant-wide view, for the usage route. */
export async function extractionStatuses(env: Bindings, tenantId: string): Promise<Map<string, ExtractionStatus>> {
  const rows: PrincipalExtraction[] = await tenantSignals(env, tenantId).principals();
  return new Map(rows.map((r) => [r.principal, { score: r.score, state: r.state, until: r.until }]));
}

export function statusOf(statuses: Map<string, ExtractionStatus>, principal: string): ExtractionStatus {
  return statuses.get(principal) ?? NORMAL;
}

/** Clears the signals and the standing the principal's budget object holds for the gate. */
export async function resetExtraction(env: Bindings, tenantId: string, principal: string): Promise<void> {
  await principalSignals(env, tenantId, principal).reset();
  await noteExtraction(env, tenantId, principal, { state: "normal", until: null, reset: true });
}

/**
 * For `DELETE /admin/v1/tenants/{id}`: every principal's signals, then the tenant-wide view.
 * `known` is the budget index of principals (read before the budgets go): a principal whose
 * observations are still waiting to reach the tenant view (coalesced, up to 1 s or 8 rows) is not in the
 * view's list yet, and its own object must be wiped too (each reset first sends what is pending).
 */
export async function purgeExtraction(env: Bindings, tenantId: string, known: readonly string[] = []): Promise<void> {
  const rows: PrincipalExtraction[] = await tenantSignals(env, tenantId).principals();
  const principals = new Set([...rows.map((r) => r.principal), ...known]);
  await Promise.all([...principals].map((p) => principalSignals(env, tenantId, p).reset()));
  await tenantSignals(env, tenantId).reset();
}
