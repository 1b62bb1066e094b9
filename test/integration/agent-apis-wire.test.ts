import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { admin, bearer, call, chatModel, createTenant, eventually, issueKey, json, problem } from "../helpers/warden";
import type { EchoBody } from "../helpers/origin-server";
import { itInOneUtcDay } from "../helpers/clock";

/**
 * Issue 12 items 2 and 3, on the wire: what the Responses and Messages routes send the origin
 * (the reserved maximum, Anthropic's headers but not the credential), what they reserve (the
 * client's own maximum: too large for the budget is refused before the origin), receipts on
 * Messages answers, and streams passed on event by event with their typed `event:` lines.
 */
const PROTECTION = { protection: { text_watermark: true, receipts: true } };
const ANTHROPIC = (key: string) => ({ "x-api-key": key, "anthropic-version": "2023-06-01", "anthropic-beta": "tools-2024-04-04" });

async function tenant(extra: Record<string, unknown> = {}, originPath = "") {
  const { id } = await createTenant({ models: [chatModel("chat", originPath, PROTECTION), chatModel("echo", "/echo")], ...extra });
  const { key } = await issueKey(id);
  return { id, key };
}

/** Reads a stream until `done` holds for what has arrived (or the stream ends). */
async function readUntil(reader: ReadableStreamDefaultReader<Uint8Array>, done: (text: string) => boolean): Promise<string> {
  const decoder = new TextDecoder();
  let text = "";
  while (!done(text)) {
    const { done: ended, value } = await reader.read();
    if (ended) break;
    text += decoder.decode(value, { stream: true });
  }
  return text;
}

describe("what the agent APIs send upstream", () => {
  it("Messages: the origin gets anthropic-version and anthropic-beta, never the x-api-key; max_tokens is the client's", async () => {
    const t = await tenant();
    const res = await call(`/t/${t.id}/v1/messages`, json({ model: "echo", max_tokens: 33, messages: [{ role: "user", content: "hi" }] }, ANTHROPIC(t.key)));
    expect(res.status).toBe(200);
    const echoed = (await res.json()) as EchoBody;
    expect(echoed.headers["anthropic-version"]).toBe("2023-06-01");
    expect(echoed.headers["anthropic-beta"]).toBe("tools-2024-04-04");
    expect(echoed.headers["x-api-key"]).toBeUndefined();
    expect(JSON.stringify(echoed.headers)).not.toContain(t.key.split(".")[3]!);
    expect((JSON.parse(echoed.body) as { max_tokens: number }).max_tokens).toBe(33);
  });

  it("Responses: the client's max_output_tokens is what goes upstream", async () => {
    const t = await tenant();
    const res = await call(`/t/${t.id}/v1/responses`, json({ model: "echo", max_output_tokens: 41, input: "hi" }, bearer(t.key)));
    expect((JSON.parse(((await res.json()) as EchoBody).body) as { max_output_tokens: number }).max_output_tokens).toBe(41);
  });

  itInOneUtcDay("reserves max_output_tokens and max_tokens: a maximum the token budget cannot hold is refused before the origin", async () => {
    const t = await tenant({ policy: { limits: { tokens_per_day: 500 } } });
    const responses = await call(`/t/${t.id}/v1/responses`, json({ model: "echo", max_output_tokens: 1000, input: "hi" }, bearer(t.key)));
    expect(responses.status).toBe(429);
    const rp = (await problem(responses)) as unknown as { code: string; error: { type: string; code: string } };
    expect(rp.code).toBe("quota_exceeded");
    expect(rp.error).toMatchObject({ type: "insufficient_quota", code: "quota_exceeded" });
    const messages = await call(`/t/${t.id}/v1/messages`, json({ model: "echo", max_tokens: 1000, messages: [{ role: "user", content: "hi" }] }, ANTHROPIC(t.key)));
    expect(messages.status).toBe(429);
    expect(((await problem(messages)) as unknown as { error: { type: string } }).error.type).toBe("rate_limit_error");
    // Within the budget both pass.
    expect((await call(`/t/${t.id}/v1/responses`, json({ model: "echo", max_output_tokens: 100, input: "hi" }, bearer(t.key)))).status).toBe(200);
    expect((await call(`/t/${t.id}/v1/messages`, json({ model: "echo", max_tokens: 100, messages: [{ role: "user", content: "hi" }] }, ANTHROPIC(t.key)))).status).toBe(200);
  });
});

describe("hosted tools the origin connects to", () => {
  it("holds a Responses mcp tool's server_url and Anthropic's mcp_servers[].url to the outbound rules, naming the field", async () => {
    const t = await tenant();
    const responses = (url: string) => call(`/t/${t.id}/v1/responses`, json({ model: "echo", input: "hi", tools: [{ type: "mcp", server_label: "x", server_url: url, require_approval: "never" }] }, bearer(t.key)));
    const messages = (url: string) => call(`/t/${t.id}/v1/messages`, json({ model: "echo", max_tokens: 5, messages: [{ role: "user", content: "hi" }], mcp_servers: [{ type: "url", name: "x", url }] }, ANTHROPIC(t.key)));
    for (const url of ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/mcp", "https://10.0.0.7/sse", "https://metadata.google.internal/mcp"]) {
      const r = await responses(url);
      expect(r.status, url).toBe(400);
      expect(((await problem(r)) as unknown as { error: { param: string } }).error.param).toBe("tools.0.server_url");
      const m = await messages(url);
      expect(m.status, url).toBe(400);
      expect((await problem(m)).detail).toContain("mcp_servers.0.url");
    }
    expect((await responses("https://mcp.example.com/sse")).status).toBe(200);
    expect((await messages("https://mcp.example.com/sse")).status).toBe(200);
  });
});

describe("an origin that does not serve the Responses or Messages API", () => {
  it("is a 404 problem naming the route, in the route's dialect, streamed or not; the origin's own API error passes as it is", async () => {
    const model = (name: string, path: string) => ({ name, protocol: "openai", origins: [{ url: `${env.ORIGIN_URL}${path}` }] });
    const { id } = await createTenant({ models: [model("old", "/framework-status/404"), model("older", "/framework-status/405"), model("refusing", "/status/404")] });
    const { key } = await issueKey(id);
    for (const [name, status] of [["old", 404], ["older", 405]] as const) {
      for (const stream of [false, true]) {
        const r = await call(`/t/${id}/v1/responses`, json({ model: name, input: "hi", stream }, bearer(key)));
        expect(r.status, `${name} ${status}`).toBe(404);
        const rp = (await problem(r)) as unknown as { code: string; detail: string; error: { message: string; type: string } };
        expect(rp.detail).toBe(`The origin of model '${name}' does not serve POST /v1/responses.`);
        expect(rp.error).toMatchObject({ message: rp.detail, type: "not_found_error" });
        const m = await call(`/t/${id}/v1/messages`, json({ model: name, max_tokens: 5, stream, messages: [{ role: "user", content: "hi" }] }, ANTHROPIC(key)));
        expect(m.status).toBe(404);
        const mp = (await problem(m)) as unknown as { detail: string; error: Record<string, unknown> };
        expect(mp.error).toEqual({ type: "not_found_error", message: `The origin of model '${name}' does not serve POST /v1/messages.` });
      }
    }
    // The OIP versioned routes say the same of a version on an origin answering 405.
    const { id: oip } = await createTenant({ models: [{ name: "m", protocol: "oip", origins: [{ url: `${env.ORIGIN_URL}/framework-status/405` }] }] });
    const oipKey = (await issueKey(oip)).key;
    for (const path of ["/v2/models/m/versions/3", "/v2/models/m/versions/3/ready"]) {
      const res = await call(`/t/${oip}${path}`, { headers: bearer(oipKey) });
      expect(res.status, path).toBe(404);
      expect((await problem(res)).detail).toBe("The origin of model 'm' does not serve version '3' of it.");
    }
    // An origin that serves the route and refuses the request in the API's error shape: its own answer.
    const own = await call(`/t/${id}/v1/responses`, json({ model: "refusing", input: "hi" }, bearer(key)));
    expect(own.status).toBe(404);
    expect(own.headers.get("x-test-origin")).toBeTruthy();
    expect(((await own.json()) as { error: { type: string } }).error.type).toBe("origin_test");
  });
});

describe("routes of the agent APIs Warden does not serve", () => {
  it("answers the stored-response routes and count_tokens with a 404 in the route's dialect", async () => {
    const t = await tenant();
    for (const [method, path] of [["GET", "/v1/responses/resp_1"], ["DELETE", "/v1/responses/resp_1"], ["GET", "/v1/responses/resp_1/input_items"], ["POST", "/v1/responses/resp_1/cancel"]]) {
      const res = await call(`/t/${t.id}${path}`, { method, headers: bearer(t.key) });
      expect(res.status, path).toBe(404);
      expect(((await problem(res)) as unknown as { error: Record<string, unknown> }).error).toMatchObject({ type: "not_found_error", code: "not_found", param: null });
    }
    const count = await call(`/t/${t.id}/v1/messages/count_tokens`, json({ model: "chat", messages: [{ role: "user", content: "hi" }] }, ANTHROPIC(t.key)));
    expect(count.status).toBe(404);
    expect(((await problem(count)) as unknown as { error: Record<string, unknown> }).error).toEqual({ type: "not_found_error", message: "No such route on the data plane." });
  });
});

describe("extraction signals of the agent APIs", () => {
  it("observes Responses and Messages requests: a principal over the thresholds is refused extraction_suspected in each dialect", async () => {
    // Thresholds at 0: the first observed request puts the principal over them (text models may
    // be blocked with text: "block"). Were a route not observed, its principal would stay normal.
    for (const [path, body, dialect] of [
      ["/v1/responses", { model: "chat", input: "Tell me about the river.", max_output_tokens: 5 }, { type: "permission_error", code: "extraction_suspected", param: null }],
      ["/v1/messages", { model: "chat", max_tokens: 5, messages: [{ role: "user", content: "Tell me about the river." }] }, { type: "permission_error" }],
    ] as const) {
      const { id } = await createTenant({ models: [chatModel("chat")], policy: { extraction: { mode: "on", degrade_at: 0, block_at: 0, cooldown_s: 900, text: "block" } } });
      const k = await issueKey(id);
      const headers = path === "/v1/messages" ? ANTHROPIC(k.key) : bearer(k.key);
      expect((await call(`/t/${id}${path}`, json(body, headers))).status).toBe(200);
      await eventually(async () => {
        const usage = (await (await admin(`/tenants/${id}/usage`)).json()) as { principals: Array<{ principal: string; extraction: { state: string } }> };
        expect(usage.principals.find((p) => p.principal === `key:${k.id}`)?.extraction.state).toBe("blocked");
      });
      const refused = await call(`/t/${id}${path}`, json(body, headers));
      expect(refused.status, path).toBe(403);
      const p = (await problem(refused)) as unknown as { code: string; error: Record<string, unknown> };
      expect(p.code).toBe("extraction_suspected");
      expect(p.error).toMatchObject(dialect);
    }
  });
});

describe("receipts and streams of the Messages API", () => {
  it("signs a receipt for a Messages answer, JSON and streamed", async () => {
    const t = await tenant();
    const body = { model: "chat", max_tokens: 20, messages: [{ role: "user", content: "Tell me about the river." }] };
    const whole = await call(`/t/${t.id}/v1/messages`, json(body, ANTHROPIC(t.key)));
    expect(whole.status).toBe(200);
    expect(whole.headers.get("x-warden-receipt")).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const streamed = await (await call(`/t/${t.id}/v1/messages`, json({ ...body, stream: true }, ANTHROPIC(t.key)))).text();
    expect(streamed).toContain("event: message_stop");
    expect(streamed).toMatch(/: warden-receipt [\w-]+\.[\w-]+\.[\w-]+\n\n$/);
  });

  for (const [api, path, body, first] of [
    ["Responses", "/v1/responses", { model: "chat", input: "Tell me a story.", max_output_tokens: 30 }, "event: response.created"],
    ["Messages", "/v1/messages", { model: "chat", max_tokens: 30, messages: [{ role: "user", content: "Tell me a story." }] }, "event: message_start"],
  ] as const) {
    it(`passes a ${api} stream on event by event, typed event lines kept: the first events arrive while the origin holds the rest`, async () => {
      // The origin sends two events, then holds the rest for 20 s: only a pass-through that does
      // not wait for the whole stream shows them before then.
      const t = await tenant({}, "/stream-pause/20000");
      const res = await call(`/t/${t.id}${path}`, json({ ...body, stream: true }, api === "Messages" ? ANTHROPIC(t.key) : bearer(t.key)));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/event-stream");
      const reader = res.body!.getReader();
      const started = Date.now();
      const head = await readUntil(reader, (text) => text.split("\n\n").length > 2);
      expect(Date.now() - started).toBeLessThan(20_000);
      expect(head.startsWith(`${first}\ndata: {`), head.slice(0, 80)).toBe(true);
      expect(head).not.toMatch(/response\.completed|message_stop/);
      await reader.cancel();
    });
  }
});


