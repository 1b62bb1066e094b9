import { describe, expect } from "vitest";
import { abortAllDurableObjects } from "cloudflare:test";
import { bearer, call, chatModel, createTenant, issueKey, json } from "../../helpers/warden";
import { SETTLE_WRITE_MS } from "../../../durable-objects/budget";
import { principalStub, settledInStorage } from "./helpers";
import { itInOneUtcDay } from "../../helpers/clock";

/**
 * A settlement is written behind (issue 11): the principal's object applies it at once and writes
 * it within SETTLE_WRITE_MS, or with the next admission. Through the Worker: with no further
 * request, the lease leaves storage within the bound on its own, and an eviction after that keeps
 * the charge and the freed slot. docs/budgets.md, "What a crash can lose".
 */
const chat = (id: string, key: string) =>
  call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "Tell me about the sea" }], max_tokens: 8 }, bearer(key)));

describe("settlement written behind", () => {
  itInOneUtcDay("reaches storage within the bound without another request, and survives an eviction then", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")] });
    const key = await issueKey(id, { name: "wb", limits: { max_concurrency: 1, tokens_per_day: 100_000 } });
    const res = await chat(id, key.key);
    expect(res.status).toBe(200);
    await res.text();
    const principal = `key:${key.id}`;
    const started = Date.now();
    await settledInStorage(id, principal, [], SETTLE_WRITE_MS * 10 + 10_000);
    expect(Date.now() - started).toBeLessThan(SETTLE_WRITE_MS * 10 + 10_000);
    await abortAllDurableObjects();
    const usage = await principalStub(id, principal).usage();
    // Charged what the origin reported (not the whole reservation of a lost settlement), slot free.
    expect(usage).toMatchObject({ in_flight: 0, reserved_tokens: { day: 0 }, requests: { day: 1 } });
    expect(usage!.tokens.day).toBeGreaterThan(0);
    expect((await chat(id, key.key)).status).toBe(200);
  });
});
