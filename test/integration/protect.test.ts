import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from "jose";
import { admin, bearer, call, chatModel, createTenant, eventually, issueKey, json } from "../helpers/warden";
import { decodeBase64Embedding } from "../../worker/protect/embedding-watermark";
import { sha256Base64url } from "../../worker/protect/receipts";

const DIGITS_INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
const digits = (protection: Record<string, unknown>, name = "digits") => ({
  name, protocol: "oip", origins: [{ url: env.ORIGIN_URL }], inputs: [DIGITS_INPUT], outputs: [{ name: "probabilities", kind: "probabilities" }], protection,
});
async function setup(models: unknown[], policy?: Record<string, unknown>) {
  const { id } = await createTenant({ models, ...(policy ? { policy } : {}) });
  const key = await issueKey(id);
  return { id, auth: bearer(key.key), keyId: key.id };
}
const infer = (id: string, auth: Record<string, string>, rows: number[][], model = "digits") =>
  call(`/t/${id}/v2/models/${model}/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] }, auth));
/** A distinct pseudo-random 8x8 image per seed (xorshift), values 0..16. */
const randomRow = (seed: number) => {
  let x = (seed * 2654435761) >>> 0 || 1;
  return Array.from({ length: 64 }, () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x % 17;
  });
};
async function keySet(): Promise<JSONWebKeySet> {
  return (await (await call("/.well-known/jwks.json")).json()) as JSONWebKeySet;
}

describe("response protection (CONTRACT §6)", () => {
  it("signs a receipt over the exact body, verifiable with /.well-known/jwks.json", async () => {
    const t = await setup([chatModel("chat", "", { protection: { receipts: true } })]);
    const res = await call(`/t/${t.id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 4 }, t.auth));
    expect(res.status).toBe(200);
    const body = new Uint8Array(await res.arrayBuffer());
    const jws = res.headers.get("x-warden-receipt")!;
    expect(["EdDSA", "ES256"]).toContain(decodeProtectedHeader(jws).alg);
    const { payload } = await compactVerify(jws, createLocalJWKSet(await keySet()));
    const claims = JSON.parse(new TextDecoder().decode(payload));
    expect(claims).toMatchObject({ iss: "warden", tenant: t.id, principal: `key:${t.keyId}`, model: "chat", request_id: res.headers.get("x-request-id") });
    expect(typeof claims.iat).toBe("number");
    expect(claims.body_sha256).toBe(await sha256Base64url(body));
  });

  it("ends a stream with a receipt comment covering every byte before it", async () => {
    const t = await setup([chatModel("chat", "", { protection: { receipts: true } })]);
    const res = await call(`/t/${t.id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 6, stream: true }, t.auth));
    const raw = new Uint8Array(await res.arrayBuffer());
    const text = new TextDecoder().decode(raw);
    const marker = text.lastIndexOf(": warden-receipt ");
    expect(marker).toBeGreaterThan(text.indexOf("data: [DONE]"));
    const jws = text.slice(marker + ": warden-receipt ".length).trim();
    const { payload } = await compactVerify(jws, createLocalJWKSet(await keySet()));
    const before = new TextEncoder().encode(text.slice(0, marker));
    expect(JSON.parse(new TextDecoder().decode(payload)).body_sha256).toBe(await sha256Base64url(before));
  });

  it("rounds OIP probabilities and keeps the top class", async () => {
    const t = await setup([digits({ probabilities: { mode: "round", decimals: 2 } })]);
    const u = await setup([digits({})]);
    const rows = [randomRow(1), randomRow(2), randomRow(3)];
    const prot = (await (await infer(t.id, t.auth, rows)).json()) as { outputs: Array<{ data: number[] }> };
    const plain = (await (await infer(u.id, u.auth, rows)).json()) as { outputs: Array<{ data: number[] }> };
    const p = prot.outputs[0]!.data;
    const q = plain.outputs[0]!.data;
    expect(p).toHaveLength(30);
    for (const v of p) expect(Math.abs(v * 100 - Math.round(v * 100))).toBeLessThan(1e-6);
    for (let r = 0; r < 3; r++) {
      const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));
      expect(argmax(p.slice(r * 10, r * 10 + 10))).toBe(argmax(q.slice(r * 10, r * 10 + 10)));
    }
    expect(p).not.toEqual(q);
  });

  it("label-watermarks a keyed share of inputs, answers the same every time, records it, and attributes a copy", async () => {
    // 200 uniform random rows are what a synthetic-query thief sends: with extraction on, the
    // second request would get a degraded answer (tested in extraction/no-reference.test.ts).
    // This test is about the label watermark alone.
    const t = await setup([digits({ label_watermark: { rate: 0.2 } })], { extraction: { mode: "off" } });
    const rows = Array.from({ length: 200 }, (_, i) => randomRow(i + 10));
    const first = (await (await infer(t.id, t.auth, rows)).json()) as { outputs: Array<{ data: number[] }> };
    const second = (await (await infer(t.id, t.auth, rows)).json()) as { outputs: Array<{ data: number[] }> };
    expect(second.outputs[0]!.data).toEqual(first.outputs[0]!.data);
    // Records are written after the answer (waitUntil). Binomial(200, 0.2): 40 expected; these
    // bounds are 5 standard deviations out.
    const records = await eventually(async () => {
      const r = (await (await admin(`/tenants/${t.id}/watermark/records?model=digits`)).json()) as { items: Array<{ principal: string; input: number[]; label: number }> };
      expect(r.items.length).toBeGreaterThan(12);
      return r;
    });
    expect(records.items.length).toBeLessThan(68);
    expect(records.items[0]!.principal).toBe(`key:${t.keyId}`);
    const argmax = (xs: number[]) => xs.indexOf(Math.max(...xs));
    const answers = rows.map((row, i) => ({ input: row, label: argmax(first.outputs[0]!.data.slice(i * 10, i * 10 + 10)) }));
    for (const r of records.items) expect(answers.find((a) => JSON.stringify(a.input) === JSON.stringify(r.input))!.label).toBe(r.label);
    const verdict = (await (await admin(`/tenants/${t.id}/watermark/verify`, "POST", { model: "digits", kind: "labels", answers, classes: 10 })).json()) as { attributed: boolean; principal: string; p_value: number };
    expect(verdict, JSON.stringify(verdict)).toMatchObject({ attributed: true });
    expect(verdict.principal).toBe(`key:${t.keyId}`);
    // An independent model: the true labels of the same inputs, as the unwatermarked model gives them.
    const clean = await setup([digits({}, "digits")]);
    const honest = (await (await infer(clean.id, clean.auth, rows)).json()) as { outputs: Array<{ data: number[] }> };
    const honestAnswers = rows.map((row, i) => ({ input: row, label: argmax(honest.outputs[0]!.data.slice(i * 10, i * 10 + 10)) }));
    const none = (await (await admin(`/tenants/${t.id}/watermark/verify`, "POST", { model: "digits", kind: "labels", answers: honestAnswers, classes: 10 })).json()) as { attributed: boolean };
    expect(none.attributed).toBe(false);
  });

  it("watermarks generated text invisibly and attributes it to the principal and day", async () => {
    const t = await setup([chatModel("chat", "", { protection: { text_watermark: true } })]);
    const dayBefore = new Date().toISOString().slice(0, 10);
    const res = await call(`/t/${t.id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 60, seed: 3 }, t.auth));
    const content = ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content;
    expect(content).toMatch(/[\uFE00-\uFE0F\u{E0100}-\u{E01EF}]/u);
    const verdict = (await (await admin(`/tenants/${t.id}/watermark/verify`, "POST", { kind: "text", text: content })).json()) as { attributed: boolean; principal: string; day: string };
    expect(verdict).toMatchObject({ attributed: true, principal: `key:${t.keyId}` });
    // The UTC day the answer was made: today, or yesterday if midnight passed during the test.
    expect([dayBefore, new Date().toISOString().slice(0, 10)]).toContain(verdict.day);
    const plain = (await (await admin(`/tenants/${t.id}/watermark/verify`, "POST", { kind: "text", text: "An ordinary sentence that nobody marked at all." })).json()) as { attributed: boolean };
    expect(plain.attributed).toBe(false);
  });

  it("watermarks streamed text too", async () => {
    const t = await setup([chatModel("chat", "", { protection: { text_watermark: true } })]);
    // Seeded: unseeded, the demo model ends about 0.4% of 60-token answers (5,000 seeds measured) before any plain word
    // is followed by white space (no block, so "attributed: false" now and then), and 11% before
    // the 8 words a block needs since marks are bound to their words.
    const res = await call(`/t/${t.id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "tell me about the harbour" }], max_tokens: 120, seed: 11, stream: true }, t.auth));
    const text = await res.text();
    const content = text.split("\n").filter((l) => l.startsWith("data: {")).map((l) => JSON.parse(l.slice(6)).choices[0]?.delta?.content ?? "").join("");
    expect(content.split(/\s+/).length, content).toBeGreaterThan(20);
    const verdict = (await (await admin(`/tenants/${t.id}/watermark/verify`, "POST", { kind: "text", text: content })).json()) as { attributed: boolean; principal: string };
    expect(verdict).toMatchObject({ attributed: true, principal: `key:${t.keyId}` });
  });

  it("adds noise and a keyed direction to embeddings, in float and base64, and attributes them", async () => {
    const t = await setup([chatModel("emb", "", { protection: { embeddings: { noise_ratio: 0.01, watermark: true } } }), chatModel("plain")]);
    const inputs = Array.from({ length: 50 }, (_, i) => `sentence number ${i} about ${["ships", "trees", "rain", "music"][i % 4]}`);
    const get = async (model: string, encoding_format?: string) =>
      ((await (await call(`/t/${t.id}/v1/embeddings`, json({ model, input: inputs, ...(encoding_format ? { encoding_format } : {}) }, t.auth))).json()) as { data: Array<{ embedding: number[] | string }> }).data.map((d) => d.embedding);
    const marked = await get("emb");
    const marked64 = (await get("emb", "base64")).map((e) => Array.from(decodeBase64Embedding(e as string)));
    const clean = (await get("plain")) as number[][];
    const cos = (a: number[], b: number[]) => a.reduce((s, x, i) => s + x * b[i]!, 0) / Math.hypot(...a) / Math.hypot(...b);
    for (let i = 0; i < inputs.length; i++) {
      expect(cos(marked[i] as number[], clean[i]!)).toBeGreaterThan(0.9);
      expect(cos(marked64[i]!, clean[i]!)).toBeGreaterThan(0.9);
      expect(marked[i]).not.toEqual(clean[i]);
    }
    const items = inputs.map((input, i) => ({ input, embedding: marked[i] }));
    const verdict = (await (await admin(`/tenants/${t.id}/watermark/verify`, "POST", { model: "emb", kind: "embeddings", items })).json()) as { attributed: boolean; principal: string; p_value: number };
    expect(verdict).toMatchObject({ attributed: true, principal: `key:${t.keyId}` });
    const other = (await (await admin(`/tenants/${t.id}/watermark/verify`, "POST", { model: "emb", kind: "embeddings", items: inputs.map((input, i) => ({ input, embedding: clean[i] })) })).json()) as { attributed: boolean };
    expect(other.attributed).toBe(false);
  });

  it("caps top_logprobs at the origin and in the answer", async () => {
    const t = await setup([chatModel("chat"), chatModel("echo", "", { origins: [{ url: `${env.ORIGIN_URL}/echo` }] })]);
    const echoed = (await (await call(`/t/${t.id}/v1/chat/completions`, json({ model: "echo", messages: [{ role: "user", content: "x" }], logprobs: true, top_logprobs: 15 }, t.auth))).json()) as { body: string };
    expect(JSON.parse(echoed.body).top_logprobs).toBe(5);
    const res = (await (await call(`/t/${t.id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "x" }], max_tokens: 5, logprobs: true, top_logprobs: 15 }, t.auth))).json()) as { choices: Array<{ logprobs: { content: Array<{ top_logprobs: unknown[] }> } }> };
    for (const pos of res.choices[0]!.logprobs.content) expect(pos.top_logprobs.length).toBeLessThanOrEqual(5);
  });
});
