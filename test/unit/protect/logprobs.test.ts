import { describe, expect, it } from "vitest";
import { WardenError } from "../../../worker/errors";
import { assertLogitBiasAllowed, clampLogprobsRequest, protectLogprobsResponse } from "../../../worker/protect/logprobs";
import { planOf, type ProbabilityPlan } from "../../../worker/protect/probabilities";
import { seededRng } from "../../../worker/protect/random";

const NONE: ProbabilityPlan = { steps: [], keepTop1: true };
const tok = (token: string, p: number) => ({ token, logprob: Math.log(p), bytes: [...new TextEncoder().encode(token)] });

function chatResponse(alternatives = 10) {
  const probs = Array.from({ length: alternatives }, (_, i) => 0.5 / 2 ** i);
  return {
    id: "chatcmpl-1",
    object: "chat.completion",
    choices: [
      {
        index: 0,
        message: { role: "assistant", content: "Hi there" },
        logprobs: {
          content: [
            { ...tok("Hi", 0.5), top_logprobs: probs.map((p, i) => tok(i === 0 ? "Hi" : `t${i}`, p)).reverse() },
            { ...tok(" there", 0.01), top_logprobs: [tok(" you", 0.6), tok(" all", 0.3)] },
          ],
          refusal: null,
        },
      },
    ],
  };
}

describe("clampLogprobsRequest", async () => {
  it("clamps chat top_logprobs and completions logprobs, leaves the rest", async () => {
    const body = { model: "m", logprobs: true, top_logprobs: 20, messages: [] };
    expect(clampLogprobsRequest(body, 5)).toEqual({ ...body, top_logprobs: 5 });
    expect(body.top_logprobs).toBe(20);
    expect(clampLogprobsRequest({ prompt: "x", logprobs: 9 }, 5)).toEqual({ prompt: "x", logprobs: 5 });
    expect(clampLogprobsRequest({ top_logprobs: 3 }, 5)).toEqual({ top_logprobs: 3 });
    expect(clampLogprobsRequest({ top_logprobs: 3 }, 0)).toEqual({ top_logprobs: 0 });
  });
});

describe("assertLogitBiasAllowed", async () => {
  it("refuses a real bias with 400 invalid_request unless allowed", async () => {
    try {
      assertLogitBiasAllowed({ logit_bias: { "50256": -100 } }, false);
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(WardenError);
      expect((e as WardenError).code).toBe("invalid_request");
      expect((e as WardenError).status).toBe(400);
    }
    expect(() => assertLogitBiasAllowed({ logit_bias: { "50256": -100 } }, true)).not.toThrow();
    for (const body of [{}, { logit_bias: null }, { logit_bias: {} }]) expect(() => assertLogitBiasAllowed(body, false)).not.toThrow();
    expect(() => assertLogitBiasAllowed({ logit_bias: "x" }, false)).toThrow(WardenError);
  });
});

describe("protectLogprobsResponse", async () => {
  it("caps chat top_logprobs to the most likely alternatives, without touching the input", async () => {
    const original = chatResponse(10);
    const out = await protectLogprobsResponse(original, { maxTopLogprobs: 5, plan: NONE });
    const tops = out.choices[0]!.logprobs.content[0]!.top_logprobs;
    expect(tops.map((t) => t.token)).toEqual(["Hi", "t1", "t2", "t3", "t4"]);
    expect(tops[0]!.logprob).toBe(Math.log(0.5));
    expect(original.choices[0]!.logprobs.content[0]!.top_logprobs).toHaveLength(10);
    expect((await protectLogprobsResponse(original, { maxTopLogprobs: 0, plan: NONE })).choices[0]!.logprobs.content[0]!.top_logprobs).toEqual([]);
  });

  it("perturbs values with the plan, keeps order, the top token first, and the chosen token consistent", async () => {
    const plan = planOf({ mode: "laplace", epsilon: 20, keep_top1: true });
    const rng = seededRng(1);
    let changed = 0;
    for (let i = 0; i < 200; i++) {
      const out = await protectLogprobsResponse(chatResponse(8), { maxTopLogprobs: 5, plan, rng });
      const [first, second] = out.choices[0]!.logprobs.content;
      const tops = first!.top_logprobs;
      expect(tops[0]!.token).toBe("Hi");
      for (let j = 1; j < tops.length; j++) expect(tops[j - 1]!.logprob).toBeGreaterThanOrEqual(tops[j]!.logprob);
      expect(first!.logprob).toBe(tops[0]!.logprob);
      for (const t of tops) expect(t.logprob).toBeLessThanOrEqual(0);
      // The chosen token is outside the alternatives: it is perturbed as its own class.
      expect(second!.logprob).toBeLessThanOrEqual(0);
      if (Math.abs(tops[1]!.logprob - Math.log(0.25)) > 0.01) changed++;
    }
    expect(changed).toBeGreaterThan(150);
  });

  it("rounds through probabilities and maps zero to -9999", async () => {
    const plan = planOf({ mode: "round", decimals: 1, keep_top1: true });
    const out = await protectLogprobsResponse(chatResponse(6), { maxTopLogprobs: 6, plan });
    const values = out.choices[0]!.logprobs.content[0]!.top_logprobs.map((t) => Math.exp(t.logprob));
    expect(values.slice(0, 3).map((v) => Math.round(v * 1e9) / 1e9)).toEqual([0.5, 0.3, 0.1]);
    expect(out.choices[0]!.logprobs.content[0]!.top_logprobs.at(-1)!.logprob).toBe(-9999);
  });

  it("handles legacy completions logprobs and stream chunks", async () => {
    const completion = {
      object: "text_completion",
      choices: [
        {
          text: " a",
          logprobs: {
            tokens: [" a"],
            token_logprobs: [Math.log(0.4)],
            top_logprobs: [Object.fromEntries(Array.from({ length: 8 }, (_, i) => [i === 0 ? " a" : ` w${i}`, Math.log(0.4 / 2 ** i)]))],
            text_offset: [0],
          },
        },
      ],
    };
    const capped = await protectLogprobsResponse(completion, { maxTopLogprobs: 3, plan: NONE });
    expect(Object.keys(capped.choices[0]!.logprobs.top_logprobs[0]!)).toEqual([" a", " w1", " w2"]);
    const noisy = await protectLogprobsResponse(completion, { maxTopLogprobs: 3, plan: planOf({ mode: "gaussian", epsilon: 50, keep_top1: true }), rng: seededRng(2) });
    const lp = noisy.choices[0]!.logprobs;
    expect(lp.token_logprobs[0]).toBe(lp.top_logprobs[0]![" a"]);
    expect(lp.token_logprobs[0]).not.toBe(Math.log(0.4));

    const chunk = { object: "chat.completion.chunk", choices: [{ index: 0, delta: { content: "Hi" }, logprobs: { content: [{ ...tok("Hi", 0.9), top_logprobs: [tok("Hi", 0.9), tok("Yo", 0.05), tok("Hey", 0.03)] }] } }] };
    expect((await protectLogprobsResponse(chunk, { maxTopLogprobs: 1, plan: NONE })).choices[0]!.logprobs.content[0]!.top_logprobs).toHaveLength(1);
    expect((await protectLogprobsResponse({ data: [] }, { maxTopLogprobs: 1, plan: NONE }))).toEqual({ data: [] });
  });
});
