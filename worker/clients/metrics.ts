import type { Bindings } from "../env";
import { UNKNOWN_TENANT, type MetricsObject } from "../../durable-objects/metrics";

/**
 * The Worker's side of MetricsObject: one object per tenant (counters, guard counts, usage
 * history), plus one for requests with no tenant yet, addressed by name here and nowhere else.
 * The name is stored data's address: never change its format.
 */
/** The tenant of the object that counts requests refused before any tenant was known. */
export { UNKNOWN_TENANT };

export type MetricsStub = DurableObjectStub<MetricsObject>;

export function metricsObjectName(tenant: string): string {
  return `metrics:${tenant || UNKNOWN_TENANT}`;
}

export function metricsObject(env: Pick<Bindings, "METRICS">, tenant: string): MetricsStub {
  return env.METRICS.getByName(metricsObjectName(tenant));
}
