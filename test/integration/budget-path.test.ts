import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { exportJWK, generateKeyPair, SignJWT } from "jose";
import { admin, bearer, call, chatModel, createTenant, eventually, issueKey, json, problem } from "../helpers/warden";
import { itInOneUtcDay } from "../helpers/clock";

const chat = (id: string, auth: Record<string, string>, extra: Record<string, unknown> = {}, model = "chat") =>
  call(`/t/${id}/v1/chat/completions`, json({ model, messages: [{ role: "user", content: "Tell me about the sea" }], max_tokens: 8, ...extra }, auth));

type Usage = { tenant: string; windows: { day: { requests: number; tokens: number } }; principals: Array<{ principal: string; requests: { day: number }; tokens: { day: number }; extraction: { state: string } }> };
const usage = async (id: string) => (await (await admin(`/tenants/${id}/usage`)).json()) as Usage;

describe("budgets on the request path (CONTRACT §5)", () => {
  itInOneUtcDay("lets exactly the limit through when 200 requests arrive at once, and answers the rest 429 with rate-limit headers", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")], policy: { limits: { requests_per_day: 50 } } });
    const { key } = await issueKey(id);
    const results = await Promise.all(Array.from({ length: 200 }, () => chat(id, bearer(key))));
    const ok = results.filter((r) => r.status === 200);
    const refused = results.filter((r) => r.status === 429);
    expect(ok).toHaveLength(50);
    expect(refused).toHaveLength(150);
    const p = await problem(refused[0]!);
    expect(p.code).toBe("quota_exceeded");
    expect(Number(refused[0]!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(refused[0]!.headers.get("ratelimit-policy")).toMatch(/q=50/);
    expect(refused[0]!.headers.get("ratelimit")).toMatch(/r=0/);
    expect(ok[0]!.headers.get("ratelimit-policy")).toBeTruthy();
    await Promise.all(results.filter((r) => !r.bodyUsed).map((r) => r.body?.cancel()));
  });

  it("rate-limits per minute with burst as rate_limited, and applies the strictest of tenant, key and subject", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")], policy: { limits: { requests_per_minute: 600, burst: 100 } } });
    // One unit a minute comes back: the six requests below must take under a minute, not 30 s as with 2 a minute.
    const strict = await issueKey(id, { name: "strict", limits: { requests_per_minute: 1, burst: 3 } });
    const statuses = [];
    for (let i = 0; i < 5; i++) statuses.push((await chat(id, bearer(strict.key))).status);
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    const res = await chat(id, bearer(strict.key));
    expect((await problem(res)).code).toBe("rate_limited");
    // Another key of the same tenant is not affected by this key's limit.
    const loose = await issueKey(id, { name: "loose" });
    expect((await chat(id, bearer(loose.key))).status).toBe(200);
  });

  itInOneUtcDay("reserves tokens up front, settles to reported usage, and charges nothing for origin failures", async () => {
    const { id } = await createTenant({
      models: [chatModel("chat"), chatModel("broken", "", { origins: [{ url: `${env.ORIGIN_URL}/status/500` }] })],
      policy: { limits: { tokens_per_day: 100_000 } },
    });
    const { key, id: keyId } = await issueKey(id);
    const res = await chat(id, bearer(key), { max_tokens: 10 });
    const reported = ((await res.json()) as { usage: { total_tokens: number } }).usage.total_tokens;
    for (let i = 0; i < 3; i++) expect((await chat(id, bearer(key), {}, "broken")).status).toBe(502);
    const u = await usage(id);
    const row = u.principals.find((p) => p.principal === `key:${keyId}`)!;
    expect(row.tokens.day).toBe(reported);
    expect(row.requests.day).toBe(4);
    expect(row.extraction.state).toBe("normal");
  });

  itInOneUtcDay("settles streamed usage, and refuses once the token budget is spent", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")], policy: { limits: { tokens_per_day: 400, default_reserve_tokens: 20 } } });
    const { key, id: keyId } = await issueKey(id);
    const stream = await chat(id, bearer(key), { stream: true, max_tokens: 10 });
    const text = await stream.text();
    expect(text).toContain("[DONE]");
    // Settlement runs after the stream ends (waitUntil).
    const spent = await eventually(async () => {
      const day = (await usage(id)).principals.find((p) => p.principal === `key:${keyId}`)!.tokens.day;
      expect(day).toBeGreaterThan(0);
      return day;
    });
    expect(spent).toBeLessThanOrEqual(400);
    // A reservation that cannot fit what is left is refused as a quota.
    const big = await chat(id, bearer(key), { max_tokens: 1000 });
    expect(big.status).toBe(429);
    expect((await problem(big)).code).toBe("quota_exceeded");
  });

  itInOneUtcDay("writes admin changes and blocks to a hash-chained audit log", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")], policy: { limits: { requests_per_day: 1 } } });
    const { key } = await issueKey(id);
    expect((await chat(id, bearer(key))).status).toBe(200);
    expect((await chat(id, bearer(key))).status).toBe(429);
    const log = await eventually(async () => {
      const l = (await (await admin(`/tenants/${id}/audit`)).json()) as { items: Array<{ type: string; principal: string | null; reason: string }>; chain_valid: boolean };
      expect(l.items.map((i) => i.type)).toEqual(expect.arrayContaining(["tenant.created", "key.issued", "block"]));
      return l;
    });
    expect(log.chain_valid).toBe(true);
    const block = log.items.find((i) => i.type === "block")!;
    expect(block.principal).toMatch(/^key:/);
    expect(block.reason).toMatch(/quota_exceeded/);
  });

  itInOneUtcDay("gives each JWT subject its own per_subject budget", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwk = { ...(await exportJWK(publicKey)), kid: "s1", alg: "ES256" };
    const { id } = await createTenant({
      models: [chatModel("chat")],
      policy: {
        auth: { api_keys: true, jwt: { issuer: "https://idp.sub.test", audience: "warden", jwks: { keys: [jwk] }, algorithms: ["ES256"] } },
        limits: { requests_per_day: 1000, per_subject: { requests_per_day: 2 } },
      },
    });
    const now = Math.floor(Date.now() / 1000);
    const token = (sub: string) => new SignJWT({}).setProtectedHeader({ alg: "ES256", kid: "s1" }).setIssuer("https://idp.sub.test").setAudience("warden").setSubject(sub).setIssuedAt(now).setExpirationTime(now + 300).sign(privateKey);
    const alice = bearer(await token("alice"));
    expect([(await chat(id, alice)).status, (await chat(id, alice)).status, (await chat(id, alice)).status]).toEqual([200, 200, 429]);
    expect((await chat(id, bearer(await token("bob")))).status).toBe(200);
    const u = await usage(id);
    expect(u.principals.find((p) => p.principal === "sub:alice")!.requests.day).toBe(2);
  });
});
