import { env, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { admin, bearer, call, chatModel, createTenant, issueKey, json, problem } from "../helpers/warden";
import { itInOneUtcDay } from "../helpers/clock";
import { tenantObject } from "../../worker/clients/tenant";

/**
 * Forwarded requests are admitted from the isolate's cache of the tenant (worker/auth/
 * tenant-cache.ts); the principal's budget object knows the current configuration version and
 * refuses a stale one, so a change made anywhere applies to the very next request. Admin calls
 * here do not touch this isolate's cache: what the worker holds is exactly the stale copy another
 * isolate would hold.
 */
const chat = (id: string, key: string, model = "chat") =>
  call(`/t/${id}/v1/chat/completions`, json({ model, messages: [{ role: "user", content: "Tell me about the sea" }], max_tokens: 8 }, bearer(key)));

describe("the isolate's tenant cache", () => {
  it("applies a key revocation to the very next request", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")] });
    const { key, id: keyId } = await issueKey(id);
    const other = await issueKey(id, { name: "other" });
    for (let i = 0; i < 3; i++) expect((await chat(id, key)).status).toBe(200);
    expect((await chat(id, other.key)).status).toBe(200);
    expect((await admin(`/tenants/${id}/keys/${keyId}`, "DELETE")).status).toBe(204);
    const res = await chat(id, key);
    expect(res.status).toBe(401);
    expect((await problem(res)).code).toBe("unauthorized");
    // Other keys of the tenant go on working on a fresh read.
    expect((await chat(id, other.key)).status).toBe(200);
    expect((await chat(id, key)).status).toBe(401);
  });

  itInOneUtcDay("applies a configuration change to the very next request", async () => {
    const { id } = await createTenant({ models: [chatModel("chat"), chatModel("spare")] });
    const { key } = await issueKey(id);
    expect((await chat(id, key, "spare")).status).toBe(200);
    expect((await admin(`/tenants/${id}`, "PATCH", { models: [chatModel("chat")] }, "application/merge-patch+json")).status).toBe(200);
    expect((await chat(id, key, "spare")).status).toBe(404);
    expect((await admin(`/tenants/${id}`, "PATCH", { policy: { limits: { requests_per_day: 1 } } }, "application/merge-patch+json")).status).toBe(200);
    const rechecked = await chat(id, key);
    expect(rechecked.status).toBe(200);
    // Checked twice (cached, then fresh), reported once per stage (CONTRACT §5).
    const stages = (rechecked.headers.get("server-timing") ?? "").split(",").map((e) => e.trim().split(";")[0]);
    expect(stages).toEqual(["auth", "validate", "screen", "budget", "origin", "protect"]);
    expect((await chat(id, key)).status).toBe(429);
  });

  it("admits a cached credential without reading the tenant's object (issue 11 #1: the budget admission is the one call)", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")] });
    const { key } = await issueKey(id);
    expect((await chat(id, key)).status).toBe(200);
    // The tenant's object can no longer answer a read, and no configuration version moved.
    await runInDurableObject(tenantObject(env, id), (_o, state) => void state.storage.sql.exec("UPDATE tenant SET doc = ?", "{}"));
    await runInDurableObject(tenantObject(env, id), (_o, state) => (state as unknown as { abort(reason?: string): void }).abort("reload")).catch(() => {});
    // A route that reads the object (no budget admission) fails; the forwarded route, admitted from the cache, does not read it.
    expect((await call(`/t/${id}/v1/models`, { headers: bearer(key) })).status).toBe(500);
    expect((await chat(id, key)).status).toBe(200);
  });

  it("stops serving a deleted tenant at once, and a tenant created again under the same id starts from its own keys", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")] });
    const { key } = await issueKey(id);
    expect((await chat(id, key)).status).toBe(200);
    expect((await admin(`/tenants/${id}`, "DELETE")).status).toBe(204);
    expect((await chat(id, key)).status).toBe(401);
    await createTenant({ id, models: [chatModel("chat")] });
    expect((await chat(id, key)).status).toBe(401);
    const fresh = await issueKey(id);
    expect((await chat(id, fresh.key)).status).toBe(200);
  });

  it("applies a change to a principal whose version lease ran out: not told by the tenant, it asks on its next request", async () => {
    const { id } = await createTenant({ models: [chatModel("chat"), chatModel("spare")] });
    const { key, id: keyId } = await issueKey(id);
    expect((await chat(id, key, "spare")).status).toBe(200);
    // The lease runs out on both sides, as five quiet minutes would leave it.
    const budget = (name: string) => env.BUDGETS.get(env.BUDGETS.idFromName(name));
    // A stub per call: a stub to an object that was restarted stays broken.
    const principal = () => budget(`p:${id}:key:${keyId}`);
    await runInDurableObject(budget(`t:${id}`), (_o, state) => void state.storage.sql.exec("UPDATE budget_principals SET version_lease_until = 0"));
    await runInDurableObject(principal(), (_o, state) => void state.storage.sql.exec("UPDATE budget_meta SET value = '0' WHERE key = 'version_until'"));
    // Restarted, so that the object reloads the lease it holds from storage.
    await runInDurableObject(principal(), (_o, state) => (state as unknown as { abort(reason?: string): void }).abort("reload")).catch(() => {});
    const versionOf = () => runInDurableObject(principal(), (_o, state) => state.storage.sql.exec<{ value: string }>("SELECT value FROM budget_meta WHERE key = 'config_version'").one().value);
    const before = await versionOf();
    expect((await admin(`/tenants/${id}`, "PATCH", { models: [chatModel("chat")] }, "application/merge-patch+json")).status).toBe(200);
    expect(await versionOf()).toBe(before); // not announced: no lease
    expect((await chat(id, key, "spare")).status).toBe(404);
    expect(Number(await versionOf())).toBeGreaterThan(Number(before));
  });
});
