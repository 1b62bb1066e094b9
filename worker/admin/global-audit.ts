import { Hono } from "hono";
import type { AdminEnv } from "../context";
import { readGlobal } from "../audit/global";
import { pageLimit } from "./tenants";

/** CONTRACT §7: `GET /admin/v1/audit`, the global admin chain (tenant creations and deletions). */
export const globalAudit = new Hono<AdminEnv>();

globalAudit.get("/", async (c) => {
  const limit = pageLimit(c.req.query("limit"), 100, 1000);
  return c.json(await readGlobal(c.env, { limit, cursor: c.req.query("cursor") ?? null }));
});
