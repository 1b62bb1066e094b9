import type { Bindings } from "../env";
import { log } from "../log";
import { metricsObject } from "../clients/metrics";
import { toUsd, type Charge } from "../budget/cost";
import { writeUsagePoint } from "./analytics";
import { usageIncrements, type UsageObservation } from "./observation";
import { queueMetricRows } from "./record";

/** OpenTelemetry GenAI `gen_ai.operation.name` of Warden's route kinds (none for OIP inference). */
const OPERATION: Record<string, string> = {
  chat: "chat",
  responses: "chat",
  messages: "chat",
  completion: "text_completion",
  embedding: "embeddings",
};

export interface SettledRequest {
  tenant: string;
  principal: string;
  model: string;
  /** The route kind (worker/pipeline/run.ts RouteSpec.kind). */
  route: string;
  requestId?: string;
  /** What was charged (already capped at the reservation), and its µUSD. */
  charge: Charge;
  tokens: number;
  costMicro: number;
}

/** The charged tokens by type; a bare total (no split reported) is unattributed. */
export function usageObservation(s: SettledRequest): UsageObservation {
  const base = { tenant: s.tenant, model: s.model, principal: s.principal, costMicro: s.costMicro };
  if (typeof s.charge === "number") return { ...base, input: 0, output: 0, unattributed: s.tokens };
  const input = Math.min(s.charge.input, s.tokens);
  return { ...base, input, output: s.tokens - input, unattributed: 0 };
}

/**
 * What a settled request used, to the operator: one log line with OpenTelemetry GenAI attribute
 * names (`gen_ai.request.model`, `gen_ai.usage.input_tokens`, …), the tenant's token and cost
 * counters, and the Analytics Engine when bound. After the answer (waitUntil); never throws.
 */
export function reportUsage(env: Bindings, ctx: Pick<ExecutionContext, "waitUntil"> | undefined, s: SettledRequest): void {
  const u = usageObservation(s);
  log("inference.settled", {
    request_id: s.requestId,
    tenant: s.tenant,
    principal: s.principal,
    ...(OPERATION[s.route] ? { "gen_ai.operation.name": OPERATION[s.route] } : {}),
    "gen_ai.request.model": s.model,
    "gen_ai.usage.input_tokens": u.input,
    "gen_ai.usage.output_tokens": u.output,
    ...(u.unattributed ? { "warden.usage.unattributed_tokens": u.unattributed } : {}),
    "warden.cost_usd": toUsd(s.costMicro),
  });
  writeUsagePoint(env, u);
  const rows = usageIncrements(u);
  if (ctx) return queueMetricRows(env, ctx, s.tenant, rows);
  // No execution context (a direct call): written on its own.
  void metricsObject(env, s.tenant)
    .add(rows)
    .catch((err: unknown) => log("metrics.write_failed", { error: (err as Error).name }));
}
