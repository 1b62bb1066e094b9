/**
 * Issue 8, item 1: a stream, or an answer, that does not end with the origin's usage is charged
 * what passed through Warden (or the reservation), never nothing.
 */
import { describe, expect } from "vitest";
import { env } from "cloudflare:test";
import { admin, bearer, call, chatModel, createTenant, eventually, issueKey, json } from "../../helpers/warden";
import { itInOneUtcDay } from "../../helpers/clock";

type Usage = { windows: { day: { tokens: number } }; principals: Array<{ tokens: { day: number }; reserved_tokens: { day: number }; in_flight: number }> };
const usage = async (id: string) => (await (await admin(`/tenants/${id}/usage`)).json()) as Usage;
const MESSAGES = [{ role: "user", content: "Tell me about the sea" }];

async function tenant(originPath: string) {
  const { id } = await createTenant({ models: [chatModel("chat", originPath)], policy: { limits: { tokens_per_day: 100_000 } } });
  const { key } = await issueKey(id);
  return { id, auth: bearer(key) };
}

/** The reservation of a chat request with these fields: max_tokens + the body's bytes + 8. */
const reservation = (body: Record<string, unknown>) => (body.max_tokens as number) + new TextEncoder().encode(JSON.stringify(body)).byteLength + 8;

describe("settlement without the origin's usage", () => {
  itInOneUtcDay("charges a client that hangs up mid-stream what passed (never nothing, at most the reservation), and frees its slot", async () => {
    // The origin sends the first token, then holds the rest (and its usage) for 10 s.
    const { id } = await createTenant({ models: [chatModel("chat", "/stream-pause/10000")], policy: { limits: { tokens_per_day: 100_000, max_concurrency: 1 } } });
    const { key } = await issueKey(id);
    const body = { model: "chat", messages: MESSAGES, max_tokens: 50, stream: true };
    const res = await call(`/t/${id}/v1/chat/completions`, json(body, bearer(key)));
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    let seen = "";
    while (!seen.includes('"content":"') || seen.split('"content":"').length < 3) {
      const { done, value } = await reader.read();
      if (done) break;
      seen += new TextDecoder().decode(value);
    }
    await reader.cancel();
    const row = await eventually(async () => {
      const p = (await usage(id)).principals[0]!;
      expect(p.in_flight).toBe(0);
      return p;
    }, 15_000);
    // The prompt bound plus the token that passed (counted by its bytes when long); not the
    // origin's usage, which never came.
    const promptBound = reservation(body) - body.max_tokens;
    expect(row.tokens.day).toBeGreaterThanOrEqual(promptBound + 1);
    expect(row.tokens.day).toBeLessThanOrEqual(promptBound + 5);
    expect(row.tokens.day).toBeLessThanOrEqual(reservation(body));
    expect(row.reserved_tokens.day).toBe(0);
  });

  itInOneUtcDay("charges a JSON answer without usage its reservation", async () => {
    const t = await tenant("/echo");
    const body = { model: "chat", messages: MESSAGES, max_tokens: 12 };
    const res = await call(`/t/${t.id}/v1/chat/completions`, json(body, t.auth));
    expect(res.status).toBe(200);
    await res.arrayBuffer();
    expect((await usage(t.id)).windows.day.tokens).toBe(reservation(body));
  });

  itInOneUtcDay("still charges the origin's own usage when the stream completes", async () => {
    const t = await tenant("");
    const res = await call(`/t/${t.id}/v1/chat/completions`, json({ model: "chat", messages: MESSAGES, max_tokens: 6, stream: true, stream_options: { include_usage: true } }, t.auth));
    const text = await res.text();
    const reported = [...text.matchAll(/"total_tokens":(\d+)/g)].map((m) => Number(m[1]));
    expect(reported).toHaveLength(1);
    await eventually(async () => expect((await usage(t.id)).windows.day.tokens).toBe(reported[0]), 15_000);
  });

  itInOneUtcDay("charges nothing when the origin fails before sending any text", async () => {
    const t = await tenant("/status/503");
    const res = await call(`/t/${t.id}/v1/chat/completions`, json({ model: "chat", messages: MESSAGES, max_tokens: 6, stream: true }, t.auth));
    expect(res.status).toBe(502);
    await res.arrayBuffer();
    expect((await usage(t.id)).principals[0]).toMatchObject({ tokens: { day: 0 }, in_flight: 0 });
    expect(env.ORIGIN_URL).toBeTruthy();
  });
});
