import type { Context } from "hono";
import type { AppEnv } from "../context";
import { metricsObject } from "../../durable-objects/metrics";
import { log } from "../log";
import { refusalReason, type Observation } from "./observation";
import { writeRequestPoint } from "./analytics";

/** The route label of a request that did not reach a data-plane route handler. */
function routeOf(c: Context<AppEnv>): string {
  if (c.var.route) return c.var.route;
  const path = c.req.path;
  if (path.startsWith("/admin/")) return "admin";
  if (path.startsWith("/t/")) return /\/v1\/models(\/|$)/.test(path) ? "models" : "other";
  return "public";
}

/**
 * Counts the answered request in its tenant's metrics object, after the answer (waitUntil): a
 * metrics write never delays or fails a request. The metrics route itself is not counted.
 */
export function recordMetrics(c: Context<AppEnv>, durationMs: number): void {
  if (c.req.path === "/admin/v1/metrics") return;
  const screen = /verdict=(pass|flag|block)/.exec(c.res.headers.get("x-warden-screen") ?? "")?.[1];
  const code = c.res.status < 400 ? "ok" : (c.var.errorCode ?? "origin");
  const originMs = c.var.timing?.duration("origin");
  const o: Observation = {
    tenant: c.var.tenant?.id ?? "",
    model: c.var.model?.name ?? "",
    principal: c.var.principal?.id ?? "",
    route: routeOf(c),
    status: c.res.status,
    code,
    ...(c.var.errorCode ? { reason: refusalReason(code, c.var.errorReason) } : {}),
    durationMs,
    ...(originMs === undefined ? {} : { originMs }),
    ...(screen ? { screen } : {}),
    ...(c.var.screenScore === undefined ? {} : { screenScore: c.var.screenScore }),
  };
  writeRequestPoint(c.env, o);
  try {
    c.executionCtx.waitUntil(metricsObject(c.env, o.tenant).observe(o).catch((err: unknown) => log("metrics.write_failed", { error: (err as Error).name })));
  } catch {
    // No execution context (a unit test calling the app directly): nothing to count into.
  }
}
