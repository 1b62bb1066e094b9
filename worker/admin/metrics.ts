import { Hono } from "hono";
import type { AdminEnv } from "../context";
import { directoryObject } from "../clients/directory";
import { UNKNOWN_TENANT, metricsObject } from "../clients/metrics";
import { exposition } from "../metrics/exposition";
import type { CounterRow } from "../metrics/observation";

/** `GET /admin/v1/metrics` (CONTRACT §7): Prometheus text, summed over every tenant's metrics object. */
export const metrics = new Hono<AdminEnv>();

const PAGE = 500;

metrics.get("/", async (c) => {
  const directory = directoryObject(c.env);
  const tenants: string[] = [UNKNOWN_TENANT];
  for (let cursor: string | null = null; ; ) {
    const page: string[] = await directory.list(cursor, PAGE);
    tenants.push(...page);
    if (page.length < PAGE) break;
    cursor = page[page.length - 1]!;
  }
  const rows: CounterRow[] = [];
  for (let i = 0; i < tenants.length; i += 50) {
    for (const snapshot of await Promise.all(tenants.slice(i, i + 50).map((t) => metricsObject(c.env, t).snapshot()))) rows.push(...snapshot);
  }
  return c.body(exposition(rows), 200, { "content-type": "text/plain; version=0.0.4; charset=utf-8", "cache-control": "no-store" });
});
