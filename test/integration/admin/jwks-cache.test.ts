import { describe, expect, it, inject } from "vitest";
import { env, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { importJWK, SignJWT, type CryptoKey } from "jose";
import { app } from "../../../worker/app";
import { createTenant, json } from "../../helpers/warden";

/**
 * One remote key set per JWKS URL per isolate (worker/auth/jwks.ts): the admin plane and a
 * tenant's `jwks_url` naming the same URL share it, so the key set is fetched once for both.
 * The URL carries a fragment of its own (never sent to the server) so no other test has warmed it.
 */
describe("one JWKS cache for the admin and data planes", () => {
  it("fetches a key set once when a tenant and the admin plane name the same URL", async () => {
    const base = inject("jwksBase");
    const url = `${base}/jwks.json#one-cache-${Math.random().toString(36).slice(2)}`;
    const key = (await importJWK(inject("jwksPrivateJwk"), "ES256")) as CryptoKey;
    const now = Math.floor(Date.now() / 1000);
    const mint = (iss: string, aud: string) =>
      new SignJWT({}).setProtectedHeader({ alg: "ES256", kid: "test-remote" }).setIssuer(iss).setAudience(aud).setSubject("u1").setIssuedAt(now).setExpirationTime(now + 300).sign(key);
    const { id } = await createTenant({ policy: { auth: { api_keys: true, jwt: { issuer: "https://one-cache.test", audience: "warden", jwks_url: url, algorithms: ["ES256"] } } } });
    const jwtEnv = { ...env, ADMIN_JWT_ISSUER: "https://admin-idp.test", ADMIN_JWT_AUDIENCE: "warden-admin", ADMIN_JWKS_URL: url };
    const send = async (path: string, init: RequestInit) => {
      const ctx = createExecutionContext();
      const res = await app.fetch(new Request(`https://warden.test${path}`, init), jwtEnv, ctx);
      await waitOnExecutionContext(ctx);
      return res;
    };
    const fetches = async () => ((await (await fetch(`${base}/stats`)).json()) as { fetches: number }).fetches;

    const before = await fetches();
    const chat = json({ model: "chat", messages: [{ role: "user", content: "hello there" }], max_tokens: 5 }, { authorization: `Bearer ${await mint("https://one-cache.test", "warden")}` });
    expect((await send(`/t/${id}/v1/chat/completions`, chat)).status).toBe(200);
    expect((await send("/admin/v1/tenants", { headers: { authorization: `Bearer ${await mint("https://admin-idp.test", "warden-admin")}` } })).status).toBe(200);
    expect((await fetches()) - before).toBe(1);
  });
});
