import type { Bindings } from "../env";
import type { Observation, UsageObservation } from "./observation";

/**
 * Workers Analytics Engine, when the optional `ANALYTICS` dataset is bound (docs/metrics.md): one
 * data point per answered request and one per settled request, indexed by tenant, so an
 * operator can query per tenant, model and principal with SQL over any time range. The
 * Prometheus counters (MetricsObject) stay the source of the exposition; this is an extra sink,
 * and a failure to write it never touches the request.
 *
 * Request point: blobs [kind="request", model, principal, route, code, reason, screen],
 *   doubles [status, duration_ms, origin_ms (−1: not reached), screen_score (−1: not screened)].
 * Usage point:   blobs [kind="usage", model, principal],
 *   doubles [input_tokens, output_tokens, unattributed_tokens, cost_usd].
 */
export function writeRequestPoint(env: Pick<Bindings, "ANALYTICS">, o: Observation): void {
  write(env, o.tenant, [
    "request", o.model, o.principal ?? "", o.route, o.code, o.reason ?? "", o.screen ?? "",
  ], [o.status, o.durationMs, o.originMs ?? -1, o.screenScore ?? -1]);
}

export function writeUsagePoint(env: Pick<Bindings, "ANALYTICS">, u: UsageObservation): void {
  write(env, u.tenant, ["usage", u.model, u.principal], [u.input, u.output, u.unattributed, u.costMicro / 1e6]);
}

function write(env: Pick<Bindings, "ANALYTICS">, tenant: string, blobs: string[], doubles: number[]): void {
  if (!env.ANALYTICS) return;
  try {
    env.ANALYTICS.writeDataPoint({ indexes: [tenant || "-"], blobs, doubles });
  } catch {
    // An extra sink: a full buffer or a bad binding must not fail the request.
  }
}
