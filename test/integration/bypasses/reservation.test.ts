/**
 * Issue 8, item 2: one request must not overshoot a token quota. The reservation bounds the
 * prompt from above (UTF-8 bytes, token-id count), the reserved completion maximum is what the
 * origin is told, and a settlement never exceeds the reservation.
 */
import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import type { EchoBody } from "../../helpers/origin-server";
import { admin, bearer, call, chatModel, createTenant, issueKey, json, problem } from "../../helpers/warden";
import { acquireBudget } from "../../../worker/pipeline/budget";
import { readUsage } from "../../../worker/admin/budget-usage";
import type { Tenant } from "../../../worker/config/tenant";
import type { Principal } from "../../../worker/context";
import { itInOneUtcDay } from "../../helpers/clock";

type Usage = { windows: { day: { tokens: number } }; principals: Array<{ tokens: { day: number }; reserved_tokens: { day: number }; in_flight: number }> };
const usage = async (id: string) => (await (await admin(`/tenants/${id}/usage`)).json()) as Usage;
const utf8 = (s: string) => new TextEncoder().encode(s).byteLength;

/** Tokens this request reserved, read from the key's own tokens-day RateLimit field (exact for a key limit). */
function reservedBy(res: Response): number {
  const q = Number(/q=(\d+)/.exec(res.headers.get("ratelimit-policy") ?? "")?.[1]);
  const r = Number(/r=(\d+)/.exec(res.headers.get("ratelimit") ?? "")?.[1]);
  expect(res.headers.get("ratelimit-policy")).toMatch(/^"tokens-day"/);
  return q - r;
}

async function tenantWithKey(models: unknown[], keyLimits: Record<string, unknown>, limits: Record<string, unknown> = {}) {
  const { id } = await createTenant({ models, policy: { limits } });
  const { key } = await issueKey(id, { name: "k", limits: keyLimits });
  return { id, auth: bearer(key) };
}

describe("the reservation bounds what one request can spend", () => {
  it("tells the origin the reserved maximum in whichever field the client used, or max_tokens when it used none", async () => {
    const t = await tenantWithKey([chatModel("echo", "/echo")], {}, { default_reserve_tokens: 7 });
    const sent = async (path: string, body: Record<string, unknown>) => {
      const res = await call(`/t/${t.id}${path}`, json({ model: "echo", ...body }, t.auth));
      expect(res.status).toBe(200);
      return JSON.parse(((await res.json()) as EchoBody).body) as Record<string, unknown>;
    };
    const messages = [{ role: "user", content: "hello" }];
    expect(await sent("/v1/chat/completions", { messages })).toMatchObject({ max_tokens: 7 });
    const modern = await sent("/v1/chat/completions", { messages, max_completion_tokens: 30 });
    expect(modern).toMatchObject({ max_completion_tokens: 30 });
    expect(modern).not.toHaveProperty("max_tokens");
    // Both named: whichever field the origin honours, it gets the smaller, which is what was reserved.
    expect(await sent("/v1/chat/completions", { messages, max_tokens: 500, max_completion_tokens: 40 })).toMatchObject({ max_tokens: 40, max_completion_tokens: 40 });
    expect(await sent("/v1/chat/completions", { messages, max_tokens: null })).toMatchObject({ max_tokens: 7 });
    expect(await sent("/v1/completions", { prompt: "hello" })).toMatchObject({ max_tokens: 7 });
    expect(await sent("/v1/embeddings", { input: "hello" })).not.toHaveProperty("max_tokens");
  });

  itInOneUtcDay("keeps a client that names no max_tokens inside the default reservation (the origin would write 100 tokens)", async () => {
    const t = await tenantWithKey([chatModel()], { tokens_per_day: 100_000 }, { default_reserve_tokens: 5 });
    const res = await call(`/t/${t.id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "Tell me a long story about the sea" }], seed: 7 }, t.auth));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { usage: { completion_tokens: number } };
    expect(body.usage.completion_tokens).toBeLessThanOrEqual(5);
  });

  itInOneUtcDay("never lets usage pass tokens_per_day, whatever a request leaves out", async () => {
    // Ten prompts in one completion request, no max_tokens: each prompt gets its own completion.
    const t = await tenantWithKey([chatModel()], {}, { tokens_per_day: 300, default_reserve_tokens: 5 });
    const prompts = Array.from({ length: 10 }, (_, i) => `harbour ${i}`);
    const statuses: number[] = [];
    for (let i = 0; i < 8; i++) {
      const res = await call(`/t/${t.id}/v1/completions`, json({ model: "chat", prompt: prompts, seed: i }, t.auth));
      statuses.push(res.status);
      if (res.status === 429) expect((await problem(res)).code).toBe("quota_exceeded");
      else await res.arrayBuffer();
      expect((await usage(t.id)).windows.day.tokens).toBeLessThanOrEqual(300);
    }
    expect(statuses).toContain(200);
    expect(statuses).toContain(429);
  });

  itInOneUtcDay("reserves the UTF-8 bytes of a text prompt and the count of a token-id prompt, not characters / 4", async () => {
    const t = await tenantWithKey([chatModel()], { tokens_per_day: 1_000_000 });
    const chinese = "海港的清晨，渔船慢慢地驶出港口。".repeat(20);
    const text = await call(`/t/${t.id}/v1/completions`, json({ model: "chat", prompt: chinese, max_tokens: 5 }, t.auth));
    expect(text.status).toBe(200);
    // 5 completion tokens + the prompt's bytes + the per-text allowance for special tokens (8).
    expect(reservedBy(text)).toBe(5 + utf8(chinese) + 8);
    await text.arrayBuffer();
    // A JSON answer is settled before it is sent: the key's header now counts that charge too.
    const charged = (await usage(t.id)).windows.day.tokens;

    const ids = Array.from({ length: 120 }, (_, i) => 3 + (i % 50));
    const tokens = await call(`/t/${t.id}/v1/completions`, json({ model: "chat", prompt: ids, max_tokens: 4 }, t.auth));
    expect(tokens.status).toBe(200);
    expect(reservedBy(tokens)).toBe(charged + 4 + 120 + 8);
    await tokens.arrayBuffer();
  });

  itInOneUtcDay("refuses cleanly, before the origin, a request whose reservation does not fit what is left", async () => {
    const t = await tenantWithKey([chatModel("chat", "/tag/reserve-refused")], { tokens_per_day: 200 });
    const res = await call(`/t/${t.id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "x".repeat(300) }], max_tokens: 5 }, t.auth));
    expect(res.status).toBe(429);
    const p = await problem(res);
    expect(p.code).toBe("quota_exceeded");
    // The answer says why waiting will not help: the request alone is larger than what is left.
    expect(p.detail).toMatch(/reserves up to \d+ tokens .*; 200 are left/);
    const stats = (await (await fetch(`${env.ORIGIN_URL}/__stats?tag=reserve-refused`)).json()) as { requests: number };
    expect(stats.requests).toBe(0);
    expect((await usage(t.id)).windows.day.tokens).toBe(0);
  });

  itInOneUtcDay("caps a settlement at the reservation when the origin reports more (the lease, then the ledger)", async () => {
    const tenant = { id: `cap-${Math.random().toString(36).slice(2, 8)}`, policy: { limits: { tokens_per_day: 3000 } } } as unknown as Tenant;
    const principal = { kind: "key", id: "key:cap", keyLimits: undefined } as unknown as Principal;
    const lease = await acquireBudget(env, tenant, principal, { reserveTokens: 300 });
    await lease.settle(40_000);
    const u = await readUsage(env, tenant.id);
    expect(u.windows.day.tokens).toBe(300);
    expect(u.principals[0]).toMatchObject({ tokens: { day: 300 }, reserved_tokens: { day: 0 }, in_flight: 0 });
  });
});
