import { Hono } from "hono";
import type { AdminEnv } from "../context";
import { metricsObject } from "../clients/metrics";
import { RETENTION_DAYS, bucketHistory, historyRange } from "../metrics/history";
import { loadTenant } from "./tenant-store";
import { tenantId } from "./tenants";

/** `GET /admin/v1/tenants/{id}/usage/history`: usage over time, in UTC hours or days (the console's charts). */
export const usageHistory = new Hono<AdminEnv>();

usageHistory.get("/:id/usage/history", async (c) => {
  const id = tenantId(c.req.param("id"));
  const range = historyRange(c.req.query(), Date.now());
  await loadTenant(c.env, id);
  const rows = await metricsObject(c.env, id).history(range.fromMs, range.toMs);
  return c.json({
    tenant: id,
    bucket: range.bucket,
    from: new Date(range.fromMs).toISOString(),
    to: new Date(range.toMs).toISOString(),
    retention_days: RETENTION_DAYS,
    buckets: bucketHistory(rows, range),
  });
});
