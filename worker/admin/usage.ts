import { Hono } from "hono";
import type { AdminEnv } from "../context";
import { WardenError } from "../errors";
import { readUsage } from "./budget-usage";
import { readAudit } from "../audit/record";
import { extractionStatuses, resetExtraction, statusOf } from "./extraction-status";
import { loadTenant } from "./tenant-store";
import { pageLimit, tenantId } from "./tenants";
import { audit } from "./audit-trail";
import { guardUsage } from "./guard-usage";

/** CONTRACT §7: usage per window and principal, the audit log, and resetting a principal. */
export const usage = new Hono<AdminEnv>();

const PRINCIPAL = /^(key|sub):.{1,256}$/;

usage.get("/:id/usage", async (c) => {
  const id = tenantId(c.req.param("id"));
  await loadTenant(c.env, id);
  const [report, statuses, guard] = await Promise.all([readUsage(c.env, id), extractionStatuses(c.env, id), guardUsage(c.env, id)]);
  const principals = report.principals.map((row) => ({ ...row, extraction: statusOf(statuses, row.principal), ...(guard.has(row.principal) ? { output_guard: guard.get(row.principal) } : {}) }));
  return c.json({ ...report, principals });
});

usage.get("/:id/audit", async (c) => {
  const id = tenantId(c.req.param("id"));
  await loadTenant(c.env, id);
  const limit = pageLimit(c.req.query("limit"), 100, 1000);
  return c.json(await readAudit(c.env, id, { limit, cursor: c.req.query("cursor") ?? null }));
});

usage.post("/:id/principals/:principal/reset", async (c) => {
  const id = tenantId(c.req.param("id"));
  await loadTenant(c.env, id);
  // Hono has already percent-decoded the path parameter; decoding again would change the name.
  const principal = c.req.param("principal");
  if (!PRINCIPAL.test(principal)) throw new WardenError("not_found", "No such principal (expected key:<id> or sub:<subject>).");
  await resetExtraction(c.env, id, principal);
  audit(c, id, { type: "admin", principal, reason: "extraction state reset" });
  return c.body(null, 204);
});
