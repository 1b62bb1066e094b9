import { beforeAll, describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from "jose";
import { admin, bearer, call, createTenant, eventually, json, problem, uniqueTenantId } from "../../helpers/warden";
import { itInOneUtcDay } from "../../helpers/clock";

/**
 * Issue 8 #9: two tenants that trust the same issuer and audience accept each other's tokens.
 * Warden refuses such a configuration (409) unless both tenants bind tokens to themselves with
 * `policy.auth.jwt.tenant_claim`; and it refuses explicitly typed tokens of another kind
 * (RFC 8725 §3.11).
 */
const chat = (tenant: string, headers: Record<string, string>) =>
  call(`/t/${tenant}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hello there" }], max_tokens: 5 }, headers));

let priv: CryptoKey;
let pub: JWK;
beforeAll(async () => {
  const pair = await generateKeyPair("ES256", { extractable: true });
  priv = pair.privateKey;
  pub = { ...(await exportJWK(pair.publicKey)), kid: "k1", alg: "ES256" };
});

const freshIssuer = () => `https://${uniqueTenantId("idp")}.test`;
const jwtPolicy = (issuer: string, extra: Record<string, unknown> = {}) => ({ auth: { api_keys: true, jwt: { issuer, audience: "warden", jwks: { keys: [pub] }, algorithms: ["ES256"], ...extra } } });

async function mint(issuer: string, claims: Record<string, unknown> = {}, header: Record<string, unknown> = {}, aud: string | string[] = "warden") {
  const now = Math.floor(Date.now() / 1000);
  return new SignJWT(claims).setProtectedHeader({ alg: "ES256", kid: "k1", ...header }).setIssuer(issuer).setAudience(aud).setSubject("alice").setIssuedAt(now).setExpirationTime(now + 300).sign(priv);
}

describe("one issuer and audience, one tenant", () => {
  it("refuses a second tenant trusting the same issuer and an overlapping audience (409), on create and on PATCH", async () => {
    const issuer = freshIssuer();
    const a = await createTenant({ policy: jwtPolicy(issuer) });
    for (const audience of ["warden", ["other", "warden"]]) {
      const doc = { id: uniqueTenantId(), name: "n", policy: jwtPolicy(issuer, { audience }) };
      const res = await admin("/tenants", "POST", doc);
      expect(res.status).toBe(409);
      expect((await problem(res)).code).toBe("conflict");
      expect((await admin(`/tenants/${doc.id}`)).status).toBe(404);
    }
    const b = await createTenant({ policy: jwtPolicy(issuer, { audience: "warden-b" }) });
    const before = await (await admin(`/tenants/${b.id}`)).json();
    const patched = await admin(`/tenants/${b.id}`, "PATCH", { policy: { auth: { jwt: { audience: ["warden-b", "warden"] } } } });
    expect(patched.status).toBe(409);
    expect(await (await admin(`/tenants/${b.id}`)).json()).toEqual(before);
    // A's token stays A's: B does not accept it (403: it is another tenant's credential, CONTRACT §3).
    const token = await mint(issuer);
    expect((await chat(a.id, bearer(token))).status).toBe(200);
    expect((await chat(b.id, bearer(token))).status).toBe(403);
    // Once A is gone, its issuer and audience are free again.
    expect((await admin(`/tenants/${a.id}`, "DELETE")).status).toBe(204);
    expect((await admin(`/tenants/${b.id}`, "PATCH", { policy: { auth: { jwt: { audience: ["warden-b", "warden"] } } } })).status).toBe(200);
  });

  itInOneUtcDay("lets tenants share an issuer and audience when both bind tokens with tenant_claim, and keeps each token to its tenant", async () => {
    const issuer = freshIssuer();
    const a = await createTenant({ policy: jwtPolicy(issuer, { tenant_claim: { claim: "org" } }) });
    const b = await createTenant({ policy: jwtPolicy(issuer, { tenant_claim: { claim: "org", value: "org-b" } }) });
    // An unbound third tenant would accept both tenants' tokens: refused.
    expect((await admin("/tenants", "POST", { id: uniqueTenantId(), name: "n", policy: jwtPolicy(issuer) })).status).toBe(409);
    // Removing A's binding would do the same.
    expect((await admin(`/tenants/${a.id}`, "PATCH", { policy: { auth: { jwt: { tenant_claim: null } } } })).status).toBe(409);
    // B binding with A's effective value would too.
    expect((await admin(`/tenants/${b.id}`, "PATCH", { policy: { auth: { jwt: { tenant_claim: { value: a.id } } } } })).status).toBe(409);

    const forA = await mint(issuer, { org: a.id });
    const forB = await mint(issuer, { org: "org-b" });
    expect((await chat(a.id, bearer(forA))).status).toBe(200);
    expect((await chat(b.id, bearer(forB))).status).toBe(200);
    // Each is valid elsewhere: 403 (CONTRACT §3), and nothing is recorded as the other tenant's.
    expect((await chat(b.id, bearer(forA))).status).toBe(403);
    expect((await chat(a.id, bearer(forB))).status).toBe(403);
    for (const unbound of [await mint(issuer), await mint(issuer, { org: ["org-b", a.id] }), await mint(issuer, { org: 1 })]) {
      expect((await chat(a.id, bearer(unbound))).status).toBe(401);
      expect((await chat(b.id, bearer(unbound))).status).toBe(401);
    }
    const usage = await eventually(async () => {
      const u = (await (await admin(`/tenants/${b.id}/usage`)).json()) as { principals: Array<{ principal: string; requests: { day: number } }> };
      expect(u.principals.map((p) => p.principal)).toEqual(["sub:alice"]);
      return u;
    });
    expect(usage.principals[0]!.requests.day).toBe(1);
  });
});

describe("explicitly typed tokens (RFC 8725 §3.11)", () => {
  it("accepts no typ, JWT and at+jwt, and refuses any other typ", async () => {
    const issuer = freshIssuer();
    const { id } = await createTenant({ policy: jwtPolicy(issuer) });
    for (const typ of [undefined, "JWT", "jwt", "at+jwt", "application/at+jwt", "application/jwt"]) {
      expect((await chat(id, bearer(await mint(issuer, {}, typ === undefined ? {} : { typ })))).status, String(typ)).toBe(200);
    }
    for (const typ of ["dpop+jwt", "logout+jwt", "secevent+jwt", "JOSE", "JWS", "", "at+jwt2", 1, ["JWT"]]) {
      const res = await chat(id, bearer(await mint(issuer, {}, { typ })));
      expect(res.status, JSON.stringify(typ)).toBe(401);
      expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    }
  });
});
