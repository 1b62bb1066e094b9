import { describe, expect, it } from "vitest";
import { SignJWT, exportJWK, generateKeyPair } from "jose";
import { bearer, call, createTenant, json, uniqueTenantId } from "../../helpers/warden";

/**
 * Issue 8 #11: the answer to an unknown tenant must not tell it from a known tenant refusing a
 * junk credential (CONTRACT §3). Same status, same header names, same Server-Timing entries, same
 * body but for the request id; and an auth refusal reports no stage duration, since the auth
 * stage's duration was what told them apart.
 */
const chat = (tenant: string, headers: Record<string, string>) =>
  call(`/t/${tenant}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 5 }, headers));

const timingNames = (res: Response) => (res.headers.get("server-timing") ?? "").split(",").map((e) => e.trim().split(";")[0]);

async function shape(res: Response) {
  const body = (await res.json()) as Record<string, unknown>;
  delete body.request_id;
  return {
    status: res.status,
    headers: [...res.headers.keys()].sort(),
    wwwAuthenticate: res.headers.get("www-authenticate"),
    contentType: res.headers.get("content-type"),
    timing: timingNames(res),
    body,
  };
}

describe("auth refusals: unknown tenant and known tenant look the same", () => {
  it("answers junk credentials identically whether or not the tenant exists, with no auth duration", async () => {
    const issuer = `https://${uniqueTenantId("idp")}.test`;
    const { publicKey, privateKey } = await generateKeyPair("ES256", { extractable: true });
    const { id: known } = await createTenant({
      policy: { auth: { api_keys: true, jwt: { issuer, audience: "warden", jwks: { keys: [{ ...(await exportJWK(publicKey)), kid: "k" }] }, algorithms: ["ES256"] } } },
    });
    const unknown = uniqueTenantId("missing");
    const now = Math.floor(Date.now() / 1000);
    const foreign = (await generateKeyPair("ES256")).privateKey;
    const sign = (key: CryptoKey, iss = issuer) => new SignJWT({}).setProtectedHeader({ alg: "ES256", kid: "k" }).setIssuer(iss).setAudience("warden").setSubject("u").setIssuedAt(now).setExpirationTime(now + 60).sign(key);
    const credentials: Array<[string, (tenant: string) => Promise<Record<string, string>>]> = [
      ["none", async () => ({})],
      ["junk string", async () => bearer("junk")],
      ["junk x-api-key", async () => ({ "x-api-key": "junk" })],
      ["api key with a wrong secret", async (t) => bearer(`wdn.${t}.${"a".repeat(16)}.${"A".repeat(43)}`)],
      ["malformed api key", async () => bearer("wdn.nope")],
      ["jwt signed by a foreign key", async () => bearer(await sign(foreign))],
      ["jwt of an unknown issuer", async () => bearer(await sign(foreign, "https://nobody.test"))],
      ["undecodable jwt", async () => bearer("eyJhbGciOiJFUzI1NiJ9.eyJ.x")],
      ["expired jwt", async () => bearer(await new SignJWT({}).setProtectedHeader({ alg: "ES256", kid: "k" }).setIssuer(issuer).setAudience("warden").setSubject("u").setExpirationTime(now - 3600).sign(privateKey))],
    ];
    for (const [label, cred] of credentials) {
      const a = await shape(await chat(unknown, await cred(unknown)));
      const b = await shape(await chat(known, await cred(known)));
      expect(a.status, label).toBe(401);
      expect(a, label).toEqual(b);
      expect(a.timing, label).not.toContain("auth");
    }
  });

  it("still reports the auth stage when authentication succeeds", async () => {
    const { id } = await createTenant();
    const { issueKey } = await import("../../helpers/warden");
    const { key } = await issueKey(id);
    const res = await chat(id, bearer(key));
    expect(res.status).toBe(200);
    expect(timingNames(res)).toContain("auth");
  });
});
