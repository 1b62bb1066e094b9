import { describe, expect, it } from "vitest";
import { admin, bearer, call, chatModel, createTenant, issueKey, json, problem, uniqueTenantId } from "../../helpers/warden";
import type { EchoBody } from "../../helpers/origin-server";

/**
 * Issue 8, item 4: fields no OpenAI check covered reached a vLLM origin unchanged. Log-probability
 * leaks are capped by protection.logprobs.max_top_logprobs; fields that hand the origin tensors or
 * reconfigure it are refused unless protection.allow_fields names them; media URLs in content
 * parts follow the outbound URL rules (data: URLs allowed, https to public hosts only).
 */
const CAP = 2;
async function setup(originPath = "/echo", protection: Record<string, unknown> = {}) {
  const { id } = await createTenant({ models: [chatModel("m", originPath, { protection: { logprobs: { max_top_logprobs: CAP }, ...protection } })] });
  const { key } = await issueKey(id);
  const post = (route: string, body: Record<string, unknown>) => call(`/t/${id}/v1/${route}`, json({ model: "m", ...body }, bearer(key)));
  return {
    chat: (extra: Record<string, unknown> = {}) => post("chat/completions", { messages: [{ role: "user", content: "hi" }], max_tokens: 4, ...extra }),
    completion: (extra: Record<string, unknown> = {}) => post("completions", { prompt: "hi", max_tokens: 4, ...extra }),
    embedding: (extra: Record<string, unknown> = {}) => post("embeddings", { input: "hi", ...extra }),
    responses: (extra: Record<string, unknown> = {}) => post("responses", { input: "hi", max_output_tokens: 4, ...extra }),
    messages: (extra: Record<string, unknown> = {}) => post("messages", { messages: [{ role: "user", content: "hi" }], max_tokens: 4, ...extra }),
  };
}
async function forwarded(res: Response): Promise<Record<string, unknown>> {
  expect(res.status).toBe(200);
  return JSON.parse(((await res.json()) as EchoBody).body) as Record<string, unknown>;
}
async function refusedPaths(res: Response): Promise<string[]> {
  expect(res.status).toBe(400);
  const p = (await problem(res)) as unknown as { code: string; errors: Array<{ path: string }> };
  expect(p.code).toBe("invalid_request");
  return p.errors.map((e) => e.path);
}
const withPart = (part: Record<string, unknown>) => ({ messages: [{ role: "user", content: [{ type: "text", text: "look" }, part] }] });

describe("log-probabilities past the cap", () => {
  it("lowers prompt_logprobs to max_top_logprobs on chat and completions", async () => {
    const t = await setup();
    expect((await forwarded(await t.chat({ prompt_logprobs: 20 }))).prompt_logprobs).toBe(CAP);
    expect((await forwarded(await t.completion({ prompt_logprobs: 20, logprobs: 20 }))).prompt_logprobs).toBe(CAP);
    expect((await forwarded(await t.completion({ top_logprobs: 20 }))).top_logprobs).toBe(CAP);
  });

  it("lowers them on every OpenAI-style route, embeddings, Responses and Messages included (the routes' upstreamFields hook)", async () => {
    const t = await setup();
    expect((await forwarded(await t.embedding({ top_logprobs: 20 }))).top_logprobs).toBe(CAP);
    expect((await forwarded(await t.responses({ top_logprobs: 20 }))).top_logprobs).toBe(CAP);
    expect((await forwarded(await t.messages({ top_logprobs: 20 }))).top_logprobs).toBe(CAP);
  });

  it("refuses the whole-vocabulary and string forms a lax server would accept", async () => {
    const t = await setup();
    expect(await refusedPaths(await t.chat({ prompt_logprobs: -1 }))).toEqual(["prompt_logprobs"]);
    expect(await refusedPaths(await t.chat({ prompt_logprobs: "20" }))).toEqual(["prompt_logprobs"]);
    expect(await refusedPaths(await t.completion({ top_logprobs: -1 }))).toEqual(["top_logprobs"]);
    expect(await refusedPaths(await t.completion({ logprobs: true }))).toEqual(["logprobs"]);
  });

  it.each([
    [20, [1, 2]],
    [CAP, [1, 2, CAP + 3]],
  ])("caps prompt log-probabilities in the answer whatever the origin returned (%i alternatives)", async (returned, expected) => {
    const t = await setup(`/prompt-logprobs/${returned}`);
    const chat = (await (await t.chat({ prompt_logprobs: 1 })).json()) as { prompt_logprobs: Array<Record<string, { rank: number }> | null> };
    const comp = (await (await t.completion({ prompt_logprobs: 1 })).json()) as { choices: Array<{ prompt_logprobs: Array<Record<string, { rank: number }> | null> }> };
    for (const positions of [chat.prompt_logprobs, comp.choices[0]!.prompt_logprobs]) {
      expect(positions[0]).toBeNull();
      for (const pos of positions.slice(1)) {
        const ranks = Object.values(pos!).map((v) => v.rank).sort((a, b) => a - b);
        // The top CAP alternatives, plus the prompt's own token from an origin that kept to the cap.
        expect(ranks).toEqual(expected);
      }
    }
  });

  it("refuses prompt_logprobs where log-probabilities are perturbed, and removes any the origin sends", async () => {
    const t = await setup("/prompt-logprobs/20", { probabilities: { mode: "round", decimals: 1 } });
    expect(await refusedPaths(await t.chat({ prompt_logprobs: 1, stream: true }))).toEqual(["prompt_logprobs"]);
    const chat = (await (await t.chat()).json()) as { prompt_logprobs: unknown };
    expect(chat.prompt_logprobs).toBeNull();
  });

  it("refuses embedding byte layouts Warden would misread (half of each value left unprotected)", async () => {
    const t = await setup("/echo", { embeddings: { noise_ratio: 0.01 } });
    expect(await refusedPaths(await t.embedding({ encoding_format: "base64", embed_dtype: "float16" }))).toEqual(["embed_dtype"]);
    expect(await refusedPaths(await t.embedding({ encoding_format: "base64", endianness: "big" }))).toEqual(["endianness"]);
    expect((await t.embedding({ encoding_format: "base64", embed_dtype: "float32", endianness: "little" })).status).toBe(200);
  });
});

describe("fields that hand the origin tensors or reconfigure it", () => {
  it.each([
    ["prompt_embeds", { prompt_embeds: "AAAA" }],
    ["chat_template", { chat_template: "{{ raise_exception('x') }}" }],
    ["chat_template_kwargs", { chat_template_kwargs: { enable_thinking: true } }],
    ["mm_processor_kwargs", { mm_processor_kwargs: { num_crops: 1000 } }],
    ["media_io_kwargs", { media_io_kwargs: { video: { num_frames: 100000 } } }],
    ["logits_processors", { logits_processors: ["os.system"] }],
    ["vllm_xargs", { vllm_xargs: { a: 1 } }],
    ["kv_transfer_params", { kv_transfer_params: { remote_host: "10.0.0.1" } }],
    ["allowed_token_ids", { allowed_token_ids: [1, 2] }],
  ])("refuses %s by default", async (field, extra) => {
    const t = await setup();
    expect(await refusedPaths(await t.chat(extra))).toEqual([field]);
  });

  it("refuses prompt_embeds on completions and embedding parts in messages", async () => {
    const t = await setup();
    expect(await refusedPaths(await t.completion({ prompt_embeds: "AAAA" }))).toEqual(["prompt_embeds"]);
    expect(await refusedPaths(await t.chat(withPart({ type: "image_embeds", image_embeds: "AAAA" })))).toEqual(["messages.0.content.1"]);
    expect(await refusedPaths(await t.chat(withPart({ type: "prompt_embeds", data: "AAAA" })))).toEqual(["messages.0.content.1"]);
    // A part without `type` (vLLM reads it by its key) fails the schema already.
    expect((await refusedPaths(await t.chat(withPart({ audio_embeds: "AAAA" }))))[0]).toMatch(/^messages\.0\.content/);
  });

  it("passes a field the model's protection.allow_fields names, and guided decoding always", async () => {
    const t = await setup("/echo", { allow_fields: ["chat_template", "image_embeds"] });
    const body = await forwarded(await t.chat({ chat_template: "{{ messages }}", guided_json: { type: "object" }, ...withPart({ type: "image_embeds", image_embeds: "AAAA" }) }));
    expect(body.chat_template).toBe("{{ messages }}");
    expect(body.guided_json).toEqual({ type: "object" });
    expect(await refusedPaths(await t.chat({ chat_template_kwargs: {} }))).toEqual(["chat_template_kwargs"]);
  });

  it("refuses an allow_fields entry that names no known field (admin 400)", async () => {
    const res = await admin("/tenants", "POST", { id: uniqueTenantId(), name: "t", models: [chatModel("m", "", { protection: { allow_fields: ["everything"] } })] });
    expect(res.status).toBe(400);
  });
});

describe("media URLs in content parts", () => {
  it.each([
    ["image_url", { type: "image_url", image_url: { url: "http://169.254.169.254/latest/meta-data/iam/" } }, "messages.0.content.1.image_url.url"],
    ["image_url https metadata", { type: "image_url", image_url: { url: "https://169.254.169.254/" } }, "messages.0.content.1.image_url.url"],
    ["image_url as a bare string", { type: "image_url", image_url: "https://metadata.google.internal/computeMetadata/v1/" }, "messages.0.content.1.image_url"],
    ["input_image", { type: "input_image", image_url: "https://[::ffff:169.254.169.254]/" }, "messages.0.content.1.image_url"],
    ["audio_url", { type: "audio_url", audio_url: { url: "https://localhost/a.wav" } }, "messages.0.content.1.audio_url.url"],
    ["video_url", { type: "video_url", video_url: { url: "file:///etc/passwd" } }, "messages.0.content.1.video_url.url"],
    ["file", { type: "file", file: { file_data: "https://10.0.0.5/x.pdf" } }, "messages.0.content.1.file.file_data"],
    ["input_audio", { type: "input_audio", input_audio: { data: "http://100.100.100.200/latest", format: "wav" } }, "messages.0.content.1.input_audio.data"],
    ["parser differential", { type: "image_url", image_url: { url: "https://cdn.example\\@169.254.169.254/" } }, "messages.0.content.1.image_url.url"],
    ["plain http", { type: "image_url", image_url: { url: "http://images.example/cat.png" } }, "messages.0.content.1.image_url.url"],
  ])("refuses %s", async (_name, part, path) => {
    const t = await setup();
    expect(await refusedPaths(await t.chat(withPart(part)))).toEqual([path]);
  });

  it("refuses media URLs on the embeddings route too (vLLM accepts chat messages there)", async () => {
    const t = await setup();
    expect(await refusedPaths(await t.embedding(withPart({ type: "image_url", image_url: { url: "https://169.254.169.254/" } })))).toEqual(["messages.0.content.1.image_url.url"]);
  });

  it("passes data: URLs and public https URLs unchanged", async () => {
    const t = await setup();
    const parts = [
      { type: "image_url", image_url: { url: "data:image/png;base64,iVBORw0KGgo=", detail: "low" } },
      { type: "image_url", image_url: { url: "https://images.example/cat.png" } },
      { type: "input_audio", input_audio: { data: "UklGRiQAAABXQVZF", format: "wav" } },
      { type: "text", text: "Note:this is text, not a URL" },
    ];
    const body = await forwarded(await t.chat({ messages: [{ role: "user", content: parts }] }));
    expect((body.messages as Array<{ content: unknown }>)[0]!.content).toEqual(parts);
  });
});
