import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import { BASE, chatModel, createTenant, issueKey } from "../helpers/warden";
import { rejection, viaWorker } from "../helpers/sdk-fetch";

/**
 * Issue 12 item 1: `param` names the field at fault whenever one field is, not only on schema
 * errors — a refused token-id prompt or input, a refused media URL in a Responses input item,
 * a refused field — so the openai SDK's `err.param` points the developer at it.
 */
function sdk(tenant: string, apiKey: string): OpenAI {
  return new OpenAI({ baseURL: `${BASE}/t/${tenant}/v1`, apiKey, maxRetries: 0, fetch: viaWorker });
}

const badRequest = (p: Promise<unknown>) => rejection(p, OpenAI.BadRequestError);

describe("param on single-field refusals", () => {
  it("names prompt, input, the media URL and logit_bias when Warden refuses them", async () => {
    const { id } = await createTenant({ models: [chatModel("chat"), chatModel("echo", "/echo")], policy: { screening: { mode: "monitor" } } });
    const client = sdk(id, (await issueKey(id)).key);

    const prompt = await badRequest(client.completions.create({ model: "echo", prompt: [1, 2, 3], max_tokens: 2 }));
    expect(prompt.param).toBe("prompt");
    expect(prompt.message).toContain("token ids cannot be screened");

    const input = await badRequest(client.embeddings.create({ model: "echo", input: [[1, 2, 3]] }));
    expect(input.param).toBe("input");

    const media = await badRequest(
      client.responses.create({ model: "echo", input: [{ role: "user", content: [{ type: "input_image", image_url: "http://169.254.169.254/latest/meta-data/", detail: "auto" }] }] }),
    );
    expect(media.param).toMatch(/^input\b.*image_url$/);

    const bias = await badRequest(client.chat.completions.create({ model: "echo", messages: [{ role: "user", content: "x" }], logit_bias: { "50256": -100 } }));
    expect(bias.param).toBe("logit_bias");
  });
});
