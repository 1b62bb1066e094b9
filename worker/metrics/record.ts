import type { Context } from "hono";
import type { RootEnv } from "../context";
import type { Bindings } from "../env";
import { metricsObject } from "../clients/metrics";
import { log } from "../log";
import { refusalReason, type CounterRow, type GuardCount, type Observation } from "./observation";
import { writeRequestPoint } from "./analytics";
import { MAX_PENDING, MetricsBatch } from "./batch";
import { DEFAULT_METRICS_FLUSH_MS, settingsOf } from "../config/settings";

/** The route label of a request that did not reach a data-plane route handler. */
function routeOf(c: Context<RootEnv>): string {
  const route = c.get("route");
  if (route) return route;
  const path = c.req.path;
  if (path.startsWith("/admin/")) return "admin";
  if (path.startsWith("/t/")) return /\/v1\/models(\/|$)/.test(path) ? "models" : "other";
  return "public";
}

/** Longest an observation waits in the isolate before its tenant's metrics object gets it (default). */
export const FLUSH_MS = DEFAULT_METRICS_FLUSH_MS;

/**
 * The flush delay: FLUSH_MS unless the `METRICS_FLUSH_MS` setting says otherwise (0 = write at
 * once). The vitest pool waits for a request's waitUntil work before SELF.fetch returns, so
 * there a delayed flush would add FLUSH_MS to every sequential request; the tests set 0.
 */
function flushDelay(env: Bindings): number {
  return settingsOf(env).metricsFlushMs;
}

const batch = new MetricsBatch();
let flushing = false;

/**
 * Counts the answered request: into this isolate's batch, written to the tenant's metrics object
 * at most FLUSH_MS later by a flush that a request's waitUntil keeps alive. A metrics write never
 * delays or fails a request. The metrics route itself is not counted.
 */
export function recordMetrics(c: Context<RootEnv>, durationMs: number): void {
  if (c.req.path === "/admin/v1/metrics") return;
  const screen = /verdict=(pass|flag|block)/.exec(c.res.headers.get("x-warden-screen") ?? "")?.[1];
  const status = c.res.status;
  const errorCode = c.get("errorCode");
  const code = status < 400 ? "ok" : (errorCode ?? "origin");
  const originMs = c.get("timing")?.duration("origin");
  const screenScore = c.get("screenScore");
  // Optional fields set only when present (no spread objects per request).
  const o: Observation = {
    tenant: c.get("tenant")?.id ?? "",
    model: c.get("model")?.name ?? "",
    principal: c.get("principal")?.id ?? "",
    route: routeOf(c),
    status,
    code,
    durationMs,
  };
  if (errorCode) o.reason = refusalReason(code, c.get("errorReason"));
  if (originMs !== undefined) o.originMs = originMs;
  if (screen) o.screen = screen;
  if (screenScore !== undefined) o.screenScore = screenScore;
  writeRequestPoint(c.env, o);
  let ctx: ExecutionContext;
  try {
    ctx = c.executionCtx;
  } catch {
    return; // No execution context (a unit test calling the app directly): nothing to count into.
  }
  batch.add(o);
  scheduleFlush(c.env, ctx);
}

/** Counter rows of a tenant that are not a request's own (tokens and cost at settlement, …): the same batch. */
export function queueMetricRows(env: Bindings, ctx: Pick<ExecutionContext, "waitUntil">, tenant: string, rows: readonly CounterRow[]): void {
  batch.addRows(tenant, rows);
  scheduleFlush(env, ctx);
}

/** One answer's output-guard counts (Prometheus rows and the usage view's per-principal counts): the same batch, no call of its own. */
export function queueGuardCounts(env: Bindings, ctx: Pick<ExecutionContext, "waitUntil">, tenant: string, rows: readonly CounterRow[], counts: readonly GuardCount[]): void {
  batch.addGuard(tenant, counts);
  batch.addRows(tenant, rows);
  scheduleFlush(env, ctx);
}

function scheduleFlush(env: Bindings, ctx: Pick<ExecutionContext, "waitUntil">): void {
  const delay = flushDelay(env);
  if (batch.pending >= MAX_PENDING || delay === 0) ctx.waitUntil(flush(env));
  else if (!flushing) {
    flushing = true;
    ctx.waitUntil(new Promise((resolve) => setTimeout(resolve, delay)).then(() => flush(env)));
  }
}

async function flush(env: Bindings): Promise<void> {
  flushing = false;
  const rows = batch.take();
  const guard = batch.takeGuard();
  const tenants = new Set([...rows.keys(), ...guard.keys()]);
  await Promise.all(
    [...tenants].map((tenant) =>
      metricsObject(env, tenant)
        .add(rows.get(tenant) ?? [], guard.get(tenant) ?? [])
        .catch((err: unknown) => log("metrics.write_failed", { error: (err as Error).name })),
    ),
  );
}

/** With a deleted tenant: what this isolate has not written yet is not written. */
export function dropMetrics(tenant: string): void {
  batch.drop(tenant);
}
