/**
 * What the screening stage reads from an OpenAI request (worker/protocols/openai.ts): every
 * text the model reads, including the structured fields, and nothing from token ids.
 */
import { describe, expect, it } from "vitest";
import { ChatCompletionRequest, chatTexts, completionTexts, hasTokenIds, CompletionRequest } from "../../../worker/protocols/openai";
import { stringsIn } from "../../../worker/protocols/strings";

describe("chatTexts", () => {
  it("reads messages, names, tool calls and every string of the structured fields", () => {
    const body = ChatCompletionRequest.parse({
      model: "m",
      messages: [
        { role: "system", content: "S", name: "N" },
        { role: "user", content: [{ type: "text", text: "P1" }, { type: "image_url", image_url: { url: "https://x.example/i.png" } }] },
        { role: "assistant", content: null, refusal: "R", tool_calls: [{ id: "c", type: "function", function: { name: "TN", arguments: "TA" } }], function_call: { name: "FN", arguments: "FA" } },
      ],
      tools: [{ type: "function", function: { name: "tool", description: "TD", parameters: { type: "object", properties: { city: { type: "string", description: "PD", enum: ["E1"] } } } } }],
      functions: [{ name: "legacy", description: "LD" }],
      response_format: { type: "json_schema", json_schema: { name: "x", schema: { description: "RD" } } },
      documents: [{ title: "DT", text: "DX" }],
      suffix: "not a chat field",
    });
    const texts = chatTexts(body);
    for (const t of ["S", "N", "P1", "R", "TN", "TA", "FN", "FA", "TD", "PD", "E1", "LD", "RD", "DT", "DX"]) expect(texts, t).toContain(t);
    expect(texts.some((t) => t.split("\n").includes("city"))).toBe(true);
    expect(texts.join("|")).not.toContain("i.png");
    expect(texts).not.toContain("not a chat field");
  });

  it("keeps a plain request's texts as they were", () => {
    expect(chatTexts(ChatCompletionRequest.parse({ model: "m", messages: [{ role: "user", content: "hi" }] }))).toEqual(["hi"]);
  });
});

describe("completions and token ids", () => {
  it("reads the suffix", () => {
    expect(completionTexts(CompletionRequest.parse({ model: "m", prompt: "a", suffix: "b" }))).toEqual(["a", "b"]);
  });

  it("tells token ids from text", () => {
    expect(hasTokenIds("text")).toBe(false);
    expect(hasTokenIds(["a", "b"])).toBe(false);
    expect(hasTokenIds([1, 2])).toBe(true);
    expect(hasTokenIds([[1], [2]])).toBe(true);
  });
});

describe("stringsIn", () => {
  it("walks 100,000 levels without recursion and keeps each string once", () => {
    let deep: unknown = "bottom";
    for (let i = 0; i < 100_000; i++) deep = [deep, "same"];
    expect(stringsIn(deep).values.sort()).toEqual(["bottom", "same"]);
  });
});
