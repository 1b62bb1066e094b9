import { describe, expect, it } from "vitest";
import { FuzzJudge, type FuzzRequest } from "../../helpers/fuzz-check";
import {
  INVALID_UTF8, NAUGHTY, NOT_OBJECTS, PROTO_KEYS, RAW_NUMBERS, REMOVE, WRONG_VALUES,
  allPaths, bytesBetween, nestedArray, nestedObject, pathName, sample, withValue,
} from "../../helpers/fuzz-corpus";
import { fuzzSuite, type FuzzWorld } from "../../helpers/fuzz-setup";
import { expectUnchanged, tenantState, type TenantState } from "../../helpers/fuzz-state";
import { admin, chatModel, createTenant, issueKey } from "../../helpers/warden";

/**
 * Issue 12 on the Responses (`/v1/responses`) and Anthropic Messages (`/v1/messages`) routes, as
 * the fuzz files test the older OpenAI routes: no body, media type, length, wrong type at any
 * known field or naughty text makes Warden answer 500; every refusal is problem+json with the
 * route's dialect (`error` in OpenAI's shape on Responses, Anthropic's on Messages); refusals
 * change no stored state. And the origin side: unknown, unreadable or mistyped events in either
 * stream pass through without breaking the stream, its receipt or its settlement.
 */
const judge = new FuzzJudge();
let w: FuzzWorld;
let before: TenantState;
let auth: Record<string, string>;

fuzzSuite("agent-apis", judge, (world, snapshot) => {
  w = world;
  before = snapshot;
  auth = { authorization: `Bearer ${world.key}` };
});

const RESPONSES = {
  model: "chat",
  instructions: "be brief",
  input: [
    { role: "user", content: [{ type: "input_text", text: "hello" }] },
    { type: "function_call", call_id: "c1", name: "f", arguments: "{}" },
    { type: "function_call_output", call_id: "c1", output: "ok" },
  ],
  tools: [{ type: "function", name: "f", description: "d", parameters: { type: "object", properties: {} } }],
  tool_choice: "auto",
  text: { format: { type: "text" } },
  max_output_tokens: 4,
  top_logprobs: 0,
  stream: false,
  previous_response_id: "resp_0",
  temperature: 0.5,
};
const MESSAGES = {
  model: "chat",
  max_tokens: 4,
  system: [{ type: "text", text: "be brief" }],
  messages: [
    { role: "user", content: "hello" },
    { role: "assistant", content: [{ type: "tool_use", id: "t1", name: "f", input: { q: "x" } }] },
    { role: "user", content: [{ type: "tool_result", tool_use_id: "t1", content: [{ type: "text", text: "ok" }] }, { type: "text", text: "and?" }] },
  ],
  tools: [{ name: "f", description: "d", input_schema: { type: "object" } }],
  tool_choice: { type: "auto" },
  stream: false,
  temperature: 0.5,
};
const ROUTES = [
  { name: "responses", path: "/v1/responses", base: RESPONSES as Record<string, unknown>, dialect: "openai" },
  { name: "messages", path: "/v1/messages", base: MESSAGES as Record<string, unknown>, dialect: "anthropic" },
] as const;

const post = (body: string | Uint8Array, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...auth, ...headers },
  body,
});

/** The dialect's `error` member, exactly: OpenAI's four members, or Anthropic's two. */
function checkDialect(o: { label: string; problem: Record<string, unknown> | null }, dialect: "openai" | "anthropic"): void {
  if (!o.problem) return;
  const keys = Object.keys((o.problem.error ?? {}) as object).sort();
  const want = dialect === "openai" ? ["code", "message", "param", "type"] : ["message", "type"];
  if (JSON.stringify(keys) !== JSON.stringify(want)) judge.flag(o.label, `error member has ${keys.join(",")}, not ${want.join(",")}`);
}

describe("fuzz: Responses and Messages requests", () => {
  it("refuses bodies that are not one JSON object: 400, 413 or 415 problems in the route's dialect", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    const expected = new Map<string, { statuses: number[]; dialect: "openai" | "anthropic" }>();
    for (const route of ROUTES) {
      const add = (label: string, init: RequestInit, statuses: number[]) => {
        requests.push({ label: `${route.name} ${label}`, path: `/t/${w.id}${route.path}`, init });
        expected.set(`${route.name} ${label}`, { statuses, dialect: route.dialect });
      };
      for (const [i, text] of NOT_OBJECTS.entries()) add(`not an object #${i}`, post(text), [400]);
      for (const [i, bytes] of INVALID_UTF8.entries()) add(`invalid utf-8 #${i}`, post(bytesBetween('{"model":"chat","max_tokens":4,"input":"', bytes, '","messages":[{"role":"user","content":"a"}]}')), [400]);
      add("no body", { method: "POST", headers: { "content-type": "application/json", ...auth } }, [400]);
      for (const type of ["", "text/plain", "multipart/form-data; boundary=x", "application/jsonx"]) add(`content-type ${JSON.stringify(type)}`, post(JSON.stringify(route.base), { "content-type": type }), [415]);
      add("declared 10^20 bytes", post(JSON.stringify(route.base), { "content-length": "99999999999999999999" }), [413]);
      add("1 MiB + 1", post(JSON.stringify({ ...route.base, pad: "x".repeat(1024 * 1024) })), [413]);
      for (const depth of [1000, 20_000]) add(`model nested ${depth} arrays deep`, post(`{"model":${nestedArray(depth)},"max_tokens":4,"input":"a","messages":[]}`), [400]);
      // The Anthropic SDK's own headers, instead of a Bearer credential.
      add("x-api-key, no body", { method: "POST", headers: { "content-type": "application/json", "x-api-key": w.key, "anthropic-version": "2023-06-01" } }, [400]);
    }
    const outcomes = await judge.sendAll(requests, 4);
    for (const o of outcomes) {
      if (!o) continue;
      const want = expected.get(o.label)!;
      if (!want.statuses.includes(o.status)) judge.flag(o.label, `expected ${want.statuses.join("/")}, got ${o.status} ${o.text.slice(0, 100)}`);
      checkDialect(o, want.dialect);
    }
    judge.assertClean();
  });

  it("changed no stored state while refusing", { timeout: 120_000 }, async () => {
    expectUnchanged(await tenantState(w.id), before);
  });

  it("survives a wrong type at every known field, prototype keys, deep nesting and extreme numbers", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    const dialects = new Map<string, "openai" | "anthropic">();
    for (const route of ROUTES) {
      const add = (label: string, body: string) => {
        requests.push({ label: `${route.name} ${label}`, path: `/t/${w.id}${route.path}`, init: post(body) });
        dialects.set(`${route.name} ${label}`, route.dialect);
      };
      for (const [p, path] of allPaths(route.base).entries()) {
        const values = [REMOVE, ...sample(WRONG_VALUES, 6, 300 + p)];
        for (const [v, value] of values.entries()) add(`${pathName(path)} ← value #${v}`, JSON.stringify(withValue(route.base, path, value)));
      }
      for (const key of PROTO_KEYS) {
        add(`root ${key}`, `{"${key}":{"stream":true,"max_tokens":"many","model":"emb"},` + JSON.stringify(route.base).slice(1));
        add(`item ${key}`, JSON.stringify(route.base).replace('"role":"user"', `"${key}":{"role":1},"role":"user"`));
      }
      for (const n of RAW_NUMBERS) {
        for (const field of ["max_tokens", "max_output_tokens", "top_logprobs", "temperature"]) add(`${field}=${n}`, `${JSON.stringify(route.base).slice(0, -1)},"${field}":${n}}`);
      }
      for (const depth of [100, 1000, 5000]) {
        add(`tool definition ${depth} objects deep`, JSON.stringify(route.base).replace('"description":"d"', `"description":"d","deep":${nestedObject(depth)}`));
        add(`input content ${depth} arrays deep`, JSON.stringify(route.base).replace('"text":"hello"', `"text":"hello","deep":${nestedArray(depth)}`).replace('"content":"hello"', `"content":"hello","deep":${nestedArray(depth)}`));
        add(`unknown member ${depth} objects deep`, `{"extra":${nestedObject(depth)},${JSON.stringify(route.base).slice(1)}`);
      }
      add("10 000 input items", JSON.stringify({ ...route.base, input: Array.from({ length: 10_000 }, () => ({ role: "user", content: "x" })), messages: Array.from({ length: 10_000 }, () => ({ role: "user", content: "x" })) }));
      add("10 000 blocks in one message", JSON.stringify({ ...route.base, messages: [{ role: "user", content: Array.from({ length: 10_000 }, () => ({ type: "text", text: "x" })) }], input: [{ role: "user", content: Array.from({ length: 10_000 }, () => ({ type: "input_text", text: "x" })) }] }));
      add("64 KiB role", JSON.stringify({ ...route.base, input: [{ role: "r".repeat(65536), content: "x" }], messages: [{ role: "r".repeat(65536), content: "x" }] }));
    }
    const outcomes = await judge.sendAll(requests, 4);
    const byLabel = new Map(outcomes.filter((o) => o !== null).map((o) => [o.label, o]));
    for (const o of byLabel.values()) checkDialect(o, dialects.get(o.label)!);
    // The schema is enforced at all: removing a required member (value #0) is a 400 naming it.
    for (const [label, param] of [["responses model ← value #0", "model"], ["messages model ← value #0", null], ["messages max_tokens ← value #0", null], ["messages messages ← value #0", null]] as const) {
      const o = byLabel.get(label);
      expect(o?.status, label).toBe(400);
      if (param) expect((o!.problem!.error as { param: string }).param).toBe(param);
    }
    judge.assertClean();
  });

  it("passes naughty texts in every text field to the origin", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    const send = (label: string, path: string, body: Record<string, unknown>, headers: Record<string, string> = {}) =>
      requests.push({ label, path: `/t/${w.id}${path}`, init: post(JSON.stringify(body), headers) });
    for (const [i, s] of sample(NAUGHTY, 80, 23).entries()) {
      send(`responses input #${i}`, "/v1/responses", { model: "chat", max_output_tokens: 4, input: s });
      if (i % 3 === 0) send(`responses instructions #${i}`, "/v1/responses", { model: "chat", max_output_tokens: 4, instructions: s, input: "hi" });
      if (i % 3 === 1) send(`responses tool output #${i}`, "/v1/responses", { model: "chat", max_output_tokens: 4, input: [{ type: "function_call_output", call_id: s, output: s }, { role: "user", content: [{ type: "input_text", text: s }, { type: s }] }] });
      if (i % 4 === 0) send(`responses stream #${i}`, "/v1/responses", { model: "chat", max_output_tokens: 4, stream: true, input: s });
      send(`messages text #${i}`, "/v1/messages", { model: "chat", max_tokens: 4, messages: [{ role: "user", content: s }] }, { "x-api-key": w.key });
      if (i % 3 === 0) send(`messages system #${i}`, "/v1/messages", { model: "chat", max_tokens: 4, system: s, messages: [{ role: "user", content: "hi" }] });
      if (i % 3 === 2) send(`messages tool result #${i}`, "/v1/messages", { model: "chat", max_tokens: 4, messages: [{ role: "user", content: [{ type: "tool_result", tool_use_id: s, content: s }, { type: s, text: s }] }] });
      if (i % 4 === 1) send(`messages stream #${i}`, "/v1/messages", { model: "chat", max_tokens: 4, stream: true, messages: [{ role: "user", content: s }] });
    }
    const outcomes = await judge.sendAll(requests, 4);
    for (const o of outcomes) {
      if (o?.problem) judge.flag(o.label, `Warden refused a text: ${o.status} ${o.text.slice(0, 160)}`);
    }
    expect(outcomes.filter((o) => o && o.status === 200).length).toBeGreaterThan(requests.length / 2);
    judge.assertClean();
  });
});

/** What the scripted origin streams after its well-formed events: unknown, unreadable and mistyped ones. */
const ODD_RESPONSES_EVENTS = [
  { type: "response.brand_new_event", anything: [1, { x: null }] },
  { type: "response.output_text.delta", output_index: "zero", content_index: null, delta: 5, logprobs: "many" },
  { type: "response.output_text.delta", output_index: 0, content_index: 0, delta: "late", logprobs: [{ token: 5, logprob: "a", top_logprobs: "b" }, null, 7] },
  { type: "response.output_text.done", output_index: 0, content_index: 0, text: 7, logprobs: { not: "a list" } },
  { type: "response.content_part.done", output_index: 0, content_index: 0, part: { type: "output_text", text: null, logprobs: [1, [2], { top_logprobs: [{ logprob: "x" }] }] } },
  { type: "response.content_part.done", part: "text" },
  { type: "response.output_item.done", output_index: {}, item: { content: "not a list" } },
  { type: "response.output_item.done", output_index: 0, item: { type: "message", content: [{ type: "output_text" }, null, "x"] } },
  { type: "response.completed", response: { usage: "lots", output: "none" } },
  { type: "response.completed", response: { usage: { input_tokens: "5", output_tokens: -3, total_tokens: 1e308 }, output: [null, { content: [{ type: "output_text", text: 1 }] }] } },
  { type: "response.failed", response: null },
  { type: 42 },
  { no_type: true },
];
const ODD_MESSAGES_EVENTS = [
  { type: "ping" },
  { type: "brand_new_event", index: 3 },
  { type: "message_start", message: { usage: { input_tokens: "5", output_tokens: null } } },
  { type: "message_start", message: "none" },
  { type: "message_delta", usage: { output_tokens: -1, input_tokens: 1e308 } },
  { type: "message_delta", usage: "lots" },
  { type: "content_block_delta", index: "x", delta: { type: "text_delta", text: 5 } },
  { type: "content_block_delta", index: 0, delta: null },
  { type: "content_block_delta", index: 99, delta: { type: "text_delta", text: "late" } },
  { type: "content_block_delta", index: 0, delta: { type: "input_json_delta", partial_json: { not: "a string" } } },
  { type: "content_block_stop", index: {} },
  { type: "error", error: { type: "overloaded_error", message: "from the origin" } },
];
const UNREADABLE = ["not json", "[1,2", "null", "[]", '"a string"', "{}", "\u0000"];

describe("fuzz: what the origin streams on Responses and Messages", () => {
  it("passes unknown, unreadable and mistyped events through without breaking the stream, the receipt or the settlement", { timeout: 120_000 }, async () => {
    const protection = { text_watermark: true, receipts: true, probabilities: { mode: "laplace", epsilon: 20 }, logprobs: { max_top_logprobs: 2 } };
    const { id } = await createTenant({ models: [chatModel("s", "/scripted", { protection })], policy: { extraction: { mode: "off" } } });
    const { key } = await issueKey(id);
    const requests: FuzzRequest[] = [];
    const cases = [
      ...[...ODD_RESPONSES_EVENTS.map((e) => JSON.stringify(e)), ...UNREADABLE].map((raw) => ({ path: "/v1/responses", raw, body: { model: "s", input: "hi", max_output_tokens: 50 } })),
      ...[...ODD_MESSAGES_EVENTS.map((e) => JSON.stringify(e)), ...UNREADABLE].map((raw) => ({ path: "/v1/messages", raw, body: { model: "s", max_tokens: 50, messages: [{ role: "user", content: "hi" }] } })),
    ];
    for (const [i, c] of cases.entries()) {
      for (const write_bytes of [0, 7]) {
        const body = { ...c.body, stream: true, x_test_answer: { pieces: ["Hel", "lo ", "there"], raw: [c.raw], write_bytes } };
        requests.push({ label: `${c.path} odd event #${i} (${c.raw.slice(0, 40)}) in writes of ${write_bytes || "all"}`, path: `/t/${id}${c.path}`, init: { method: "POST", headers: { "content-type": "application/json", authorization: `Bearer ${key}` }, body: JSON.stringify(body) } });
      }
    }
    judge.credential("scripted tenant key", key);
    const outcomes = await judge.sendAll(requests, 4);
    for (const o of outcomes) {
      if (!o) continue;
      if (o.status !== 200) judge.flag(o.label, `${o.status} ${o.text.slice(0, 120)}`);
      // The stream ran to its end: the receipt comes after the last event.
      if (!/: warden-receipt [\w-]+\.[\w-]+\.[\w-]+\n\n$/.test(o.text)) judge.flag(o.label, `the stream did not end with its receipt: …${o.text.slice(-160)}`);
      const raw = cases[Math.floor(requests.findIndex((r) => r.label === o.label) / 2)]!.raw;
      // Events Warden has no business with pass byte for byte.
      if (/brand_new_event|"ping"|"no_type"|"type":42|"error"/.test(raw) && !o.text.includes(`data: ${raw}\n`)) judge.flag(o.label, "an unknown event did not pass as it was");
      if (UNREADABLE.includes(raw) && !o.text.includes(`data: ${raw}\n`)) judge.flag(o.label, "an unreadable event did not pass as it was");
    }
    judge.assertClean();
    // Settlement stayed a finite count, within what was reserved (50 output tokens + the prompt bound per request).
    const usage = (await (await admin(`/tenants/${id}/usage`)).json()) as { windows: { day: { tokens: number } } };
    expect(Number.isFinite(usage.windows.day.tokens)).toBe(true);
    expect(usage.windows.day.tokens).toBeGreaterThan(0);
    expect(usage.windows.day.tokens).toBeLessThan(requests.length * 2000);
  });
});
