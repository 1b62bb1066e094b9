import type { Bindings } from "../env";
import { metricsObject } from "../clients/metrics";

/** The usage view's `output_guard` member per principal: `{ category: { action: n } }`. */
export async function guardUsage(env: Bindings, tenant: string): Promise<Map<string, Record<string, Record<string, number>>>> {
  const out = new Map<string, Record<string, Record<string, number>>>();
  for (const r of await metricsObject(env, tenant).guardCounts()) {
    const p = out.get(r.principal) ?? {};
    (p[r.category] ??= {})[r.action] = r.n;
    out.set(r.principal, p);
  }
  return out;
}
