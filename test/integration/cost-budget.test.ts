import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { admin, bearer, call, chatModel, createTenant, eventually, issueKey, json, problem } from "../helpers/warden";
import { itInOneUtcDay } from "../helpers/clock";

/** Cost budgets through the Worker (CONTRACT §7 "Cost", docs/budgets.md "Cost"). */
const chat = (id: string, key: string, extra: Record<string, unknown> = {}, model = "chat") =>
  call(`/t/${id}/v1/chat/completions`, json({ model, messages: [{ role: "user", content: "Tell me about the sea" }], max_tokens: 8, ...extra }, bearer(key)));

interface Usage {
  windows: { day: { requests: number; tokens: number; cost: number }; month: { cost: number } };
  principals: Array<{ principal: string; tokens: { day: number }; cost: { minute: number; day: number; month: number }; reserved_cost: { day: number } }>;
}
const usage = async (id: string) => (await (await admin(`/tenants/${id}/usage`)).json()) as Usage;
const row = async (id: string, keyId: string) => (await usage(id)).principals.find((p) => p.principal === `key:${keyId}`)!;
const micro = (usd: number) => Math.round(usd * 1e6);

describe("cost budgets (CONTRACT §7)", () => {
  itInOneUtcDay("prices the reported usage in whole µUSD and shows it per principal and per tenant window, in USD", async () => {
    const pricing = { input_per_million: 1.5, output_per_million: 6, per_request: 0.0001 };
    const { id } = await createTenant({ models: [chatModel("chat", "", { pricing })] });
    const { key, id: keyId } = await issueKey(id);
    const res = await chat(id, key);
    expect(res.status).toBe(200);
    const u = ((await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    // ⌈(prompt × 1.5 + completion × 6) µUSD⌉ + 100 µUSD
    const expected = Math.ceil(u.prompt_tokens * 1.5 + u.completion_tokens * 6) + 100;
    const r = await row(id, keyId);
    expect(micro(r.cost.day)).toBe(expected);
    expect(micro(r.cost.month)).toBe(expected);
    expect(r.reserved_cost.day).toBe(0);
    const tenant = await usage(id);
    expect(micro(tenant.windows.day.cost)).toBe(expected);
    expect(micro(tenant.windows.month.cost)).toBe(expected);
  });

  itInOneUtcDay("lets exactly the budget through when 200 requests arrive at once, and refuses the rest 429 quota_exceeded", async () => {
    // $0.01 a request, $0.50 a day: exactly 50.
    const { id } = await createTenant({ models: [chatModel("chat", "", { pricing: { per_request: 0.01 } })], policy: { limits: { cost_per_day: 0.5 } } });
    const { key, id: keyId } = await issueKey(id);
    const results = await Promise.all(Array.from({ length: 200 }, () => chat(id, key)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(50);
    const refused = results.filter((r) => r.status === 429);
    expect(refused).toHaveLength(150);
    const p = await problem(refused[0]!);
    expect(p.code).toBe("quota_exceeded");
    expect(p.detail).toMatch(/cost quota/);
    expect(refused[0]!.headers.get("ratelimit-policy")).toMatch(/^"cost-day";q=500000;qu="usd-micros";w=86400$/);
    expect(Number(refused[0]!.headers.get("retry-after"))).toBeGreaterThan(0);
    await Promise.all(results.filter((r) => !r.bodyUsed).map((r) => r.body?.cancel()));
    const r = await eventually(async () => {
      const x = await row(id, keyId);
      expect(x.reserved_cost.day).toBe(0);
      return x;
    });
    expect(r.cost.day).toBe(0.5);
  });

  itInOneUtcDay("refuses a request whose worst case does not fit what is left, per key, before it reaches the origin", async () => {
    const { id } = await createTenant({ models: [chatModel("chat", "", { pricing: { input_per_million: 1, output_per_million: 1000 } })] });
    // 1000 completion tokens at $1000 per million is $1: more than the key's $0.10 a month.
    const { key } = await issueKey(id, { name: "capped", limits: { cost_per_month: 0.1 } });
    const res = await chat(id, key, { max_tokens: 1000 });
    expect(res.status).toBe(429);
    expect((await problem(res)).code).toBe("quota_exceeded");
    expect(res.headers.get("ratelimit-policy")).toMatch(/^"cost-month";q=100000;qu="usd-micros"/);
    // A small one fits.
    expect((await chat(id, key, { max_tokens: 8 })).status).toBe(200);
  });

  itInOneUtcDay("charges a stream its client hangs up on as its tokens are charged: prompt bound plus what passed, at the model's prices", async () => {
    // Equal prices: the cost is the token count in µUSD, whatever the split. The origin sends the
    // first token, then holds the rest (and its usage) for 10 s; the client hangs up.
    const pricing = { input_per_million: 1, output_per_million: 1, per_request: 0.000002 };
    const { id } = await createTenant({ models: [chatModel("chat", "/stream-pause/10000", { pricing })], policy: { limits: { cost_per_day: 1 } } });
    const { key, id: keyId } = await issueKey(id);
    const res = await chat(id, key, { stream: true, max_tokens: 50 });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let seen = "";
    while (seen.split('"content":"').length < 3) {
      const { done, value } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const r = await eventually(async () => {
      const x = await row(id, keyId);
      expect(x.tokens.day).toBeGreaterThan(0);
      expect(x.reserved_cost.day).toBe(0);
      return x;
    }, 15_000);
    expect(micro(r.cost.day)).toBe(r.tokens.day + 2);
  });

  itInOneUtcDay("charges nothing for models without pricing and for origin failures", async () => {
    const { id } = await createTenant({
      models: [chatModel("chat"), chatModel("broken", "/status/500", { pricing: { per_request: 0.5 } })],
      policy: { limits: { cost_per_day: 0.000001 } },
    });
    const { key, id: keyId } = await issueKey(id);
    expect((await chat(id, key)).status).toBe(200);
    for (let i = 0; i < 3; i++) expect([429, 502]).toContain((await chat(id, key, {}, "broken")).status);
    expect((await row(id, keyId)).cost.day).toBe(0);
  });

  it("rejects prices and budgets that are not whole µUSD, negative, or fractional-cent nonsense, with the field named", async () => {
    for (const [models, policy] of [
      [[chatModel("chat", "", { pricing: { input_per_million: 0.0000001 } })], {}],
      [[chatModel("chat", "", { pricing: { per_request: -1 } })], {}],
      [[chatModel("chat", "", { pricing: { output_per_million: "1" } })], {}],
      [[chatModel("chat")], { limits: { cost_per_day: 0 } }],
      [[chatModel("chat")], { limits: { per_subject: { cost_per_month: 1.0000001 } } }],
    ] as const) {
      const res = await admin("/tenants", "POST", { id: `bad-${Math.random().toString(36).slice(2, 8)}`, name: "x", models, policy });
      expect(res.status).toBe(400);
      const p = await problem(res);
      expect(p.code).toBe("invalid_request");
      expect(JSON.stringify(p)).toMatch(/pricing|cost_per/);
    }
    expect(env.ORIGIN_URL).toBeTruthy();
  });
});
