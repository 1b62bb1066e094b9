import { describe, expect, it } from "vitest";
import { env, runInDurableObject } from "cloudflare:test";
import { admin, call, chatModel, createTenant, problem, uniqueTenantId } from "../../helpers/warden";
import { tenantObject } from "../../../worker/clients/tenant";

describe("admin API: tenants (CONTRACT §7)", () => {
  it("creates a tenant, hides origin header values, and refuses a second with the same id", async () => {
    const id = uniqueTenantId();
    const doc = { id, name: "Acme", models: [chatModel("m", "", { origins: [{ url: env.ORIGIN_URL, headers: { authorization: "Bearer s3cret-origin" } }] })] };
    const res = await admin("/tenants", "POST", doc);
    expect(res.status).toBe(201);
    const text = await res.text();
    expect(text).not.toContain("s3cret-origin");
    const body = JSON.parse(text);
    expect(body.models[0].origins[0].headers.authorization).toBe("***");
    expect(body.policy.extraction).toEqual({ mode: "on", degrade_at: 0.6, block_at: 0.9, cooldown_s: 900, text: "degrade" });

    const again = await admin("/tenants", "POST", doc);
    expect(again.status).toBe(409);
    expect((await problem(again)).code).toBe("conflict");
  });

  it("stores origin header values encrypted, never in plain text", async () => {
    const { id } = await createTenant({ models: [chatModel("m", "", { origins: [{ url: env.ORIGIN_URL, headers: { "x-origin-key": "plain-secret-value" } }] })] });
    const stub = tenantObject(env, id);
    const raw = await runInDurableObject(stub, (_obj, state) => state.storage.sql.exec<{ doc: string }>("SELECT doc FROM tenant").one().doc);
    expect(raw).not.toContain("plain-secret-value");
    expect(raw).toMatch(/enc:v1:/);
  });

  it("rejects an invalid config with 400 naming the failing paths, and stores nothing", async () => {
    const id = uniqueTenantId();
    const res = await admin("/tenants", "POST", { id, name: "", models: [{ name: "m", protocol: "grpc", origins: [] }], policy: { limits: { requests_per_minute: -1 } } });
    expect(res.status).toBe(400);
    const p = (await problem(res)) as unknown as { code: string; errors: Array<{ path: string }> };
    expect(p.code).toBe("invalid_request");
    const paths = p.errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["name", "models.0.protocol", "models.0.origins", "policy.limits.requests_per_minute"]));
    expect((await admin(`/tenants/${id}`)).status).toBe(404);
  });

  it("refuses private and (unless allowed) loopback origins", async () => {
    const res = await admin("/tenants", "POST", { id: uniqueTenantId(), name: "x", models: [{ name: "m", protocol: "openai", origins: [{ url: "http://10.0.0.5:8000" }] }] });
    expect(res.status).toBe(400);
    const p = (await res.json()) as { errors: Array<{ path: string }> };
    expect(p.errors[0]!.path).toBe("models.0.origins.0.url");
  });

  it("rejects malformed JSON, wrong media types and invalid tenant ids without side effects", async () => {
    const bad = await call("/admin/v1/tenants", { method: "POST", headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "application/json" }, body: "{nope" });
    expect(bad.status).toBe(400);
    const media = await call("/admin/v1/tenants", { method: "POST", headers: { authorization: `Bearer ${env.ADMIN_TOKEN}`, "content-type": "text/plain" }, body: "{}" });
    expect(media.status).toBe(415);
    const badId = await admin("/tenants", "POST", { id: "Bad_ID", name: "x" });
    expect(badId.status).toBe(400);
  });

  it("lists and reads tenants", async () => {
    const { id } = await createTenant();
    const list = (await (await admin("/tenants")).json()) as { items: Array<{ id: string }> };
    expect(list.items.map((t) => t.id)).toContain(id);
    const one = (await (await admin(`/tenants/${id}`)).json()) as { id: string };
    expect(one.id).toBe(id);
    expect((await admin("/tenants/no-such-tenant")).status).toBe(404);
  });

  it("merge-patches (RFC 7396), keeps secrets sent back as ***, and rejects an invalid patch unchanged", async () => {
    const { id } = await createTenant({ models: [chatModel("m", "", { origins: [{ url: env.ORIGIN_URL, headers: { authorization: "Bearer keep-me" } }] })] });
    const read = (await (await admin(`/tenants/${id}`)).json()) as { models: unknown[] };
    const patched = await admin(`/tenants/${id}`, "PATCH", { name: "Renamed", models: read.models, policy: { screening: { mode: "monitor" } } }, "application/merge-patch+json");
    expect(patched.status).toBe(200);
    const after = (await patched.json()) as { name: string; policy: { screening: { mode: string; threshold: number } } };
    expect(after.name).toBe("Renamed");
    expect(after.policy.screening).toMatchObject({ mode: "monitor", threshold: 0.9 });
    const stub = tenantObject(env, id);
    const stored = await stub.get();
    expect(stored!.models[0]!.origins[0]!.headers.authorization).toMatch(/^enc:v1:/);

    const invalid = await admin(`/tenants/${id}`, "PATCH", { policy: { screening: { threshold: 7 } } });
    expect(invalid.status).toBe(400);
    const unchanged = (await (await admin(`/tenants/${id}`)).json()) as { name: string; policy: { screening: { threshold: number } } };
    expect(unchanged.name).toBe("Renamed");
    expect(unchanged.policy.screening.threshold).toBe(0.9);

    const removed = await admin(`/tenants/${id}`, "PATCH", { policy: { screening: null } });
    expect(((await removed.json()) as { policy: { screening: { mode: string } } }).policy.screening.mode).toBe("off");
    expect((await admin(`/tenants/${id}`, "PATCH", { id: "other-id" })).status).toBe(400);
  });

  it("deletes a tenant with its keys", async () => {
    const { id } = await createTenant();
    expect((await admin(`/tenants/${id}/keys`, "POST", { name: "k" })).status).toBe(201);
    expect((await admin(`/tenants/${id}`, "DELETE")).status).toBe(204);
    expect((await admin(`/tenants/${id}`)).status).toBe(404);
    expect((await admin(`/tenants/${id}/keys`)).status).toBe(404);
    expect((await admin(`/tenants/${id}`, "DELETE")).status).toBe(404);
  });

  it("requires the admin token, compared exactly", async () => {
    const none = await call("/admin/v1/tenants");
    expect(none.status).toBe(401);
    expect(none.headers.get("www-authenticate")).toBe("Bearer");
    const wrong = await call("/admin/v1/tenants", { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}x` } });
    expect(wrong.status).toBe(401);
    expect((await problem(wrong)).code).toBe("unauthorized");
  });
});
