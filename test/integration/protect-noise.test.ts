import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { bearer, call, chatModel, createTenant, issueKey, json } from "../helpers/warden";

/**
 * Issue 8 item 5: noise is a keyed function of (principal, model, input), so it cannot be averaged
 * away by asking again or by sending copies of one row in a batch.
 */
const DIGITS_INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
const digits = { name: "digits", protocol: "oip", origins: [{ url: env.ORIGIN_URL }], inputs: [DIGITS_INPUT], outputs: [{ name: "probabilities", kind: "probabilities" }], protection: { probabilities: { mode: "laplace", epsilon: 20 } } };
const row = Array.from({ length: 64 }, (_, i) => (i * 7) % 17);
const other = Array.from({ length: 64 }, (_, i) => (i * 5 + 3) % 17);

type Infer = { outputs: Array<{ data: number[] }> };
async function infer(id: string, auth: Record<string, string>, rows: number[][]): Promise<number[][]> {
  const res = await call(`/t/${id}/v2/models/digits/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] }, auth));
  expect(res.status).toBe(200);
  const data = ((await res.json()) as Infer).outputs[0]!.data;
  return rows.map((_, i) => data.slice(i * 10, i * 10 + 10));
}

describe("keyed, repeatable output noise", () => {
  it("gives 64 copies of a row in one OIP batch the same answer, again in the next request, and another principal other noise", async () => {
    const { id } = await createTenant({ models: [digits] });
    const alice = bearer((await issueKey(id)).key);
    const bob = bearer((await issueKey(id, { name: "bob" })).key);
    const batch = [...Array.from({ length: 32 }, () => row), other, ...Array.from({ length: 31 }, () => row)];
    const first = await infer(id, alice, batch);
    const copies = first.filter((_, i) => i !== 32);
    for (const answer of copies) expect(answer).toEqual(copies[0]);
    expect(first[32]).not.toEqual(copies[0]);
    expect(await infer(id, alice, batch)).toEqual(first);
    expect(await infer(id, alice, [other])).toEqual([first[32]]);
    const fromBob = await infer(id, bob, [row, row]);
    expect(fromBob[1]).toEqual(fromBob[0]);
    expect(fromBob[0]).not.toEqual(copies[0]);
  });

  it("gives embeddings of repeated inputs the same noise, in one request and the next", async () => {
    const { id } = await createTenant({ models: [chatModel("emb", "", { protection: { embeddings: { noise_ratio: 0.05, watermark: false } } })] });
    const auth = bearer((await issueKey(id)).key);
    const get = async (input: string[]) =>
      ((await (await call(`/t/${id}/v1/embeddings`, json({ model: "emb", input }, auth))).json()) as { data: Array<{ embedding: number[] }> }).data.map((d) => d.embedding);
    const [a, b, c] = await get(["the same words", "other words", "the same words"]);
    expect(c).toEqual(a);
    expect(b).not.toEqual(a);
    expect((await get(["the same words"]))[0]).toEqual(a);
  });

  it("gives the same prompt the same logprob noise, whatever the sampling seed", async () => {
    const { id } = await createTenant({ models: [chatModel("chat", "", { protection: { probabilities: { mode: "laplace", epsilon: 20 } } })] });
    const auth = bearer((await issueKey(id)).key);
    type Lp = { choices: Array<{ logprobs: { content: Array<{ token: string; logprob: number; top_logprobs: Array<{ token: string; logprob: number }> }> } }> };
    const ask = async (seed: number) =>
      ((await (await call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "tell me" }], max_tokens: 8, seed, logprobs: true, top_logprobs: 5 }, auth))).json()) as Lp).choices[0]!.logprobs.content;
    const one = await ask(1);
    expect(await ask(1)).toEqual(one);
    // The first position's distribution depends on the prompt only: another seed samples other text
    // but must not draw new noise there.
    const two = await ask(2);
    expect(two[0]!.top_logprobs).toEqual(one[0]!.top_logprobs);
  });
});
