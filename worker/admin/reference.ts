import { Hono } from "hono";
import { z } from "zod";
import type { AdminEnv } from "../context";
import { WardenError } from "../errors";
import { parseWith, readJsonBody } from "../http/body";
import { referenceStats } from "../anomaly/reference";
import { loadTenant, prepareTenant } from "./tenant-store";
import { redactTenant } from "../config/sealing";
import { tenantId } from "./tenants";
import { audit } from "./audit-trail";
import { tenantObject } from "../clients/tenant";

/**
 * Reference data for the OIP anomaly check: the operator posts rows the model is meant to see;
 * Warden keeps only their per-feature mean and standard deviation in the model's config.
 */
export const reference = new Hono<AdminEnv>();

const ReferenceRequest = z
  .object({
    input: z.string().min(1),
    rows: z.array(z.array(z.number().finite()).min(1).max(65_536)).min(20).max(100_000)
      .refine((rows) => rows.every((r) => r.length === rows[0]!.length), "every row must have the same number of features"),
  })
  .strict();

reference.post("/:id/models/:model/reference", async (c) => {
  const id = tenantId(c.req.param("id"));
  const previous = await loadTenant(c.env, id);
  const index = previous.models.findIndex((m) => m.name === c.req.param("model"));
  if (index < 0) throw new WardenError("not_found", "No such model for this tenant.");
  const model = previous.models[index]!;
  if (model.protocol !== "oip") throw new WardenError("invalid_request", "Reference data applies to OIP models only.");
  const { json } = await readJsonBody(c.req.raw, 32 * 1024 * 1024);
  const req = parseWith(ReferenceRequest, json, "reference data");
  const spec = model.inputs?.find((i) => i.name === req.input);
  if (model.inputs && !spec) throw new WardenError("invalid_request", `The model declares no input ${req.input}.`);
  const stats = referenceStats(req.rows);
  const anomaly = { ...(model.anomaly ?? { mode: "monitor" as const, threshold: 4 }), reference: { input: req.input, ...stats } };
  const candidate = structuredClone(previous);
  candidate.models[index] = { ...model, anomaly };
  const next = await prepareTenant(c, candidate, previous);
  if (!(await tenantObject(c.env, id).replace(next))) throw new WardenError("not_found", "No such tenant.");
  audit(c, id, { type: "admin", reason: `reference data for ${model.name}: ${stats.n} rows` });
  return c.json(redactTenant(next).models[index]);
});
