import { Hono, type Context } from "hono";
import type { AdminEnv } from "../context";
import { WardenError } from "../errors";
import { readJsonBody } from "../http/body";
import { mergePatch } from "../config/merge-patch";
import { redactTenant } from "../config/sealing";
import { TENANT_ID } from "../config/tenant";
import { loadTenant, prepareTenant } from "./tenant-store";
import { audit } from "./audit-trail";
import { purgeBudgets } from "./budget-usage";
import { tenantBudget } from "../clients/budget";
import { purgeAudit, readAudit } from "../audit/record";
import { recordGlobal } from "../audit/global";
import { forgetTenant, tenantExists } from "../auth/known-tenants";
import { trustOf } from "../auth/jwt-trust";
import { reserveTenant, updateTrust } from "./trust";
import { purgeExtraction } from "./extraction-status";
import { tenantObject } from "../clients/tenant";
import { directoryObject } from "../clients/directory";
import { metricsObject } from "../clients/metrics";
import { dropMetrics } from "../metrics/record";

const ADMIN_BODY_LIMIT = 1024 * 1024;

/** CONTRACT §7: tenants. Every write validates fully before it stores anything. */
export const tenants = new Hono<AdminEnv>();

tenants.post("/", async (c) => {
  const { json } = await readJsonBody(c.req.raw, ADMIN_BODY_LIMIT);
  const tenant = await prepareTenant(c, json);
  await reserveTenant(c.env, tenant);
  try {
    if (!(await tenantObject(c.env, tenant.id).create(tenant))) throw new WardenError("conflict", "A tenant with this id exists.");
  } catch (err) {
    await directoryObject(c.env).release(tenant.id);
    throw err;
  }
  audit(c, tenant.id, { type: "tenant.created", reason: "admin" });
  await recordGlobal(c.env, globalEntry(c, "tenant.created", tenant.id));
  return c.json(redactTenant(tenant), 201);
});

tenants.get("/", async (c) => {
  const limit = pageLimit(c.req.query("limit"), 100, 500);
  const cursor = c.req.query("cursor") ?? null;
  const ids = await directoryObject(c.env).list(cursor, limit);
  const items = (await Promise.all(ids.map((id) => tenantObject(c.env, id).get()))).filter((t) => t !== null).map(redactTenant);
  return c.json({ items, ...(ids.length === limit ? { next_cursor: ids[ids.length - 1] } : {}) });
});

tenants.get("/:id", async (c) => c.json(redactTenant(await loadTenant(c.env, tenantId(c.req.param("id"))))));

tenants.patch("/:id", async (c) => {
  const id = tenantId(c.req.param("id"));
  const previous = await loadTenant(c.env, id);
  const { json: patch } = await readJsonBody(c.req.raw, ADMIN_BODY_LIMIT);
  if (typeof patch !== "object" || patch === null || Array.isArray(patch)) {
    throw new WardenError("invalid_request", "A merge patch must be a JSON object.");
  }
  if ("id" in patch && (patch as { id: unknown }).id !== id) throw new WardenError("invalid_request", "The id of a tenant cannot change.");
  const next = await prepareTenant(c, mergePatch(previous, patch), previous);
  // The trust is claimed first: a clash (409) leaves the stored tenant as it was.
  await updateTrust(c.env, next);
  try {
    if (!(await tenantObject(c.env, id).replace(next))) throw new WardenError("not_found", "No such tenant.");
  } catch (err) {
    await directoryObject(c.env).track(id, trustOf(previous));
    throw err;
  }
  audit(c, id, { type: "tenant.updated", reason: `fields: ${Object.keys(patch).join(",")}` });
  return c.json(redactTenant(next));
});

tenants.delete("/:id", async (c) => {
  const id = tenantId(c.req.param("id"));
  // Existence is the directory's: a tenant whose stored document no longer reads (durable-objects/STORAGE.md) can still be deleted.
  if (!(await tenantExists(c.env, id))) throw new WardenError("not_found", "No such tenant.");
  // The head of the tenant's own chain, kept in the global one: a later copy of that log can be checked against it.
  const { head } = await readAudit(c.env, id, { limit: 1 });
  await tenantObject(c.env, id).destroy();
  await directoryObject(c.env).release(id);
  forgetTenant(id);
  dropMetrics(id);
  // Budgets, signals and audit of a deleted tenant go too: a tenant later created with the same id starts clean.
  const principals = await tenantBudget(c.env, id).principals();
  await Promise.all([purgeBudgets(c.env, id), purgeAudit(c.env, id), purgeExtraction(c.env, id, principals), metricsObject(c.env, id).purge()]);
  // The tenant's own log is gone now; the global chain keeps that it existed and who removed it.
  await recordGlobal(c.env, globalEntry(c, "tenant.deleted", id, { audit_head: head }));
  return c.body(null, 204);
});

function globalEntry(c: Context<AdminEnv>, type: string, tenant: string, extra: Record<string, unknown> = {}) {
  return { type, principal: c.var.adminPrincipal, reason: "admin", detail: { tenant, request_id: c.var.requestId, ...extra } };
}

/** A page size from a query string: a whole number within [1, max], else the default. */
export function pageLimit(raw: string | undefined, fallback: number, max: number): number {
  const n = Math.floor(Number(raw ?? fallback));
  return Number.isFinite(n) && n >= 1 ? Math.min(n, max) : fallback;
}

export function tenantId(raw: string | undefined): string {
  if (!raw || !TENANT_ID.test(raw)) throw new WardenError("not_found", "No such tenant.");
  return raw;
}
