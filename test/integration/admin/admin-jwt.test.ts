import { describe, expect, it, inject } from "vitest";
import { env, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { importJWK, SignJWT, generateKeyPair } from "jose";
import { app } from "../../../worker/app";

async function adminWithJwt(token: string): Promise<Response> {
  const ctx = createExecutionContext();
  const jwtEnv = { ...env, ADMIN_TOKEN: undefined, ADMIN_JWT_ISSUER: "https://admin-idp.test", ADMIN_JWT_AUDIENCE: "warden-admin", ADMIN_JWKS_URL: `${inject("jwksBase")}/jwks.json` };
  const res = await app.fetch(new Request("https://warden.test/admin/v1/tenants", { headers: { authorization: `Bearer ${token}` } }), jwtEnv, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("admin JWTs (ADMIN_JWT_ISSUER / ADMIN_JWT_AUDIENCE / ADMIN_JWKS_URL)", () => {
  const now = Math.floor(Date.now() / 1000);
  const mint = async (claims: { iss?: string; aud?: string; exp?: number }, key?: CryptoKey) =>
    new SignJWT({})
      .setProtectedHeader({ alg: "ES256", kid: "test-remote" })
      .setIssuer(claims.iss ?? "https://admin-idp.test")
      .setAudience(claims.aud ?? "warden-admin")
      .setSubject("ops@example")
      .setIssuedAt(now)
      .setExpirationTime(claims.exp ?? now + 300)
      .sign(key ?? ((await importJWK(inject("jwksPrivateJwk"), "ES256")) as CryptoKey));

  it("admits a valid admin JWT", async () => {
    expect((await adminWithJwt(await mint({}))).status).toBe(200);
  });

  it("refuses a wrong issuer, audience, expired token or foreign key", async () => {
    const foreign = (await generateKeyPair("ES256")).privateKey;
    for (const token of [await mint({ iss: "https://other.test" }), await mint({ aud: "warden" }), await mint({ exp: now - 600 }), await mint({}, foreign), "not-a-jwt"]) {
      expect((await adminWithJwt(token)).status).toBe(401);
    }
  });
});
