import { describe, expect, inject, it } from "vitest";
import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { importJWK, SignJWT } from "jose";
import { app } from "../../../worker/app";
import { admin, call, chatModel, createTenant, uniqueTenantId } from "../../helpers/warden";

/**
 * Issue 8 #13: deleting a tenant deletes its own audit log, so the record that the tenant existed,
 * and who removed it, must live elsewhere: the global admin chain `GET /admin/v1/audit`.
 */
interface Item { seq: number; type: string; principal: string | null; reason: string; detail: Record<string, unknown>; prev_hash: string; hash: string }
interface Page { items: Item[]; chain_valid: boolean; next_cursor: string | null; head: { seq: number; hash: string } }

const globalAudit = async (query = ""): Promise<Page> => {
  const res = await admin(`/audit${query}`);
  expect(res.status).toBe(200);
  return (await res.json()) as Page;
};

async function asAdminJwt(path: string, method: string, body?: unknown): Promise<Response> {
  const now = Math.floor(Date.now() / 1000);
  const token = await new SignJWT({})
    .setProtectedHeader({ alg: "ES256", kid: "test-remote" })
    .setIssuer("https://admin-idp.test").setAudience("warden-admin").setSubject("ops@example")
    .setIssuedAt(now).setExpirationTime(now + 300)
    .sign((await importJWK(inject("jwksPrivateJwk"), "ES256")) as CryptoKey);
  const jwtEnv = { ...env, ADMIN_TOKEN: undefined, ADMIN_JWT_ISSUER: "https://admin-idp.test", ADMIN_JWT_AUDIENCE: "warden-admin", ADMIN_JWKS_URL: `${inject("jwksBase")}/jwks.json` };
  const ctx = createExecutionContext();
  const init: RequestInit = { method, headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) }, ...(body ? { body: JSON.stringify(body) } : {}) };
  const res = await app.fetch(new Request(`https://warden.test/admin/v1${path}`, init), jwtEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("global admin audit chain", () => {
  it("records creation and deletion with the admin who did it, and keeps them after the tenant is gone", async () => {
    const { id } = await createTenant();
    const created = (await globalAudit()).items.find((i) => i.type === "tenant.created" && i.detail.tenant === id);
    expect(created).toMatchObject({ principal: "admin-token" });

    expect((await admin(`/tenants/${id}`, "DELETE")).status).toBe(204);
    expect((await admin(`/tenants/${id}/audit`)).status).toBe(404);
    const page = await globalAudit();
    expect(page.chain_valid).toBe(true);
    const deleted = page.items.find((i) => i.type === "tenant.deleted" && i.detail.tenant === id);
    expect(deleted).toMatchObject({ principal: "admin-token" });
    // The head of the tenant's own (now purged) chain is kept: tenant.created was its first entry.
    expect(deleted!.detail.audit_head).toMatchObject({ seq: 1, hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(deleted!.seq).toBeGreaterThan(created!.seq);
    // Newest first, each entry linked to the one before it.
    for (let i = 0; i + 1 < page.items.length; i++) expect(page.items[i]!.prev_hash).toBe(page.items[i + 1]!.hash);
  });

  it("names an admin JWT's subject", async () => {
    const id = uniqueTenantId("jwt-admin");
    expect((await asAdminJwt("/tenants", "POST", { id, name: "n", models: [chatModel()] })).status).toBe(201);
    expect((await asAdminJwt(`/tenants/${id}`, "DELETE")).status).toBe(204);
    const items = (await globalAudit()).items.filter((i) => i.detail.tenant === id);
    expect(items.map((i) => [i.type, i.principal])).toEqual([["tenant.deleted", "admin-jwt:ops@example"], ["tenant.created", "admin-jwt:ops@example"]]);
  });

  it("is not the audit log of a tenant named like it, and outlives that tenant too", async () => {
    for (const id of ["global", "admin", "directory"]) {
      await createTenant({ id });
      expect((await admin(`/tenants/${id}`, "DELETE")).status).toBe(204);
    }
    const page = await globalAudit("?limit=1000");
    expect(page.chain_valid).toBe(true);
    for (const id of ["global", "admin", "directory"]) {
      expect(page.items.filter((i) => i.detail.tenant === id).map((i) => i.type)).toEqual(["tenant.deleted", "tenant.created"]);
    }
  });

  it("pages with limit and cursor, and refuses callers without the admin credential", async () => {
    await createTenant();
    await createTenant();
    const first = await globalAudit("?limit=1");
    expect(first.items).toHaveLength(1);
    expect(first.next_cursor).not.toBeNull();
    const second = await globalAudit(`?limit=1&cursor=${first.next_cursor}`);
    expect(second.items[0]!.seq).toBe(first.items[0]!.seq - 1);
    expect((await call("/admin/v1/audit")).status).toBe(401);
  });
});
