import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { bearer, call, chatModel, createTenant, issueKey, json, problem } from "../helpers/warden";

async function tenantWith(models: unknown[], policy: Record<string, unknown> = {}) {
  const { id } = await createTenant({ models, policy });
  const { key } = await issueKey(id);
  return { id, key, auth: bearer(key) };
}
const chatBody = (model: string, extra: Record<string, unknown> = {}) => ({ model, messages: [{ role: "user", content: "Tell me about the sea" }], max_tokens: 8, ...extra });
const stats = async (tag: string) => (await (await fetch(`${env.ORIGIN_URL}/__stats?tag=${tag}`)).json()) as { requests: number };

describe("forwarding (CONTRACT §4)", () => {
  it("forwards a chat completion to the origin and returns its answer with x-request-id and all six Server-Timing stages", async () => {
    const t = await tenantWith([chatModel("chat")]);
    const res = await call(`/t/${t.id}/v1/chat/completions`, json(chatBody("chat"), t.auth));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { choices: Array<{ message: { content: string } }>; usage: { total_tokens: number } };
    expect(body.choices[0]!.message.content.length).toBeGreaterThan(0);
    expect(body.usage.total_tokens).toBeGreaterThan(0);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const stages = (res.headers.get("server-timing") ?? "").split(",").map((s) => s.trim().split(";")[0]);
    expect(stages).toEqual(["auth", "validate", "screen", "budget", "origin", "protect"]);
  });

  it("strips credentials, hop-by-hop and x-warden-* headers, adds origin headers and Warden's own", async () => {
    const t = await tenantWith([chatModel("chat", "/echo", { origins: [{ url: `${env.ORIGIN_URL}/echo`, headers: { authorization: "Bearer origin-secret", "x-origin-team": "gpu" } }] })]);
    const res = await call(`/t/${t.id}/v1/chat/completions`, json(chatBody("chat"), {
      ...t.auth, "x-api-key": "also-secret", "x-warden-principal": "key:spoofed", connection: "keep-alive, x-drop-me", "x-drop-me": "1",
      "proxy-authorization": "Basic abc", cookie: "session=1", "x-client-header": "kept",
    }));
    expect(res.status).toBe(200);
    const echo = (await res.json()) as { headers: Record<string, string>; request_id: string; tenant: string; principal: string };
    expect(echo.headers.authorization).toBe("Bearer origin-secret");
    expect(echo.headers["x-origin-team"]).toBe("gpu");
    expect(echo.headers["x-api-key"]).toBeUndefined();
    expect(echo.headers["proxy-authorization"]).toBeUndefined();
    expect(echo.headers.cookie).toBeUndefined();
    expect(echo.headers["x-drop-me"]).toBeUndefined();
    expect(echo.headers["x-client-header"]).toBe("kept");
    expect(echo.tenant).toBe(t.id);
    expect(echo.principal).toMatch(/^key:/);
    expect(echo.principal).not.toBe("key:spoofed");
    expect(echo.request_id).toBe(res.headers.get("x-request-id"));
  });

  it("drops origin response headers that locate or fingerprint the origin", async () => {
    const t = await tenantWith([chatModel("chat", "", { origins: [{ url: `${env.ORIGIN_URL}/set-header/set-cookie/a=b/set-header/x-warden-evil/1` }] })]);
    const res = await call(`/t/${t.id}/v1/chat/completions`, json(chatBody("chat"), t.auth));
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
    expect(res.headers.get("x-warden-evil")).toBeNull();
  });

  it("answers Warden's own rate-limit and receipt headers, not the origin's of the same name in any case", async () => {
    const origin = `${env.ORIGIN_URL}/set-header/ratelimit/origin-value/set-header/RateLimit-Policy/origin-policy/set-header/x-origin-kept/1`;
    const t = await tenantWith([chatModel("chat", "", { origins: [{ url: origin }], protection: { receipts: true } })], { limits: { requests_per_day: 1000 } });
    const res = await call(`/t/${t.id}/v1/chat/completions`, json(chatBody("chat"), t.auth));
    expect(res.status).toBe(200);
    // One value each, Warden's: the lease's "RateLimit"/"RateLimit-Policy" replace the origin's lower-case ones.
    expect(res.headers.get("ratelimit")).toMatch(/^"requests-day";r=\d+;t=\d+$/);
    expect(res.headers.get("ratelimit-policy")).toMatch(/^"requests-day";q=1000;w=86400$/);
    expect(res.headers.get("x-warden-receipt")?.split(".")).toHaveLength(3);
    expect(res.headers.get("x-origin-kept")).toBe("1");
    await res.body?.cancel();
  });

  it("passes origin 4xx answers through, and turns 5xx into origin_error without the origin's body or address", async () => {
    const t = await tenantWith([
      chatModel("c400", "", { origins: [{ url: `${env.ORIGIN_URL}/status/400` }] }),
      chatModel("c500", "", { origins: [{ url: `${env.ORIGIN_URL}/status/500` }] }),
    ]);
    const four = await call(`/t/${t.id}/v1/chat/completions`, json(chatBody("c400"), t.auth));
    expect(four.status).toBe(400);
    expect(four.headers.get("content-type")).toContain("application/json");
    const five = await call(`/t/${t.id}/v1/chat/completions`, json(chatBody("c500"), t.auth));
    expect(five.status).toBe(502);
    const text = await five.text();
    expect(text).not.toContain("ORIGIN-SECRET-BODY");
    expect(text).not.toContain("127.0.0.1");
    expect(JSON.parse(text).code).toBe("origin_error");
  });

  it("fails over to the next origin on 503 and on connect errors, before any byte reached the client", async () => {
    const t = await tenantWith([
      chatModel("a", "", { origins: [{ url: `${env.ORIGIN_URL}/tag/fo-503/status/503`, weight: 1000 }, { url: `${env.ORIGIN_URL_2}/tag/fo-ok`, weight: 0 }] }),
      chatModel("b", "", { origins: [{ url: env.ORIGIN_DOWN_URL, weight: 1000 }, { url: `${env.ORIGIN_URL_2}/tag/fo-ok2`, weight: 0 }] }),
    ]);
    const a = await call(`/t/${t.id}/v1/chat/completions`, json(chatBody("a"), t.auth));
    expect(a.status).toBe(200);
    expect(a.headers.get("x-test-origin")).toBe("origin-2");
    const b = await call(`/t/${t.id}/v1/chat/completions`, json(chatBody("b"), t.auth));
    expect(b.status).toBe(200);
    expect(b.headers.get("x-test-origin")).toBe("origin-2");
  });

  it("answers no_origin when no origin can be reached and origin_timeout after timeout_ms", async () => {
    const t = await tenantWith([
      chatModel("down", "", { origins: [{ url: env.ORIGIN_DOWN_URL }] }),
      chatModel("slow", "", { origins: [{ url: `${env.ORIGIN_URL}/slow/5000` }], timeout_ms: 300 }),
    ]);
    const down = await call(`/t/${t.id}/v1/chat/completions`, json(chatBody("down"), t.auth));
    expect(down.status).toBe(503);
    expect((await problem(down)).code).toBe("no_origin");
    const slow = await call(`/t/${t.id}/v1/chat/completions`, json(chatBody("slow"), t.auth));
    expect(slow.status).toBe(504);
    const p = await problem(slow);
    expect(p.code).toBe("origin_timeout");
    expect(JSON.stringify(p)).not.toContain("127.0.0.1");
  });

  it("streams server-sent events chunk by chunk: the first token arrives while the origin still holds the rest", async () => {
    // The hold must outlast the way from the origin's first write to this test's first read (bytes
    // through SELF.fetch may coalesce once both parts have arrived): 1.5 s was thin on a loaded machine.
    const t = await tenantWith([chatModel("s", "", { origins: [{ url: `${env.ORIGIN_URL}/stream-pause/5000` }] })]);
    const res = await call(`/t/${t.id}/v1/chat/completions`, json(chatBody("s", { stream: true }), t.auth));
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/event-stream");
    const reader = res.body!.getReader();
    const decoder = new TextDecoder();
    let first = "";
    while (!first.includes("\n\n")) first += decoder.decode((await reader.read()).value, { stream: true });
    // Had Warden buffered the stream, the first read would already hold the end of it.
    expect(first).toContain("data: {");
    expect(first).not.toContain("[DONE]");
    let rest = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      rest += decoder.decode(value, { stream: true });
    }
    expect(rest).toContain("data: [DONE]");
    // Warden asked the origin for usage on the client's behalf; that extra chunk is not passed on.
    expect(first + rest).not.toContain('"usage"');
  });

  it("passes a stream's usage chunk on when the client asked for it", async () => {
    const t = await tenantWith([chatModel("s")]);
    const res = await call(`/t/${t.id}/v1/chat/completions`, json(chatBody("s", { stream: true, stream_options: { include_usage: true } }), t.auth));
    expect(await res.text()).toContain('"usage"');
  });

  it("forwards completions and embeddings and answers /v1/models from the tenant's list", async () => {
    const t = await tenantWith([chatModel("chat"), { name: "digits", protocol: "oip", origins: [{ url: env.ORIGIN_URL }] }]);
    const comp = await call(`/t/${t.id}/v1/completions`, json({ model: "chat", prompt: "Once upon a time", max_tokens: 5 }, t.auth));
    expect(comp.status).toBe(200);
    const emb = await call(`/t/${t.id}/v1/embeddings`, json({ model: "chat", input: ["hello", "world"] }, t.auth));
    expect(emb.status).toBe(200);
    expect(((await emb.json()) as { data: unknown[] }).data).toHaveLength(2);
    const models = (await (await call(`/t/${t.id}/v1/models`, { headers: t.auth })).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((m) => m.id)).toEqual(["chat"]);
  });

  it("serves OIP infer, metadata, model ready and server ready", async () => {
    const t = await tenantWith([{ name: "digits", protocol: "oip", origins: [{ url: env.ORIGIN_URL }], inputs: [{ name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 }] }]);
    const infer = await call(`/t/${t.id}/v2/models/digits/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: new Array(64).fill(3) }] }, t.auth));
    expect(infer.status).toBe(200);
    const out = (await infer.json()) as { outputs: Array<{ name: string; data: number[] }> };
    expect(out.outputs[0]!.data).toHaveLength(10);
    expect((await call(`/t/${t.id}/v2/models/digits`, { headers: t.auth })).status).toBe(200);
    expect((await call(`/t/${t.id}/v2/models/digits/ready`, { headers: t.auth })).status).toBe(200);
    const ready = await call(`/t/${t.id}/v2/health/ready`, { headers: t.auth });
    expect(await ready.json()).toEqual({ ready: true });
  });
});

describe("validation (CONTRACT §5)", () => {
  it("answers 415, 413, 400 and 404 as problems, and never calls the origin for them", async () => {
    const t = await tenantWith([chatModel("chat", "", { origins: [{ url: `${env.ORIGIN_URL}/tag/val` }] }), { name: "digits", protocol: "oip", origins: [{ url: `${env.ORIGIN_URL}/tag/val` }], inputs: [{ name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: [1, ...new Array(63).fill(16)] }] }], { limits: { max_body_bytes: 2048 } });
    const url = `/t/${t.id}/v1/chat/completions`;
    const cases: Array<[RequestInit, number, string]> = [
      [{ method: "POST", headers: { ...t.auth, "content-type": "text/plain" }, body: "{}" }, 415, "unsupported_media_type"],
      [json(chatBody("chat", { padding: "x".repeat(4096) }), t.auth), 413, "payload_too_large"],
      [{ method: "POST", headers: { ...t.auth, "content-type": "application/json" }, body: "{not json" }, 400, "invalid_request"],
      [json({ model: "chat", messages: "hi" }, t.auth), 400, "invalid_request"],
      [json({ model: "chat", messages: [] }, t.auth), 400, "invalid_request"],
      [json(chatBody("chat", { max_tokens: "ten" }), t.auth), 400, "invalid_request"],
      [json(chatBody("chat", { logit_bias: { "50256": -100 } }), t.auth), 400, "invalid_request"],
      [json(chatBody("nope"), t.auth), 404, "not_found"],
    ];
    for (const [init, status, code] of cases) {
      const res = await call(url, init);
      expect(res.status, code).toBe(status);
      expect((await problem(res)).code).toBe(code);
      expect(res.headers.get("x-request-id")).toBeTruthy();
    }
    const infer = (inputs: unknown) => call(`/t/${t.id}/v2/models/digits/infer`, json({ inputs }, t.auth));
    const row = (first: unknown, last: unknown = 0) => [first, ...new Array(62).fill(0), last];
    for (const inputs of [
      [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: row(0).slice(1) }],
      [{ name: "input-0", datatype: "INT32", shape: [1, 64], data: row(0) }],
      [{ name: "input-0", datatype: "FP32", shape: [1, 65], data: [...row(0), 0] }],
      [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: row(2) }],
      [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: row(0, 17) }],
      [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: row(0, -1) }],
      [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: row("x") }],
      [{ name: "other", datatype: "FP32", shape: [1, 64], data: row(0) }],
    ]) {
      expect((await infer(inputs)).status).toBe(400);
    }
    expect((await infer([{ name: "input-0", datatype: "FP32", shape: [1, 64], data: row(1, 16) }])).status).toBe(200);
    expect((await stats("val")).requests).toBe(1);
  });

  it("unknown routes are 404 problems, after authentication", async () => {
    const t = await tenantWith([chatModel("chat")]);
    expect((await call(`/t/${t.id}/v1/nothing-here`, { headers: t.auth })).status).toBe(404);
    expect((await call(`/t/${t.id}/v1/nothing-here`)).status).toBe(401);
    const top = await call("/nowhere");
    expect(top.status).toBe(404);
    expect((await problem(top)).type).toBe("/errors/not_found");
  });

  it("serves /healthz", async () => {
    const res = await call("/healthz");
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });
});
