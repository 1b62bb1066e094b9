import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "cloudflare:test";
import { bearer, call, chatModel, createTenant, eventually, issueKey, json } from "../helpers/warden";
import { captureLog } from "../helpers/operator-log";
import { itInOneUtcDay } from "../helpers/clock";

/** The operator's log through the Worker: GenAI attribute names, every refusal's reason, origin failure causes. */

const chat = (id: string, auth: Record<string, string>, model = "chat", extra: Record<string, unknown> = {}) =>
  call(`/t/${id}/v1/chat/completions`, json({ model, messages: [{ role: "user", content: "Tell me about the sea" }], max_tokens: 6, ...extra }, auth));

describe("operator log lines", () => {
  afterEach(() => vi.restoreAllMocks());

  it("names a settled request's model, tokens and cost with OpenTelemetry GenAI attributes", async () => {
    const { id } = await createTenant({ models: [chatModel("chat", "", { pricing: { input_per_million: 1, output_per_million: 2 } })] });
    const { key, id: keyId } = await issueKey(id);
    const log = captureLog();
    const res = await chat(id, bearer(key));
    const usage = ((await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
    const line = await eventually(async () => {
      const e = log.events().find((x) => x.event === "inference.settled" && x.tenant === id);
      expect(e).toBeDefined();
      return e!;
    });
    expect(line).toMatchObject({
      principal: `key:${keyId}`,
      "gen_ai.operation.name": "chat",
      "gen_ai.request.model": "chat",
      "gen_ai.usage.input_tokens": usage.prompt_tokens,
      "gen_ai.usage.output_tokens": usage.completion_tokens,
      "warden.cost_usd": Math.ceil(usage.prompt_tokens + usage.completion_tokens * 2) / 1e6,
    });
    expect(typeof line.request_id).toBe("string");
  });

  itInOneUtcDay("logs every data-plane refusal with its code and reason, the secret it carried left out", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")], policy: { limits: { requests_per_day: 1 } } });
    const { key } = await issueKey(id);
    expect((await chat(id, bearer(key))).status).toBe(200);
    const log = captureLog();
    expect((await chat(id, bearer("wk_NOT-A-REAL-KEY-0123456789")) ).status).toBe(401);
    expect((await chat(id, bearer(key), "nope")).status).toBe(404);
    expect((await chat(id, bearer(key))).status).toBe(429);
    const refused = log.events().filter((e) => e.event === "request.refused" && String(e.path).startsWith(`/t/${id}/`));
    expect(refused.map((e) => e.code)).toEqual(["unauthorized", "not_found", "quota_exceeded"]);
    for (const e of refused) {
      expect(typeof e.reason).toBe("string");
      expect(String(e.reason).length).toBeGreaterThan(0);
      expect(e["error.type"]).toBe(e.code);
    }
    expect(refused[2]!.reason).toMatch(/^budget: tenant requests_day/);
    expect(log.raw()).not.toContain("NOT-A-REAL-KEY");
  });

  it("says why an origin could not be reached in one line, without a stack trace", async () => {
    const { id } = await createTenant({ models: [chatModel("down", "", { origins: [{ url: env.ORIGIN_DOWN_URL }] })] });
    const { key } = await issueKey(id);
    const log = captureLog();
    const error = captureLog("error");
    const res = await chat(id, bearer(key), "down");
    expect(res.status).toBe(503);
    const lines = log.events();
    const unreachable = lines.filter((e) => e.event === "forward.origin_unreachable");
    expect(unreachable).toHaveLength(1);
    expect(unreachable[0]).toMatchObject({ cause: "connect", timeout: false });
    const refused = lines.find((e) => e.event === "request.refused" && e.code === "no_origin");
    expect(refused).toMatchObject({ "gen_ai.request.model": "down", tenant: id });
    const all = JSON.stringify([...log.calls, ...error.calls]);
    expect(all).not.toMatch(/\n\s+at /);
    expect(all).not.toContain('"stack"');
    expect(all).not.toContain(new URL(env.ORIGIN_DOWN_URL).port);
  });
});
