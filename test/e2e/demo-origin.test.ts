/// <reference types="node" />
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import OpenAI from "openai";
import { startDemoOrigin, type RunningOrigin } from "../../scripts/demo-origin/server.mjs";
import { demoLanguageModel, tokenize } from "../../scripts/demo-origin/language-model.mjs";
import { embed, toBase64, fromBase64, cosine } from "../../scripts/demo-origin/embedding.mjs";
import { generateDigits } from "../../scripts/demo-origin/digits.mjs";
import { accuracy } from "../../scripts/demo-origin/classifier.mjs";
import { digitsModel } from "../../scripts/demo-origin/oip-routes.mjs";

describe("demo language model", () => {
  const lm = demoLanguageModel();

  it("is a probability distribution in every context, including unseen ones", () => {
    for (const prompt of ["", "The river", "zebra quantum", "the keeper of the"]) {
      const [u, v] = lm.contextOf(tokenize(prompt));
      const sum = lm.distribution(u, v).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 9);
    }
  });

  it("repeats itself for a seed, honours max_tokens, and reports the logprobs it sampled from", () => {
    const args = { promptTokens: tokenize("The baker"), maxTokens: 12, seed: 42, topLogprobs: 3 };
    const a = lm.generate(args);
    expect(lm.generate(args)).toEqual(a);
    expect(a.tokens.length).toBeLessThanOrEqual(12);
    expect(a.tokens.map((t) => t.token).join("")).toBe(a.text);
    const [u, v] = lm.contextOf(tokenize("The baker"));
    const first = a.tokens[0]!;
    expect(first.logprob).toBeCloseTo(Math.log(lm.distribution(u, v)[lm.idOf(first.token.trim())]!), 12);
    expect(first.top_logprobs[0]!.logprob).toBeGreaterThanOrEqual(first.top_logprobs[1]!.logprob);
  });

  it("cuts the text before a stop sequence", () => {
    for (let seed = 0; seed < 30; seed++) {
      const r = lm.generate({ maxTokens: 60, seed, stop: ["river", "."] });
      expect(r.text).not.toMatch(/river|\./);
    }
  });
});

describe("demo embedding", () => {
  it("is deterministic, unit length, base64 round-trips, and related texts are closer", () => {
    const a = embed("the river runs past the town");
    expect(embed("the river runs past the town")).toEqual(a);
    expect(Math.hypot(...a)).toBeCloseTo(1, 5);
    expect(fromBase64(toBase64(a))).toEqual(a);
    expect(cosine(a, embed("the river flows past the old town"))).toBeGreaterThan(cosine(a, embed("bread, salt and yeast")) + 0.2);
  });
});

describe("digits classifier", () => {
  it("classifies freshly generated digits it never saw with the committed weights", () => {
    const model = digitsModel();
    const { X, y } = generateDigits({ n: 500, seed: 99 });
    expect(accuracy(model, X, y)).toBeGreaterThan(0.9);
    expect(model.training.heldout_accuracy).toBeGreaterThan(0.9);
  });
});

describe("demo origin over HTTP", () => {
  let origin: RunningOrigin;
  let client: OpenAI;
  beforeAll(async () => {
    origin = await startDemoOrigin();
    client = new OpenAI({ baseURL: `${origin.url}/v1`, apiKey: "unused" });
  });
  afterAll(() => origin.close());

  it("serves chat completions with usage and OpenAI-shaped logprobs", async () => {
    const r = await client.chat.completions.create({ model: "demo-chat", messages: [{ role: "user", content: "Tell me about the sea." }], max_tokens: 10, seed: 1, logprobs: true, top_logprobs: 2 });
    const choice = r.choices[0]!;
    expect(choice.message.content!.length).toBeGreaterThan(0);
    expect(r.usage).toEqual({ prompt_tokens: 6, completion_tokens: choice.logprobs!.content!.length, total_tokens: 6 + choice.logprobs!.content!.length });
    expect(choice.logprobs!.content!.map((t) => t.token).join("")).toBe(choice.message.content);
    expect(choice.logprobs!.content![0]!.top_logprobs).toHaveLength(2);
  });

  it("streams chat chunk by chunk and ends with a usage chunk when asked", async () => {
    const stream = await client.chat.completions.create({ model: "demo-chat", messages: [{ role: "user", content: "hello" }], max_tokens: 5, stream: true, stream_options: { include_usage: true } });
    let text = "";
    let chunks = 0;
    let usage: OpenAI.CompletionUsage | null | undefined;
    for await (const c of stream) {
      chunks += 1;
      text += c.choices[0]?.delta?.content ?? "";
      if (c.usage) usage = c.usage;
    }
    expect(chunks).toBeGreaterThanOrEqual(4);
    expect(usage?.completion_tokens).toBe(tokenize(text).length);
  });

  it("serves embeddings as floats and as the SDK's default base64, identically", async () => {
    const b64 = await client.embeddings.create({ model: "demo-embed", input: ["a", "the river"] });
    const float = await client.embeddings.create({ model: "demo-embed", input: ["a", "the river"], encoding_format: "float" });
    expect(b64.data[1]!.embedding).toHaveLength(128);
    expect(b64.data[1]!.embedding).toEqual(float.data[1]!.embedding);
  });

  it("answers OIP metadata, readiness and inference, and KServe errors", async () => {
    const meta = (await (await fetch(`${origin.url}/v2/models/digits`)).json()) as { inputs: unknown };
    expect(meta.inputs).toEqual([{ name: "input-0", datatype: "FP32", shape: [-1, 64] }]);
    expect((await fetch(`${origin.url}/v2/models/digits/ready`)).status).toBe(200);
    const { X } = generateDigits({ n: 2, seed: 5 });
    const res = await fetch(`${origin.url}/v2/models/digits/infer`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ id: "r1", inputs: [{ name: "input-0", datatype: "FP32", shape: [2, 64], data: X }] }),
    });
    const body = (await res.json()) as { id: string; outputs: { shape: number[]; data: number[] }[] };
    expect(body.id).toBe("r1");
    expect(body.outputs[0]!.shape).toEqual([2, 10]);
    expect(body.outputs[0]!.data.slice(0, 10).reduce((a: number, b: number) => a + b, 0)).toBeCloseTo(1, 5);
    const bad = await fetch(`${origin.url}/v2/models/digits/infer`, { method: "POST", body: JSON.stringify({ inputs: [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: [1] }] }) });
    expect(bad.status).toBe(400);
    expect(typeof ((await bad.json()) as { error: unknown }).error).toBe("string");
    expect((await fetch(`${origin.url}/v2/models/nope`)).status).toBe(404);
  });

  it("answers a bad OpenAI request with OpenAI's error shape", async () => {
    const res = await fetch(`${origin.url}/v1/chat/completions`, { method: "POST", body: JSON.stringify({ model: "m", messages: [] }) });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { param: string } }).error.param).toBe("messages");
  });
});
