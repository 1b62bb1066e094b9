import { beforeAll, describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { bearer, call, createTenant, issueKey, json } from "../../helpers/warden";

/**
 * Origin stream chunks of shapes no OpenAI origin sends — a choice that is null, a JSON array, a
 * bare number — are read by typed checks, not cast (worker/pipeline/protect-stream.ts): each passes
 * on as it came, and the stream goes on to its end. (A null choice used to throw inside the
 * protector and break the client's stream.)
 */
const scripted = `${env.ORIGIN_URL}/scripted`;
let t: { id: string; key: string };

beforeAll(async () => {
  const { id } = await createTenant({
    models: [
      { name: "plain", protocol: "openai", origins: [{ url: scripted }] },
      { name: "marked", protocol: "openai", origins: [{ url: scripted }], protection: { text_watermark: true } },
      { name: "guarded", protocol: "openai", origins: [{ url: scripted }], protection: { output_guard: { secrets: "redact", on_error: "open" } } },
    ],
  });
  t = { id, key: (await issueKey(id)).key };
});

const NULL_CHOICE = JSON.stringify({ id: "chatcmpl-s", object: "chat.completion.chunk", created: 1, model: "x", choices: [null, { index: 1, delta: { content: " and more" }, finish_reason: null }] });

async function stream(model: string, raw: string[]): Promise<string> {
  const res = await call(
    `/t/${t.id}/v1/chat/completions`,
    json({ model, messages: [{ role: "user", content: "hi" }], stream: true, max_tokens: 16, x_test_answer: { pieces: ["Hello", " there"], raw } }, bearer(t.key)),
  );
  expect(res.status).toBe(200);
  return res.text();
}

describe("origin stream chunks of odd shapes", () => {
  for (const model of ["plain", "marked", "guarded"]) {
    it(`a chunk with a null choice passes, and the stream ends with [DONE] (${model})`, async () => {
      const text = await stream(model, [NULL_CHOICE]);
      expect(text).toContain('"choices":[null,');
      if (model !== "marked") expect(text).toContain("and more");
      expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
    });
  }

  it("a JSON array and a bare number pass as they came (no guard)", async () => {
    const text = await stream("plain", ["[1,2]", "42"]);
    expect(text).toContain("data: [1,2]\n\n");
    expect(text).toContain("data: 42\n\n");
    expect(text.trimEnd().endsWith("data: [DONE]")).toBe(true);
  });
});
