import { describe, expect, it } from "vitest";
import { env, listDurableObjectIds } from "cloudflare:test";
import { SignJWT, generateKeyPair } from "jose";
import { admin, bearer, call, createTenant, issueKey, json } from "../../helpers/warden";

/**
 * Issue 8 #7: a Durable Object is created by being addressed, so a request must not reach a
 * tenant's object before Warden knows the tenant exists. Requests with junk credentials to
 * random tenant ids (or with API keys naming random tenants) leave no TenantObject behind.
 */
const chat = (tenant: string, headers: Record<string, string>) =>
  call(`/t/${tenant}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 5 }, headers));

const randomId = () => `r${crypto.randomUUID().replace(/-/g, "").slice(0, 20)}`;
const objectIds = async () => new Set((await listDurableObjectIds(env.TENANTS)).map((id) => id.toString()));
const objectOf = (tenant: string) => env.TENANTS.idFromName(`tenant:${tenant}`).toString();

async function junkJwt(): Promise<string> {
  const now = Math.floor(Date.now() / 1000);
  const { privateKey } = await generateKeyPair("ES256");
  return new SignJWT({}).setProtectedHeader({ alg: "ES256" }).setIssuer("https://junk.test").setAudience("warden").setSubject("x").setIssuedAt(now).setExpirationTime(now + 60).sign(privateKey);
}

describe("unknown tenants create no Durable Objects", () => {
  it("refuses junk credentials to random tenant ids with 401 and leaves no TenantObject storage", async () => {
    const known = await createTenant();
    const before = await objectIds();
    const jwt = await junkJwt();
    const ids = Array.from({ length: 40 }, randomId);
    const credentials = (id: string, i: number): Record<string, string> => [
      bearer("junk"),
      bearer(jwt),
      bearer(`wdn.${id}.${"a".repeat(16)}.${"A".repeat(43)}`),
      {},
    ][i % 4]!;
    const answers = await Promise.all(ids.map((id, i) => chat(id, credentials(id, i))));
    expect(answers.map((r) => r.status)).toEqual(ids.map(() => 401));
    // A well-formed key naming a random tenant, sent to an existing one: its "home" is not created either.
    const homes = Array.from({ length: 10 }, randomId);
    const cross = await Promise.all(homes.map((home) => chat(known.id, bearer(`wdn.${home}.${"b".repeat(16)}.${"B".repeat(43)}`))));
    expect(cross.map((r) => r.status)).toEqual(homes.map(() => 401));

    const after = await objectIds();
    for (const id of [...ids, ...homes]) expect(after.has(objectOf(id)), id).toBe(false);
    expect([...after].filter((id) => !before.has(id))).toEqual([]);
  });

  it("serves a tenant the moment it is created, refuses it the moment it is deleted, and again when re-created", async () => {
    const id = randomId();
    // Asked about before it exists: nothing remembered that would refuse it later.
    expect((await chat(id, bearer("junk"))).status).toBe(401);
    await createTenant({ id });
    const first = await issueKey(id);
    expect((await chat(id, bearer(first.key))).status).toBe(200);
    expect((await admin(`/tenants/${id}`, "DELETE")).status).toBe(204);
    expect((await chat(id, bearer(first.key))).status).toBe(401);
    await createTenant({ id });
    const second = await issueKey(id);
    expect((await chat(id, bearer(second.key))).status).toBe(200);
    expect((await chat(id, bearer(first.key))).status).toBe(401);
  });
});

describe("admin reads of unknown tenants", () => {
  it("answer 404 without creating the tenant's object", async () => {
    const before = await objectIds();
    const ids = Array.from({ length: 5 }, randomId);
    for (const id of ids) {
      for (const path of [`/tenants/${id}`, `/tenants/${id}/keys`, `/tenants/${id}/usage`, `/tenants/${id}/audit`]) expect((await admin(path)).status, path).toBe(404);
      expect((await admin(`/tenants/${id}`, "PATCH", { name: "x" })).status).toBe(404);
      expect((await admin(`/tenants/${id}`, "DELETE")).status).toBe(404);
    }
    const after = await objectIds();
    expect([...after].filter((id) => !before.has(id))).toEqual([]);
  });
});
