import { afterEach, describe, expect, it, vi } from "vitest";
import { env, runInDurableObject } from "cloudflare:test";
import { tenantObject } from "../../../worker/clients/tenant";
import { admin, bearer, call, chatModel, createTenant, issueKey, json, problem } from "../../helpers/warden";
import { captureLog } from "../../helpers/operator-log";

/** Restarts a tenant's object, so that it loads its document from storage again. */
async function reload(id: string): Promise<void> {
  await runInDurableObject(tenantObject(env, id), (_o, state) => (state as unknown as { abort(reason?: string): void }).abort("reload")).catch(() => {});
}

/**
 * A stored tenant document is parsed with the schema when its object loads (issue 11 #4), not
 * cast: a document stored before a section with defaults existed is read with those defaults.
 */
describe("stored tenant documents are parsed on load", () => {
  it("gives a document stored without a policy the schema's defaults", async () => {
    const { id } = await createTenant();
    // As a tenant stored before `policy` (or a section of it) existed would look.
    await runInDurableObject(tenantObject(env, id), (_o, state) => {
      const doc = JSON.parse(state.storage.sql.exec<{ doc: string }>("SELECT doc FROM tenant").one().doc) as Record<string, unknown>;
      delete doc.policy;
      state.storage.sql.exec("UPDATE tenant SET doc = ?", JSON.stringify(doc));
    });
    await reload(id);
    const res = await admin(`/tenants/${id}`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as { policy: Record<string, unknown> };
    expect(body.policy.auth).toEqual({ api_keys: true });
    expect(body.policy.screening).toEqual({ mode: "off", threshold: 0.9, allow: [], on_error: "closed", expose_score: true, system_prompts: "client" });
    expect(body.policy.extraction).toEqual({ mode: "on", degrade_at: 0.6, block_at: 0.9, cooldown_s: 900, text: "degrade" });
    expect(body.policy.limits).toEqual({});
  });

  afterEach(() => vi.restoreAllMocks());

  it("refuses a document that no longer fits the schema, naming the failing path but no value", async () => {
    const { id } = await createTenant();
    const { key } = await issueKey(id);
    await runInDurableObject(tenantObject(env, id), (_o, state) => {
      const doc = JSON.parse(state.storage.sql.exec<{ doc: string }>("SELECT doc FROM tenant").one().doc) as { policy: { screening: Record<string, unknown> } };
      doc.policy.screening = { mode: "loud-secret-value" };
      state.storage.sql.exec("UPDATE tenant SET doc = ?", JSON.stringify(doc));
    });
    await reload(id);
    const log = captureLog();
    const read = await admin(`/tenants/${id}`);
    expect(read.status).toBe(500);
    expect((await problem(read)).code).toBe("internal");
    const chat = await call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hi" }] }, bearer(key)));
    expect(chat.status).toBeGreaterThanOrEqual(400);
    expect(log.events()).toContainEqual(expect.objectContaining({ event: "tenant.stored_invalid", issues: ["policy.screening.mode: invalid_value"] }));
    expect(log.raw()).not.toContain("loud-secret-value");
    // The operator can still remove it.
    expect((await admin(`/tenants/${id}`, "DELETE")).status).toBe(204);
    expect((await admin(`/tenants/${id}`)).status).toBe(404);
  });
});

/** A key row's JSON columns are parsed as they are read, like the document (issue 11 #4). */
describe("stored key records are parsed on load", () => {
  afterEach(() => vi.restoreAllMocks());

  it("refuses a key whose stored limits no longer fit the schema, names the failing path but no value, and lets it be revoked", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")] });
    const bad = await issueKey(id, { name: "bad", limits: { requests_per_minute: 5 } });
    const good = await issueKey(id, { name: "good" });
    await runInDurableObject(tenantObject(env, id), (_o, state) => {
      state.storage.sql.exec("UPDATE api_keys SET limits = ? WHERE id = ?", JSON.stringify({ requests_per_minute: "loud-secret-value" }), bad.id);
    });
    const log = captureLog();
    const chat = (key: string) => call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 3 }, bearer(key)));
    const refused = await chat(bad.key);
    expect(refused.status).toBe(500);
    expect((await problem(refused)).code).toBe("internal");
    expect(log.events()).toContainEqual(expect.objectContaining({ event: "tenant.key_stored_invalid", key: bad.id, issues: ["limits.requests_per_minute: invalid_type"] }));
    expect(log.raw()).not.toContain("loud-secret-value");
    // The tenant's other keys read their own rows only.
    expect((await chat(good.key)).status).toBe(200);
    // The operator can still revoke it (revocation reads no column); it stays refused.
    expect((await admin(`/tenants/${id}/keys/${bad.id}`, "DELETE")).status).toBe(204);
    expect((await chat(bad.key)).status).toBe(500);
  });
});
