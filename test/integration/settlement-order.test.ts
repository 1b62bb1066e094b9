import { env } from "cloudflare:test";
import { describe, expect } from "vitest";
import { admin, bearer, call, chatModel, createTenant, issueKey, json } from "../helpers/warden";
import { itInOneUtcDay } from "../helpers/clock";

/**
 * Settlement of a JSON answer is not waited for on the request path (worker/pipeline/budget.ts),
 * but it is sent before the answer: a client's next request must find the slot and the
 * reservation of the one before it given back, and the usage view must show the settled tokens.
 */
describe("settlement sent before the answer", () => {
  itInOneUtcDay("lets a client at max_concurrency 1 send request after request, each settled to its reported usage", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")], policy: { limits: { max_concurrency: 1, tokens_per_day: 100_000 } } });
    const { key, id: keyId } = await issueKey(id, { name: "serial", limits: { max_concurrency: 1 } });
    let reported = 0;
    for (let i = 0; i < 25; i++) {
      const res = await call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: `Tell me about the sea, ${i}` }], max_tokens: 8 }, bearer(key)));
      expect(res.status, `request ${i}`).toBe(200);
      reported += ((await res.json()) as { usage: { total_tokens: number } }).usage.total_tokens;
    }
    const u = (await (await admin(`/tenants/${id}/usage`)).json()) as { principals: Array<{ principal: string; requests: { day: number }; tokens: { day: number } }> };
    const row = u.principals.find((p) => p.principal === `key:${keyId}`)!;
    expect(row.requests.day).toBe(25);
    expect(row.tokens.day).toBe(reported);
  });
});

describe("settlement overtaken by the next request", () => {
  itInOneUtcDay("applies the settlements an acquire carries first, so a freed slot is free; the late settle changes nothing", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")] });
    const stub = env.BUDGETS.get(env.BUDGETS.idFromName(`p:${id}:key:serial`));
    const input = { tenantId: id, principalId: "key:serial", limits: { max_concurrency: 1, tokens_per_day: 1_000 }, tenantLimits: {}, reserveTokens: 100 };
    const first = await stub.acquire(input);
    if (!first.ok || "stale" in first) throw new Error("first request not admitted");
    // Without the carried settlement the slot is still taken.
    const refused = await stub.acquire(input);
    expect(refused).toMatchObject({ ok: false, code: "rate_limited" });
    const second = await stub.acquire({ ...input, settled: [{ leaseId: first.leaseId, totalTokens: 40, costMicro: null }] });
    expect(second.ok).toBe(true);
    // The settle call itself arrives afterwards and finds its lease gone: charged once.
    expect(await stub.settle(first.leaseId, 40)).toEqual({ settled: false });
    const usage = await stub.usage();
    expect(usage!.tokens.day).toBe(40);
  });
});
