import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { BASE, admin, bearer, call, chatModel, createTenant, eventually, issueKey, json } from "../helpers/warden";
import { viaWorker } from "../helpers/sdk-fetch";
import type { EchoBody } from "../helpers/origin-server";
import { itInOneUtcDay } from "../helpers/clock";

/**
 * The Responses API and the Anthropic Messages API through the whole Worker, driven by the
 * official `openai` and `@anthropic-ai/sdk` clients (inside workerd, through the Worker's own
 * fetch handler) against the demo origin's real language model.
 */
const marked = /[\uFE00-\uFE0F]/u;
/** The demo origin samples greedily at temperature 0 (current Anthropic SDK types no longer name the field). */
const GREEDY = { temperature: 0 } as object;

async function tenantWith(extra: Record<string, unknown> = {}) {
  const model = chatModel("chat", "", { protection: { text_watermark: true, receipts: true, logprobs: { max_top_logprobs: 2 } } });
  const { id } = await createTenant({ models: [model, chatModel("echo", "/echo")], ...extra });
  const { key, id: keyId } = await issueKey(id);
  return { id, key, keyId, openai: new OpenAI({ baseURL: `${BASE}/t/${id}/v1`, apiKey: key, maxRetries: 0, fetch: viaWorker }), anthropic: new Anthropic({ baseURL: `${BASE}/t/${id}`, apiKey: key, maxRetries: 0, fetch: viaWorker }) };
}

async function attribution(tenant: string, text: string) {
  return (await (await admin(`/tenants/${tenant}/watermark/verify`, "POST", { kind: "text", text })).json()) as { attributed: boolean; principal: string | null };
}

async function dayTokens(tenant: string): Promise<number> {
  return ((await (await admin(`/tenants/${tenant}/usage`)).json()) as { windows: { day: { tokens: number } } }).windows.day.tokens;
}

describe("OpenAI Responses API (/v1/responses)", () => {
  itInOneUtcDay("answers through the SDK with the watermark, a receipt, capped logprobs, and settles the reported usage", async () => {
    const t = await tenantWith();
    const { data, response } = await t.openai.responses
      .create({ model: "chat", instructions: "Answer briefly.", input: "Tell me about the river.", max_output_tokens: 60, temperature: 0, top_logprobs: 20, include: ["message.output_text.logprobs"] })
      .withResponse();
    expect(data.output_text.length).toBeGreaterThan(0);
    expect(data.output_text).toMatch(marked);
    expect(response.headers.get("x-warden-receipt")).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
    const part = (data.output[0] as { content: Array<{ logprobs?: Array<{ top_logprobs: unknown[] }> }> }).content[0]!;
    expect(part.logprobs!.length).toBeGreaterThan(0);
    for (const pos of part.logprobs!) expect(pos.top_logprobs.length).toBeLessThanOrEqual(2);
    expect(await attribution(t.id, data.output_text)).toMatchObject({ attributed: true, principal: `key:${t.keyId}` });
    await eventually(async () => expect(await dayTokens(t.id)).toBe(data.usage!.total_tokens));
  });

  itInOneUtcDay("streams typed events through the SDK; the text in the done events is the marked text the deltas carried", async () => {
    const t = await tenantWith();
    const stream = t.openai.responses.stream({ model: "chat", input: "Tell me about the river.", max_output_tokens: 60, temperature: 0 });
    let deltas = "";
    const types = new Set<string>();
    for await (const event of stream) {
      types.add(event.type);
      if (event.type === "response.output_text.delta") deltas += event.delta;
    }
    const final = await stream.finalResponse();
    expect(types).toContain("response.output_text.delta");
    expect(types).toContain("response.completed");
    expect(deltas).toMatch(marked);
    expect(final.output_text).toBe(deltas);
    expect(await attribution(t.id, deltas)).toMatchObject({ attributed: true, principal: `key:${t.keyId}` });
    await eventually(async () => expect(await dayTokens(t.id)).toBe(final.usage!.total_tokens));
  });

  it("tells the origin the maximum it reserved when the client names none", async () => {
    const t = await tenantWith({ policy: { limits: { default_reserve_tokens: 77 } } });
    const res = await call(`/t/${t.id}/v1/responses`, json({ model: "echo", input: "hello" }, bearer(t.key)));
    expect(res.status).toBe(200);
    const echoed = JSON.parse(((await res.json()) as EchoBody).body) as { max_output_tokens: number };
    expect(echoed.max_output_tokens).toBe(77);
  });

  it("refuses a malformed request with an OpenAI-shaped 400 naming the field", async () => {
    const t = await tenantWith();
    const err = await t.openai.responses.create({ model: "chat", input: 42 as never }).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(OpenAI.BadRequestError);
    expect((err as InstanceType<typeof OpenAI.BadRequestError>).param).toBe("input");
  });
});

describe("Anthropic Messages API (/v1/messages)", () => {
  itInOneUtcDay("answers the Anthropic SDK (x-api-key, anthropic-version) with the watermark and settles input + output tokens", async () => {
    const t = await tenantWith();
    const msg = await t.anthropic.messages.create({ model: "chat", max_tokens: 60, system: "Answer briefly.", messages: [{ role: "user", content: "Tell me about the river." }], ...GREEDY });
    const text = msg.content.map((b) => (b.type === "text" ? b.text : "")).join("");
    expect(text).toMatch(marked);
    expect(await attribution(t.id, text)).toMatchObject({ attributed: true, principal: `key:${t.keyId}` });
    await eventually(async () => expect(await dayTokens(t.id)).toBe(msg.usage.input_tokens + msg.usage.output_tokens));
  });

  itInOneUtcDay("streams Anthropic's events through the SDK, text deltas marked, usage from message_start and message_delta", async () => {
    const t = await tenantWith();
    const stream = t.anthropic.messages.stream({ model: "chat", max_tokens: 60, messages: [{ role: "user", content: "Tell me about the river." }], ...GREEDY });
    const final = await stream.finalMessage();
    const text = final.content.map((b) => (b.type === "text" ? b.text : "")).join("");
    expect(text).toMatch(marked);
    expect(await attribution(t.id, text)).toMatchObject({ attributed: true });
    await eventually(async () => expect(await dayTokens(t.id)).toBe(final.usage.input_tokens + final.usage.output_tokens));
  });

  it("shows Warden's refusals as the Anthropic SDK's own error classes and messages", async () => {
    const t = await tenantWith({ policy: { limits: { requests_per_minute: 1, burst: 1 } } });
    const wrong = new Anthropic({ baseURL: `${BASE}/t/${t.id}`, apiKey: `wdn.${t.id}.aaaaaaaaaaaaaaaa.${"A".repeat(43)}`, maxRetries: 0, fetch: viaWorker });
    const unauthorized = await wrong.messages.create({ model: "chat", max_tokens: 5, messages: [{ role: "user", content: "x" }] }).then(() => null, (e: unknown) => e);
    expect(unauthorized).toBeInstanceOf(Anthropic.AuthenticationError);
    expect((unauthorized as Error).message).toContain("The credential is invalid, expired or revoked.");
    await t.anthropic.messages.create({ model: "chat", max_tokens: 5, messages: [{ role: "user", content: "x" }] });
    const limited = await t.anthropic.messages.create({ model: "chat", max_tokens: 5, messages: [{ role: "user", content: "x" }] }).then(() => null, (e: unknown) => e);
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    const missing = await new Anthropic({ baseURL: `${BASE}/t/${t.id}`, apiKey: t.key, maxRetries: 0, fetch: viaWorker }).messages
      .create({ model: "nope", max_tokens: 5, messages: [{ role: "user", content: "x" }] })
      .then(() => null, (e: unknown) => e);
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
  });

  it("refuses a request without max_tokens (the API requires it) before reaching the origin", async () => {
    const t = await tenantWith();
    const res = await call(`/t/${t.id}/v1/messages`, json({ model: "chat", messages: [{ role: "user", content: "x" }] }, { "x-api-key": t.key, "anthropic-version": "2023-06-01" }));
    expect(res.status).toBe(400);
    const body = (await res.json()) as { type: string; error: { type: string; message: string } };
    expect(body.type).toBe("/errors/invalid_request");
    expect(body.error.type).toBe("invalid_request_error");
  });
});

describe("request fields of the agent APIs", () => {
  it("holds media URLs in Responses input items and Messages blocks to the outbound rules (no metadata service, no loopback)", async () => {
    const t = await tenantWith();
    const responses = (part: unknown) => call(`/t/${t.id}/v1/responses`, json({ model: "echo", input: [{ role: "user", content: [{ type: "input_text", text: "what is this?" }, part] }] }, bearer(t.key)));
    const messages = (block: unknown) =>
      call(`/t/${t.id}/v1/messages`, json({ model: "echo", max_tokens: 5, messages: [{ role: "user", content: [block, { type: "text", text: "what is this?" }] }] }, { "x-api-key": t.key }));
    for (const url of ["http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8080/admin", "https://metadata.google.internal/x.png"]) {
      expect((await responses({ type: "input_image", image_url: url })).status, url).toBe(400);
      expect((await responses({ type: "input_file", file_url: url })).status, url).toBe(400);
      expect((await messages({ type: "image", source: { type: "url", url } })).status, url).toBe(400);
      expect((await messages({ type: "tool_result", tool_use_id: "t1", content: [{ type: "image", source: { type: "url", url } }] })).status, url).toBe(400);
    }
    expect((await responses({ type: "input_image", image_url: "https://images.example.com/cat.png" })).status).toBe(200);
    expect((await messages({ type: "image", source: { type: "url", url: "https://images.example.com/cat.png" } })).status).toBe(200);
  });
});

describe("GET /v1/models/{model}", () => {
  it("answers a model the credential may use, 404 for unknown or out-of-scope ones", async () => {
    const { id } = await createTenant({ models: [chatModel("a"), chatModel("org/b")] });
    const { key } = await issueKey(id, { name: "only-a", scopes: ["a"] });
    const client = new OpenAI({ baseURL: `${BASE}/t/${id}/v1`, apiKey: key, maxRetries: 0, fetch: viaWorker });
    expect(await client.models.retrieve("a")).toMatchObject({ id: "a", object: "model" });
    await expect(client.models.retrieve("org/b")).rejects.toBeInstanceOf(OpenAI.NotFoundError);
    await expect(client.models.retrieve("zzz")).rejects.toBeInstanceOf(OpenAI.NotFoundError);
  });
});
