import { Hono } from "hono";
import { z } from "zod";
import type { AdminEnv } from "../context";
import { WardenError } from "../errors";
import { parseWith, readJsonBody } from "../http/body";
import { LimitsSchema } from "../config/policy";
import { MODEL_NAME } from "../config/model";
import { mintApiKey } from "../auth/api-key";
import { loadTenant } from "./tenant-store";
import { tenantId } from "./tenants";
import { audit } from "./audit-trail";
import { tenantObject } from "../clients/tenant";

const KeyRequest = z
  .object({
    name: z.string().min(1).max(200),
    scopes: z.array(z.union([z.literal("*"), z.string().regex(MODEL_NAME)])).min(1).max(256).default(["*"]),
    expires_at: z.iso.datetime({ offset: true }).nullable().default(null)
      .refine((v) => v === null || Date.parse(v) > Date.now(), "must be in the future"),
    limits: LimitsSchema.nullable().default(null),
  })
  .strict();

/** CONTRACT §7: API keys. The key is returned once, on creation; only its hash is stored. */
export const keys = new Hono<AdminEnv>();

keys.post("/:id/keys", async (c) => {
  const id = tenantId(c.req.param("id"));
  await loadTenant(c.env, id);
  const { json } = await readJsonBody(c.req.raw, 64 * 1024);
  const req = parseWith(KeyRequest, json, "key request");
  const minted = await mintApiKey(id);
  const record = {
    id: minted.keyId,
    name: req.name,
    scopes: req.scopes,
    limits: req.limits,
    expires_at: req.expires_at === null ? null : new Date(req.expires_at).toISOString(),
    created_at: new Date().toISOString(),
    revoked_at: null,
  };
  if (!(await tenantObject(c.env, id).issueKey({ ...record, secret_sha256: minted.secretSha256 }))) {
    throw new WardenError("not_found", "No such tenant.");
  }
  audit(c, id, { type: "key.issued", principal: `key:${record.id}`, reason: req.name });
  return c.json({ ...record, key: minted.key }, 201);
});

keys.get("/:id/keys", async (c) => {
  const id = tenantId(c.req.param("id"));
  await loadTenant(c.env, id);
  return c.json({ items: await tenantObject(c.env, id).listKeys() });
});

keys.delete("/:id/keys/:keyId", async (c) => {
  const id = tenantId(c.req.param("id"));
  await loadTenant(c.env, id);
  if (!(await tenantObject(c.env, id).revokeKey(c.req.param("keyId")))) throw new WardenError("not_found", "No such key.");
  audit(c, id, { type: "key.revoked", principal: `key:${c.req.param("keyId")}`, reason: "admin" });
  return c.body(null, 204);
});
