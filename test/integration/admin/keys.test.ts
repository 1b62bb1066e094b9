import { describe, expect, it } from "vitest";
import { env, runInDurableObject } from "cloudflare:test";
import { admin, createTenant, issueKey } from "../../helpers/warden";
import { tenantObject } from "../../../worker/clients/tenant";

describe("admin API: keys (CONTRACT §7)", () => {
  it("shows the key once and stores only a hash of it", async () => {
    const { id } = await createTenant();
    const res = await admin(`/tenants/${id}/keys`, "POST", { name: "ci", scopes: ["chat"] });
    expect(res.status).toBe(201);
    const created = (await res.json()) as { id: string; key: string; name: string; scopes: string[] };
    expect(created.key).toMatch(new RegExp(`^wdn\\.${id}\\.${created.id}\\.`));
    expect(created.scopes).toEqual(["chat"]);

    const list = (await (await admin(`/tenants/${id}/keys`)).json()) as { items: Array<Record<string, unknown>> };
    expect(list.items).toHaveLength(1);
    expect(JSON.stringify(list.items)).not.toContain(created.key.split(".")[3]);
    expect(list.items[0]).not.toHaveProperty("key");
    expect(list.items[0]).not.toHaveProperty("secret_sha256");

    const stub = tenantObject(env, id);
    const dump = await runInDurableObject(stub, (_o, state) => JSON.stringify(state.storage.sql.exec("SELECT * FROM api_keys").toArray()));
    expect(dump).not.toContain(created.key.split(".")[3]);
  });

  it("validates key requests", async () => {
    const { id } = await createTenant();
    expect((await admin(`/tenants/${id}/keys`, "POST", {})).status).toBe(400);
    expect((await admin(`/tenants/${id}/keys`, "POST", { name: "x", expires_at: "2001-01-01T00:00:00Z" })).status).toBe(400);
    expect((await admin(`/tenants/${id}/keys`, "POST", { name: "x", scopes: [] })).status).toBe(400);
    expect((await admin(`/tenants/${id}/keys`, "POST", { name: "x", limits: { requests_per_minute: 0 } })).status).toBe(400);
    expect((await admin(`/tenants/no-such/keys`, "POST", { name: "x" })).status).toBe(404);
    const list = (await (await admin(`/tenants/${id}/keys`)).json()) as { items: unknown[] };
    expect(list.items).toHaveLength(0);
  });

  it("revokes a key once", async () => {
    const { id } = await createTenant();
    const key = await issueKey(id);
    expect((await admin(`/tenants/${id}/keys/${key.id}`, "DELETE")).status).toBe(204);
    expect((await admin(`/tenants/${id}/keys/${key.id}`, "DELETE")).status).toBe(404);
    const list = (await (await admin(`/tenants/${id}/keys`)).json()) as { items: Array<{ revoked_at: string | null }> };
    expect(list.items[0]!.revoked_at).not.toBeNull();
  });
});
