import { describe, expect, it } from "vitest";
import { StreamProtector, streamCharge } from "../../../worker/pipeline/protect-stream";
import type { JsonProtectionContext } from "../../../worker/pipeline/protect-json";
import { promptCount, promptTokenBound } from "../../../worker/protocols/openai";

/** A protector that only reads (no watermark, no logprobs to rewrite). */
const protector = () => new StreamProtector({ model: { protection: { text_watermark: false } } } as unknown as JsonProtectionContext, true);
const chunk = (choices: unknown[], usage?: unknown) => JSON.stringify({ id: "c", choices, ...(usage === undefined ? {} : { usage }) });

describe("what a stream is charged", () => {
  it("is the origin's final usage when it came, whether the stream completed or was cut after it", () => {
    const t = { finalUsage: 42, runningUsage: null, promptTokens: 500, completionTokens: 9 };
    expect(streamCharge(t, true)).toBe(42);
    expect(streamCharge(t, false)).toBe(42);
  });

  it("is the prompt bound plus the completion tokens that passed when no usage came — never 0", () => {
    const t = { finalUsage: null, runningUsage: null, promptTokens: 120, completionTokens: 0 };
    expect(streamCharge(t, true)).toBe(120);
    expect(streamCharge({ ...t, completionTokens: 30 }, false)).toBe(150);
  });

  it("trusts a running usage at the end of a complete stream, and takes the larger count when cut short", () => {
    const t = { finalUsage: null, runningUsage: 60, promptTokens: 100, completionTokens: 10 };
    expect(streamCharge(t, true)).toBe(60);
    expect(streamCharge(t, false)).toBe(110);
    expect(streamCharge({ ...t, runningUsage: 400 }, false)).toBe(400);
  });

  it("counts completion tokens passed on: one per text chunk, or by bytes when a chunk holds several", async () => {
    const p = protector();
    await p.event(chunk([{ index: 0, delta: { role: "assistant", content: "" } }]));
    expect(p.completionTokens).toBe(0);
    for (const word of [" the", " sea", " is"]) await p.event(chunk([{ index: 0, delta: { content: word } }]));
    expect(p.completionTokens).toBe(3);
    // One chunk carrying a whole paragraph (an origin that batches tokens) is counted by its bytes.
    await p.event(chunk([{ index: 0, delta: { content: "x".repeat(400) } }]));
    expect(p.completionTokens).toBe(Math.ceil((4 + 4 + 3 + 400) / 4));
  });

  it("counts tool-call arguments, refusals, reasoning and completion text as generated", async () => {
    const p = protector();
    await p.event(chunk([{ index: 0, delta: { tool_calls: [{ index: 0, function: { arguments: '{"a":1}' } }] } }]));
    await p.event(chunk([{ index: 0, delta: { refusal: "no" } }]));
    await p.event(chunk([{ index: 0, delta: { reasoning_content: "hmm" } }]));
    await p.event(chunk([{ index: 0, text: "done" }]));
    expect(p.completionTokens).toBe(4);
  });

  it("tells a final usage chunk from a running usage on content chunks", async () => {
    const p = protector();
    await p.event(chunk([{ index: 0, delta: { content: "a" } }], { prompt_tokens: 5, completion_tokens: 1, total_tokens: 6 }));
    expect([p.runningUsage, p.finalUsage]).toEqual([{ input: 5, output: 1 }, null]);
    expect(await p.event(chunk([], { prompt_tokens: 5, completion_tokens: 2, total_tokens: 7 }))).toBeNull();
    expect([p.runningUsage, p.finalUsage]).toEqual([{ input: 5, output: 1 }, { input: 5, output: 2 }]);
  });
});

describe("the prompt bound", () => {
  it("is UTF-8 bytes for text and the id count for token ids, plus a per-text allowance", () => {
    expect(promptTokenBound("hello")).toBe(5 + 8);
    expect(promptTokenBound("海港")).toBe(6 + 8);
    expect(promptTokenBound(["ab", "c"])).toBe(3 + 16);
    expect(promptTokenBound([1, 2, 3, 4])).toBe(4 + 8);
    expect(promptTokenBound([[1, 2], [3]])).toBe(3 + 16);
    expect(promptCount("x")).toBe(1);
    expect(promptCount([1, 2, 3])).toBe(1);
    expect(promptCount([[1], [2]])).toBe(2);
    expect(promptCount(["a", "b", "c"])).toBe(3);
  });
});
