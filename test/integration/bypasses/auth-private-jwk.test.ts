import { describe, expect, it } from "vitest";
import { exportJWK, generateKeyPair } from "jose";
import { admin, chatModel, createTenant, problem, uniqueTenantId } from "../../helpers/warden";

/**
 * Issue 8 #14: an inline `jwks` is a set of public keys. Private members (RFC 7518 §6.2.2, §6.3.2,
 * §6.4.1 and RFC 8037's `d`) would be stored and shown back by every read; they are refused with a
 * 400 naming the member, and nothing is stored.
 */
const PRIVATE_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "k", "oth"] as const;

async function keyPair() {
  const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
  return { pub: { ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" }, priv: { ...(await exportJWK(privateKey)), kid: "k1", alg: "ES256" } };
}

const jwtPolicy = (keys: unknown[]) => ({ auth: { api_keys: true, jwt: { issuer: `https://${uniqueTenantId("idp")}.test`, audience: "warden", jwks: { keys }, algorithms: ["ES256"] } } });

describe("inline jwks: public keys only", () => {
  it("refuses a tenant whose jwks carries any private member, names the path, echoes nothing and stores nothing", async () => {
    const { pub, priv } = await keyPair();
    for (const member of PRIVATE_MEMBERS) {
      const secretValue = member === "oth" ? [{ r: "c2VjcmV0LW90aA", d: "c2VjcmV0LW90aA", t: "c2VjcmV0LW90aA" }] : `${priv.d}${member}`;
      const id = uniqueTenantId("pk");
      const res = await admin("/tenants", "POST", { id, name: "n", models: [chatModel()], policy: jwtPolicy([pub, { ...pub, kid: "k2", [member]: secretValue }]) });
      expect(res.status, member).toBe(400);
      const text = await res.clone().text();
      expect(text).not.toContain(typeof secretValue === "string" ? secretValue : "c2VjcmV0LW90aA");
      const body = (await problem(res)) as unknown as { code: string; errors: Array<{ path: string }> };
      expect(body.code).toBe("invalid_request");
      expect(body.errors.map((e) => e.path)).toContain(`policy.auth.jwt.jwks.keys.1.${member}`);
      expect((await admin(`/tenants/${id}`)).status).toBe(404);
    }
  });

  it("refuses a whole private JWK on create and on PATCH, leaving the stored tenant as it was", async () => {
    const { pub, priv } = await keyPair();
    const created = await admin("/tenants", "POST", { id: uniqueTenantId("pk"), name: "n", models: [chatModel()], policy: jwtPolicy([priv]) });
    expect(created.status).toBe(400);
    expect(await created.text()).not.toContain(priv.d!);

    const { id } = await createTenant({ policy: jwtPolicy([pub]) });
    const before = await (await admin(`/tenants/${id}`)).json();
    const patched = await admin(`/tenants/${id}`, "PATCH", { policy: { auth: { jwt: { jwks: { keys: [priv] } } } } });
    expect(patched.status).toBe(400);
    expect(((await problem(patched)) as unknown as { errors: Array<{ path: string }> }).errors.map((e) => e.path)).toContain("policy.auth.jwt.jwks.keys.0.d");
    expect(await (await admin(`/tenants/${id}`)).json()).toEqual(before);
  });

  it("accepts public keys (EC, RSA, OKP) and returns them unchanged", async () => {
    const rsa = await generateKeyPair("RS256", { extractable: true });
    const ed = await generateKeyPair("EdDSA", { extractable: true });
    const keys = [(await keyPair()).pub, { ...(await exportJWK(rsa.publicKey)), kid: "r" }, { ...(await exportJWK(ed.publicKey)), kid: "e" }];
    const { body } = await createTenant({ policy: { auth: { api_keys: true, jwt: { issuer: "https://public-keys.test", audience: "warden", jwks: { keys }, algorithms: ["ES256", "RS256", "EdDSA"] } } } });
    expect((body as { policy: { auth: { jwt: { jwks: unknown } } } }).policy.auth.jwt.jwks).toEqual({ keys });
  });
});
