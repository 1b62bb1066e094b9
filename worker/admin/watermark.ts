import { Hono, type Context } from "hono";
import { z } from "zod";
import type { AdminEnv } from "../context";
import type { Bindings } from "../env";
import { WardenError } from "../errors";
import { parseWith, readJsonBody } from "../http/body";
import { verifyLabels } from "../protect/label-watermark";
import { textWatermarkKey, verifyText } from "../protect/text-watermark";
import { decodeEmbedding, embeddingDirection, embeddingWatermarkKey, verifyEmbeddings } from "../protect/embedding-watermark";
import { loadTenant } from "./tenant-store";
import { tenantId } from "./tenants";
import { forward } from "../origin/forward";
import { openHeaders } from "../config/sealing";
import type { Model } from "../config/model";
import { log } from "../log";
import { tenantObject } from "../clients/tenant";

/** CONTRACT §6 proof: the recorded watermark inputs, and attribution of a suspect's outputs. */
export const watermark = new Hono<AdminEnv>();

const MAX_RECORDS = 10_000;

watermark.get("/:id/watermark/records", async (c) => {
  const id = tenantId(c.req.param("id"));
  const tenant = await loadTenant(c.env, id);
  const model = c.req.query("model");
  if (!model || !tenant.models.some((m) => m.name === model)) throw new WardenError("not_found", "No such model for this tenant.");
  const records = await tenantObject(c.env, id).watermarkRecords(model, c.req.query("principal") ?? null, MAX_RECORDS);
  return c.json({ items: records.map((r) => ({ principal: r.principal, input: JSON.parse(r.input) as unknown, label: r.label })) });
});

const VerifyRequest = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("labels"),
    model: z.string().min(1),
    answers: z.array(z.object({ input: z.array(z.unknown()), label: z.number().int().min(0) })).min(1).max(100_000),
    /** Class count of the model; defaults to one more than the largest label seen. */
    classes: z.number().int().min(2).optional(),
  }),
  z.object({ kind: z.literal("text"), text: z.string().min(1).max(1_000_000) }),
  z.object({
    kind: z.literal("embeddings"),
    model: z.string().min(1),
    items: z.array(z.object({ input: z.string().optional(), embedding: z.union([z.array(z.number()).min(1), z.string().min(1)]) })).min(1).max(10_000),
  }),
]);

watermark.post("/:id/watermark/verify", async (c) => {
  const id = tenantId(c.req.param("id"));
  const tenant = await loadTenant(c.env, id);
  const { json } = await readJsonBody(c.req.raw, 16 * 1024 * 1024);
  const req = parseWith(VerifyRequest, json, "verification request");
  const master = c.get("masterKey");
  if (req.kind === "text") {
    const key = await textWatermarkKey(master, id);
    return c.json(await verifyText(req.text, key, await candidates(c.env, id)));
  }
  if (!tenant.models.some((m) => m.name === req.model)) throw new WardenError("not_found", "No such model for this tenant.");
  if (req.kind === "labels") {
    const records = (await tenantObject(c.env, id).watermarkRecords(req.model, null, MAX_RECORDS)).map((r) => ({ ...r, input: JSON.parse(r.input) as unknown }));
    const classes = req.classes ?? Math.max(2, ...records.map((r) => r.label + 1), ...req.answers.map((a) => a.label + 1));
    return c.json(verifyLabels(req.answers, records, { classes }));
  }
  const dims = new Set(
    req.items.map((i) => {
      try {
        return decodeEmbedding(i.embedding).length;
      } catch {
        throw new WardenError("invalid_request", "Every embedding must be an array of numbers or base64 of float32 values.");
      }
    }),
  );
  if (dims.size !== 1) throw new WardenError("invalid_request", "All embeddings must have the same dimension.");
  const dim = [...dims][0]!;
  const principals = await candidates(c.env, id);
  const directions = await Promise.all(
    principals.map(async (principal) => ({ principal, direction: await embeddingDirection(await embeddingWatermarkKey(master, id, req.model, principal), dim) })),
  );
  const model = tenant.models.find((m) => m.name === req.model)!;
  const references = await cleanEmbeddings(c, model, req.items.map((i) => i.input));
  return c.json(verifyEmbeddings(req.items.map((i) => i.embedding), directions, references ? { references } : {}));
});

/**
 * The origin's own (unmarked) embeddings of the same inputs: with them the test measures the
 * suspect's lean towards each direction relative to the true vectors, not to their shared mean,
 * which makes it far stronger. Without inputs, or when the origin fails, the test runs without.
 */
async function cleanEmbeddings(c: Context<AdminEnv>, model: Model, inputs: Array<string | undefined>): Promise<number[][] | null> {
  if (inputs.some((i) => i === undefined)) return null;
  const master = c.get("masterKey");
  try {
    const res = await forward({
      model,
      path: "/v1/embeddings",
      method: "POST",
      clientHeaders: new Headers({ "content-type": "application/json" }),
      body: JSON.stringify({ model: model.name, input: inputs, encoding_format: "float" }),
      requestId: c.var.requestId,
      tenantId: c.req.param("id")!,
      principalId: "admin:watermark-verify",
      originHeaders: (o) => openHeaders(master, c.req.param("id")!, o.headers),
      allowLoopback: c.get("settings").allowLoopback,
    });
    const json = (await res.json()) as { data?: Array<{ embedding: number[] }> };
    if (!res.ok || !Array.isArray(json.data) || json.data.length !== inputs.length) return null;
    return json.data.map((d) => d.embedding);
  } catch (err) {
    log("watermark.references_unavailable", { request_id: c.var.requestId, error: err instanceof WardenError ? err.code : "error" });
    return null;
  }
}

/** Principals a mark could name: the tenant's keys and every principal with recorded activity. */
async function candidates(env: Bindings, id: string): Promise<string[]> {
  const keys = await tenantObject(env, id).listKeys();
  const known = new Set(keys.map((k) => `key:${k.id}`));
  for (const p of await tenantObject(env, id).knownPrincipals()) known.add(p);
  return [...known];
}
