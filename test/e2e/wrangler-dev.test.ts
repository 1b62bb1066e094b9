/// <reference types="node" />
/**
 * End to end: `wrangler dev` (the real runtime and bundling) in front of the demo origin, driven
 * by the official openai SDK and plain HTTP for OIP, as a client and an operator would. Then a
 * restart of `wrangler dev` on the same `--persist-to` directory keeps tenants and keys.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import Anthropic from "@anthropic-ai/sdk";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDemoOrigin, type RunningOrigin } from "../../scripts/demo-origin/server.mjs";
import { adminCall, freePort, startWrangler, waitForHealth, type RunningWrangler } from "../../scripts/lib/local-warden.mjs";
import { demoTenant } from "../../scripts/demo-tenant.mjs";

const ADMIN_TOKEN = randomBytes(24).toString("base64url");
const MASTER_KEY = randomBytes(32).toString("base64");

/** Settlements reach storage within this (durable-objects/budget-principal.ts SETTLE_WRITE_MS). */
const SETTLE_WRITE_MS = 1_000;

interface Window {
  start: string;
  requests: number;
  tokens: number;
  cost: number;
}
interface Windows {
  day: Window;
  month: Window;
}

/**
 * The usage windows two readings share. A UTC day (or month) that begins between them starts its
 * counters from zero by design, so only a window both readings fall in can be compared.
 */
function sharedWindows(a: Windows, b: Windows): Partial<Windows> {
  return Object.fromEntries((["day", "month"] as const).filter((w) => a[w].start === b[w].start).map((w) => [w, a[w]]));
}

/** The window of `now` that holds the instant `since` (ISO): the day, else the month; null after a new month. */
function windowSince(now: Windows, since: string): Window | null {
  if (now.day.start === since.slice(0, 10)) return now.day;
  return now.month.start === since.slice(0, 7) ? now.month : null;
}

let origin: RunningOrigin;
let wrangler: RunningWrangler;
let persistDir: string;
let port: number;
let base: string;
let key: string;
let client: OpenAI;

async function startWarden(): Promise<void> {
  wrangler = startWrangler({ port, inspectorPort: await freePort(), persistDir, vars: { ADMIN_TOKEN, MASTER_KEY, ALLOW_LOOPBACK_ORIGINS: "true" } });
  await waitForHealth(base, wrangler, 150_000);
}

beforeAll(async () => {
  origin = await startDemoOrigin({ port: 0 });
  persistDir = mkdtempSync(join(tmpdir(), "warden-e2e-"));
  port = await freePort();
  base = `http://127.0.0.1:${port}`;
  await startWarden();
  const tenant = { ...demoTenant(origin.url), id: "e2e" };
  const created = await adminCall(base, ADMIN_TOKEN, "POST", "/tenants", tenant);
  expect(created.status, created.text).toBe(201);
  const issued = await adminCall(base, ADMIN_TOKEN, "POST", "/tenants/e2e/keys", { name: "e2e" });
  expect(issued.status, issued.text).toBe(201);
  key = issued.body.key;
  client = new OpenAI({ baseURL: `${base}/t/e2e/v1`, apiKey: key, maxRetries: 0 });
});

afterAll(async () => {
  await wrangler?.stop();
  await origin?.close();
  if (persistDir) rmSync(persistDir, { recursive: true, force: true });
});

describe("wrangler dev driven by the openai SDK", () => {
  it("lists the tenant's OpenAI models", async () => {
    const ids = [];
    for await (const m of client.models.list()) ids.push(m.id);
    expect(ids.sort()).toEqual(["demo-chat", "demo-embed"]);
  });

  it("answers a chat completion, with Warden's headers", async () => {
    const { data, response } = await client.chat.completions
      .create({ model: "demo-chat", messages: [{ role: "user", content: "Tell me about the river." }], max_tokens: 20 })
      .withResponse();
    expect(data.choices[0]!.message.content!.length).toBeGreaterThan(0);
    expect(data.usage!.total_tokens).toBeGreaterThan(0);
    expect(response.headers.get("x-request-id")).toBeTruthy();
    expect(response.headers.get("server-timing")).toContain("origin;dur=");
    expect(response.headers.get("x-warden-receipt")).toMatch(/^[\w-]+\.[\w-]+\.[\w-]+$/);
  });

  it("streams a chat completion chunk by chunk", async () => {
    const stream = await client.chat.completions.create({ model: "demo-chat", messages: [{ role: "user", content: "Tell me a story." }], max_tokens: 30, stream: true });
    let chunks = 0;
    let text = "";
    for await (const chunk of stream) {
      chunks++;
      text += chunk.choices[0]?.delta?.content ?? "";
    }
    expect(chunks).toBeGreaterThan(5);
    expect(text.length).toBeGreaterThan(0);
  });

  it("serves the Responses API to the openai SDK, streamed and not", async () => {
    const answer = await client.responses.create({ model: "demo-chat", input: "Tell me about the river.", max_output_tokens: 20 });
    expect(answer.output_text.length).toBeGreaterThan(0);
    const stream = client.responses.stream({ model: "demo-chat", input: "Tell me a story.", max_output_tokens: 20 });
    let deltas = "";
    for await (const event of stream) if (event.type === "response.output_text.delta") deltas += event.delta;
    expect((await stream.finalResponse()).output_text).toBe(deltas);
  });

  it("serves the Messages API to the Anthropic SDK (x-api-key), and its errors as the SDK's own", async () => {
    const anthropic = new Anthropic({ baseURL: `${base}/t/e2e`, apiKey: key, maxRetries: 0 });
    const msg = await anthropic.messages.create({ model: "demo-chat", max_tokens: 20, messages: [{ role: "user", content: "Tell me about the river." }] });
    expect(msg.content[0]!.type).toBe("text");
    expect(msg.usage.output_tokens).toBeGreaterThan(0);
    const stream = anthropic.messages.stream({ model: "demo-chat", max_tokens: 20, messages: [{ role: "user", content: "Tell me a story." }] });
    expect((await stream.finalMessage()).content.length).toBeGreaterThan(0);
    const stranger = new Anthropic({ baseURL: `${base}/t/e2e`, apiKey: "not-a-key", maxRetries: 0 });
    await expect(stranger.messages.create({ model: "demo-chat", max_tokens: 5, messages: [{ role: "user", content: "x" }] })).rejects.toBeInstanceOf(Anthropic.AuthenticationError);
  });

  it("returns embeddings with the SDK's default base64 encoding", async () => {
    const res = await client.embeddings.create({ model: "demo-embed", input: ["the river bends", "a quiet harbour"] });
    expect(res.data).toHaveLength(2);
    const v = res.data[0]!.embedding;
    expect(v).toHaveLength(128);
    expect(v.every((x) => Number.isFinite(x))).toBe(true);
    expect(Math.hypot(...v)).toBeCloseTo(1, 1);
  });

  it("maps a bad request to a problem the SDK surfaces as an APIError", async () => {
    await expect(client.chat.completions.create({ model: "no-such-model", messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 404 });
    const anon = new OpenAI({ baseURL: `${base}/t/e2e/v1`, apiKey: "wdn.e2e.aaaaaaaaaaaaaaaa.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA", maxRetries: 0 });
    await expect(anon.chat.completions.create({ model: "demo-chat", messages: [{ role: "user", content: "x" }] })).rejects.toMatchObject({ status: 401 });
  });

  it("answers an OIP v2 inference request", async () => {
    const res = await fetch(`${base}/t/e2e/v2/models/digits/infer`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ inputs: [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: new Array(64).fill(4) }] }),
    });
    expect(res.status).toBe(200);
    const out = (await res.json()) as { outputs: Array<{ name: string; shape: number[]; data: number[] }> };
    expect(out.outputs[0]!.shape).toEqual([1, 10]);
    expect(out.outputs[0]!.data.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
  });

  it("frees the concurrency slot of a client that hangs up mid-stream, and charges it what passed", async () => {
    const slow = await startDemoOrigin({ port: 0, tokenDelayMs: 150 });
    try {
      // logit_bias keeps the demo model off its end-of-text token (id 1): the first stream runs its
      // full 200 tokens (30 s), so it cannot end, and free its slot, before the hang-up.
      const model = { name: "chat", protocol: "openai", origins: [{ url: slow.url }], protection: { logprobs: { allow_logit_bias: true } } };
      const tenant = { id: "e2e-hangup", name: "hang-up", models: [model], policy: { limits: { max_concurrency: 1 } } };
      expect((await adminCall(base, ADMIN_TOKEN, "POST", "/tenants", tenant)).status).toBe(201);
      const issued = await adminCall(base, ADMIN_TOKEN, "POST", "/tenants/e2e-hangup/keys", { name: "k" });
      const body = { model: "chat", messages: [{ role: "user", content: "a long story" }], max_tokens: 200, stream: true, logit_bias: { "1": -100 } };
      const start = (b: Record<string, unknown>, signal?: AbortSignal) =>
        fetch(`${base}/t/e2e-hangup/v1/chat/completions`, {
          method: "POST",
          headers: { authorization: `Bearer ${issued.body.key}`, "content-type": "application/json" },
          body: JSON.stringify(b),
          ...(signal ? { signal } : {}),
        });
      const usage = async () => (await adminCall(base, ADMIN_TOKEN, "GET", "/tenants/e2e-hangup/usage")).body as { windows: Windows; principals: Array<{ in_flight: number }> };
      const startedOn = new Date().toISOString();
      const abort = new AbortController();
      const first = await start(body, abort.signal);
      expect(first.status).toBe(200);
      await first.body!.getReader().read();
      const second = await start(body);
      expect(second.status).toBe(429);
      await second.arrayBuffer();
      abort.abort();
      // Wait on the slot itself (not on fixed sleeps, nor on requests that would hold slots and
      // add charges of their own); generous, for a busy machine.
      const deadline = Date.now() + 60_000;
      let after = await usage();
      while (after.principals.some((p) => p.in_flight > 0) && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        after = await usage();
      }
      expect(after.principals.map((p) => p.in_flight)).toEqual([0]);
      // Charged what passed before the hang-up: the prompt bound plus the tokens delivered, never
      // nothing, and never more than the reservation (200 + the body's bytes + 8). The charge goes
      // to the day the stream began: read the month's window if a midnight fell in between.
      const charged = windowSince(after.windows, startedOn);
      if (charged) {
        expect(charged.tokens).toBeGreaterThan(0);
        expect(charged.tokens).toBeLessThanOrEqual(200 + Buffer.byteLength(JSON.stringify(body)) + 8);
      }
      const again = await start({ ...body, stream: false, max_tokens: 3 });
      expect(again.status).toBe(200);
      await again.arrayBuffer();
    } finally {
      await slow.close();
    }
  });

  it("keeps tenants, keys and budget counters across a restart of wrangler dev --persist-to", async () => {
    const before = await adminCall(base, ADMIN_TOKEN, "GET", "/tenants/e2e/usage");
    expect(before.body.windows.month.requests).toBeGreaterThan(0);
    // A settlement is written behind, within SETTLE_WRITE_MS (1 s, durable-objects/budget-principal.ts):
    // a stop sooner after the last answer loses it by design (docs/budgets.md, "What a crash can
    // lose"), which is not what this test is about, and no HTTP answer shows that the write landed.
    // The bound is in time, so this wait is too: five times it, for a loaded machine. Without it the
    // test relied on the test before it lasting longer than the write.
    await new Promise((r) => setTimeout(r, 5 * SETTLE_WRITE_MS));
    await wrangler.stop();
    await startWarden();
    // Which step hangs, if one does, and what wrangler said: seen once under load, not reproduced in 12 restarts.
    const after = await adminCall(base, ADMIN_TOKEN, "GET", "/tenants/e2e/usage").catch((err: Error) => {
      throw new Error(`${err.message}\n--- wrangler dev output ---\n${wrangler.log().slice(-4000)}`);
    });
    // The two readings lie two cold starts apart (up to minutes): compare the windows both fall in.
    expect(sharedWindows(after.body.windows, before.body.windows)).toEqual(sharedWindows(before.body.windows, after.body.windows));
    const chat = await client.chat.completions.create({ model: "demo-chat", messages: [{ role: "user", content: "Again." }], max_tokens: 5 });
    expect(chat.choices).toHaveLength(1);
    const tenant = await adminCall(base, ADMIN_TOKEN, "GET", "/tenants/e2e");
    expect(tenant.status).toBe(200);
  }, 400_000); // a stop and a cold start of wrangler dev: up to 150 s each on a loaded 2-core machine
});
