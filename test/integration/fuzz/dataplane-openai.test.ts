import { describe, expect, it } from "vitest";
import { FuzzJudge, type FuzzRequest } from "../../helpers/fuzz-check";
import {
  INVALID_UTF8, NAUGHTY, NOT_OBJECTS, PROTO_KEYS, RAW_NUMBERS, REMOVE, WRONG_VALUES,
  allPaths, bytesBetween, nestedArray, nestedObject, pathName, sample, withValue,
} from "../../helpers/fuzz-corpus";
import { fuzzSuite, type FuzzWorld } from "../../helpers/fuzz-setup";
import { expectUnchanged, tenantState, type TenantState } from "../../helpers/fuzz-state";
import type { EchoBody } from "../../helpers/origin-server";

/**
 * CONTRACT §5 and §8 on the OpenAI routes: naughty model names are unknown models (404), naughty
 * texts reach the origin untouched, a wrong type at any known field is a 400 problem (unknown
 * fields pass), and no body, media type or length makes Warden answer 500.
 */
const judge = new FuzzJudge();
let w: FuzzWorld;
let before: TenantState;
let auth: Record<string, string>;

fuzzSuite("openai", judge, (world, snapshot) => {
  w = world;
  before = snapshot;
  auth = { authorization: `Bearer ${world.key}` };
});

const CHAT = {
  model: "chat",
  messages: [
    { role: "system", content: "be brief", name: "sys" },
    { role: "user", content: [{ type: "text", text: "hello" }] },
    { role: "assistant", content: null, tool_calls: [{ id: "c1", type: "function", function: { name: "f", arguments: "{}" } }] },
    { role: "tool", content: "ok", tool_call_id: "c1" },
    { role: "user", content: "and now?" },
  ],
  max_tokens: 4,
  max_completion_tokens: 4,
  n: 1,
  stream: false,
  stream_options: { include_usage: false },
  logprobs: false,
  top_logprobs: 0,
  temperature: 0.5,
};
const COMPLETION = { model: "chat", prompt: ["hello", "there"], max_tokens: 4, n: 1, logprobs: 0, stream: false };
const EMBEDDING = { model: "emb", input: ["hello", "there"], encoding_format: "float" };
const OPENAI = [
  { name: "chat", path: "/v1/chat/completions", base: CHAT as Record<string, unknown> },
  { name: "completions", path: "/v1/completions", base: COMPLETION as Record<string, unknown> },
  { name: "embeddings", path: "/v1/embeddings", base: EMBEDDING as Record<string, unknown> },
];

const post = (body: string | Uint8Array, headers: Record<string, string> = {}): RequestInit => ({
  method: "POST",
  headers: { "content-type": "application/json", ...auth, ...headers },
  body,
});

describe("fuzz: OpenAI routes", () => {
  it("answers naughty model names as unknown models", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    for (const route of OPENAI) {
      for (const [i, s] of sample(NAUGHTY, 110, 21).entries()) {
        requests.push({ label: `${route.name} model #${i}`, path: `/t/${w.id}${route.path}`, init: post(JSON.stringify({ ...route.base, model: s })) });
      }
      for (const s of ["chat ", " chat", "CHAT", "chat\u0000", "chat\u200b", "ｃｈａｔ", "chat/../chat", "../chat", "*", "emb".repeat(100)]) {
        requests.push({ label: `${route.name} model ${JSON.stringify(s).slice(0, 30)}`, path: `/t/${w.id}${route.path}`, init: post(JSON.stringify({ ...route.base, model: s })) });
      }
    }
    const outcomes = await judge.sendAll(requests);
    for (const o of outcomes) {
      if (!o) continue;
      const code = o.problem?.code;
      if (!(o.status === 404 && code === "not_found") && !(o.status === 400 && code === "invalid_request")) {
        judge.flag(o.label, `expected 404 not_found (or 400 for an empty/overlong name), got ${o.status} ${String(code)}`);
      }
    }
    judge.assertClean();
  });

  it("refuses bodies that are not one JSON object: 400, 413 or 415 problems", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    const expect = new Map<string, number[]>();
    const add = (label: string, path: string, init: RequestInit, statuses: number[]) => {
      requests.push({ label, path: `/t/${w.id}${path}`, init });
      expect.set(label, statuses);
    };
    for (const route of OPENAI) {
      for (const [i, text] of NOT_OBJECTS.entries()) add(`${route.name} not an object #${i}`, route.path, post(text), [400]);
      for (const [i, bytes] of INVALID_UTF8.entries()) {
        add(`${route.name} invalid utf-8 #${i}`, route.path, post(bytesBetween('{"model":"chat","messages":[{"role":"user","content":"', bytes, '"}],"prompt":"a","input":"a"}')), [400]);
      }
      add(`${route.name} utf-16 body`, route.path, post(new Uint8Array([0xff, 0xfe, 0x7b, 0x00, 0x7d, 0x00])), [400]);
      add(`${route.name} no body`, route.path, { method: "POST", headers: { "content-type": "application/json", ...auth } }, [400]);
      for (const type of ["", "text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/jsonx", "json", "*/*", "text/json", "application/json-seq"]) {
        add(`${route.name} content-type ${JSON.stringify(type)}`, route.path, post(JSON.stringify(route.base), { "content-type": type }), [415]);
      }
      add(`${route.name} no content-type`, route.path, { method: "POST", headers: auth, body: JSON.stringify(route.base) }, [415]);
      add(`${route.name} declared 10^20 bytes`, route.path, post(JSON.stringify(route.base), { "content-length": "99999999999999999999" }), [413]);
      add(`${route.name} 1 MiB + 1`, route.path, post(JSON.stringify({ ...route.base, pad: "x".repeat(1024 * 1024) })), [413]);
      const chunks = new ReadableStream<Uint8Array>({
        start(c) {
          for (let i = 0; i < 40; i++) c.enqueue(new TextEncoder().encode("x".repeat(64 * 1024)));
          c.close();
        },
      });
      add(`${route.name} 2.5 MiB stream without length`, route.path, { method: "POST", headers: { "content-type": "application/json", ...auth }, body: chunks, duplex: "half" } as RequestInit, [413]);
      for (const depth of [1000, 20_000]) {
        add(`${route.name} model nested ${depth} arrays deep`, route.path, post(`{"model":${nestedArray(depth)},"messages":[],"prompt":"a","input":"a"}`), [400]);
      }
    }
    const outcomes = await judge.sendAll(requests, 4);
    for (const o of outcomes) {
      if (o && !expect.get(o.label)!.includes(o.status)) judge.flag(o.label, `expected ${expect.get(o.label)!.join("/")}, got ${o.status} ${o.text.slice(0, 100)}`);
    }
    judge.assertClean();
  });

  it("changed no stored state while refusing", { timeout: 120_000 }, async () => {
    expectUnchanged(await tenantState(w.id), before);
  });

  it("passes naughty texts in every text field to the origin", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    const chat = (label: string, body: Record<string, unknown>) => requests.push({ label, path: `/t/${w.id}/v1/chat/completions`, init: post(JSON.stringify({ max_tokens: 4, ...body })) });
    const strings = sample(NAUGHTY, 150, 22);
    for (const [i, s] of strings.entries()) {
      chat(`user content #${i}`, { model: "chat", messages: [{ role: "user", content: s }] });
      if (i % 3 === 0) chat(`system content #${i}`, { model: "chat", messages: [{ role: "system", content: s }, { role: "user", content: "hi" }] });
      if (i % 3 === 1) chat(`content part #${i}`, { model: "chat", messages: [{ role: "user", content: [{ type: "text", text: s }, { type: s }] }] });
      if (i % 3 === 2) chat(`tool call arguments #${i}`, { model: "chat", messages: [{ role: "assistant", content: null, tool_calls: [{ id: s, type: "function", function: { name: s, arguments: s } }] }, { role: "user", content: "go" }] });
      if (i % 5 === 0) chat(`name and role #${i}`, { model: "chat", messages: [{ role: s || "user", name: s, content: "hi" }] });
      if (i % 6 === 0) chat(`stream #${i}`, { model: "chat", stream: true, messages: [{ role: "user", content: s }] });
      if (i % 2 === 0) requests.push({ label: `prompt #${i}`, path: `/t/${w.id}/v1/completions`, init: post(JSON.stringify({ model: "chat", max_tokens: 4, prompt: i % 4 ? s : [s, s] })) });
      if (i % 2 === 1) requests.push({ label: `embedding input #${i}`, path: `/t/${w.id}/v1/embeddings`, init: post(JSON.stringify({ model: "emb", input: i % 4 === 1 ? s : [s || " ", "x"], encoding_format: i % 3 ? "float" : "base64" })) });
      // Few of these: each connect failure makes workerd print a line.
      if (i % 30 === 0) {
        requests.push({ label: `failing origin #${i}`, path: `/t/${w.id}/v1/chat/completions`, init: post(JSON.stringify({ model: "broken", messages: [{ role: "user", content: s }] })), originFailureOk: true });
        requests.push({ label: `origin down #${i}`, path: `/t/${w.id}/v1/chat/completions`, init: post(JSON.stringify({ model: "down", messages: [{ role: "user", content: s }] })), originFailureOk: true });
      }
      if (i % 7 === 0) chat(`unknown members #${i}`, { model: "chat", messages: [{ role: "user", content: "hi", [s]: s }], [s || "empty"]: { [s]: [s] }, user: s, metadata: { [s]: s } });
    }
    const outcomes = await judge.sendAll(requests, 4);
    for (const o of outcomes) {
      if (!o) continue;
      const failing = o.label.startsWith("failing origin") || o.label.startsWith("origin down");
      if (failing && !((o.status === 502 && o.problem?.code === "origin_error") || (o.status === 503 && o.problem?.code === "no_origin"))) {
        judge.flag(o.label, `expected a 502/503 origin problem, got ${o.status}`);
      }
      // Texts are the model's business: Warden itself refuses only a role it cannot read (empty).
      if (!failing && o.problem && !(o.label.startsWith("name and role") && o.status === 400)) judge.flag(o.label, `Warden refused a text: ${o.status} ${o.text.slice(0, 160)}`);
    }
    expect(outcomes.filter((o) => o && o.status === 200).length).toBeGreaterThan(requests.length / 2);
    judge.assertClean();
  });

  it("survives a wrong type at every known field, prototype keys, and extreme numbers", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [];
    for (const route of OPENAI) {
      for (const [p, path] of allPaths(route.base).entries()) {
        // Every path gets its removal and 9 of the wrong values, a different 9 for neighbouring paths.
        const values = [REMOVE, ...sample(WRONG_VALUES, 9, 100 + p)];
        for (const [v, value] of values.entries()) {
          const body = withValue(route.base, path, value);
          requests.push({ label: `${route.name} ${pathName(path)} ← value #${v}`, path: `/t/${w.id}${route.path}`, init: post(JSON.stringify(body)) });
        }
      }
      for (const key of PROTO_KEYS) {
        const poisoned = `{"${key}":{"stream":true,"max_tokens":"many","model":"emb","messages":"x"},`;
        requests.push({ label: `${route.name} root ${key}`, path: `/t/${w.id}${route.path}`, init: post(poisoned + JSON.stringify(route.base).slice(1)) });
        requests.push({ label: `${route.name} nested ${key}`, path: `/t/${w.id}${route.path}`, init: post(JSON.stringify(route.base).replace('"model"', `"stream_options":{"${key}":{"include_usage":"yes"}},"model"`)) });
      }
      for (const n of RAW_NUMBERS) {
        // Last in the object, so it wins over the base's own member of that name.
        for (const field of ["max_tokens", "n", "temperature", "logprobs", "dimensions"]) {
          requests.push({ label: `${route.name} ${field}=${n}`, path: `/t/${w.id}${route.path}`, init: post(`${JSON.stringify(route.base).slice(0, -1)},"${field}":${n}}`) });
        }
      }
      for (const depth of [100, 1000, 5000]) {
        requests.push({ label: `${route.name} unknown member ${depth} arrays deep`, path: `/t/${w.id}${route.path}`, init: post(`{"extra":${nestedArray(depth)},${JSON.stringify(route.base).slice(1)}`) });
        requests.push({ label: `${route.name} unknown member ${depth} objects deep`, path: `/t/${w.id}${route.path}`, init: post(`{"extra":${nestedObject(depth)},${JSON.stringify(route.base).slice(1)}`) });
      }
    }
    requests.push({ label: "chat logit_bias (refused by default)", path: `/t/${w.id}/v1/chat/completions`, init: post(JSON.stringify({ ...CHAT, logit_bias: { "50256": -100 } })) });
    requests.push({ label: "chat 10 000 messages", path: `/t/${w.id}/v1/chat/completions`, init: post(JSON.stringify({ ...CHAT, messages: Array.from({ length: 10_000 }, () => ({ role: "user", content: "x" })) })) });
    requests.push({ label: "chat 64 KiB role", path: `/t/${w.id}/v1/chat/completions`, init: post(JSON.stringify({ ...CHAT, messages: [{ role: "r".repeat(65536), content: "x" }] })) });
    const outcomes = await judge.sendAll(requests, 4);
    const byLabel = new Map(outcomes.filter((o) => o !== null).map((o) => [o.label, o]));
    // Spot checks that the schema is enforced at all (value #0 is the removal of a required member).
    for (const label of ["chat model ← value #0", "chat messages ← value #0", "completions prompt ← value #0", "embeddings input ← value #0", "chat logit_bias (refused by default)"]) {
      expect(byLabel.get(label)?.status, label).toBe(400);
    }
    judge.assertClean();
  });

  it("forwards exactly the body it checked: the last of duplicate keys wins for Warden and origin alike", { timeout: 120_000 }, async () => {
    const requests: FuzzRequest[] = [
      { label: "duplicate model", path: `/t/${w.id}/v1/chat/completions`, init: post('{"model":"chat","model":"echo","messages":[{"role":"user","content":"a"}],"max_tokens":2}') },
      { label: "duplicate max_tokens", path: `/t/${w.id}/v1/chat/completions`, init: post('{"model":"echo","max_tokens":"many","max_tokens":3,"messages":[{"role":"user","content":"a"}]}') },
      { label: "duplicate messages", path: `/t/${w.id}/v1/chat/completions`, init: post('{"model":"echo","messages":"nope","messages":[{"role":"user","content":"b"}]}') },
    ];
    const outcomes = await judge.sendAll(requests, 1);
    for (const o of outcomes) {
      expect(o?.status, o?.label).toBe(200);
      const echoed = JSON.parse(o!.text) as EchoBody;
      const forwarded = JSON.parse(echoed.body) as Record<string, unknown>;
      expect(forwarded.model).toBe("echo");
      expect(echoed.body.match(/"model":/g)?.length).toBe(1);
      expect(echoed.body.match(/"max_tokens":/g)?.length ?? 0).toBeLessThanOrEqual(1);
      expect(echoed.body.match(/"messages":/g)?.length).toBe(1);
    }
    judge.assertClean();
  });
});
