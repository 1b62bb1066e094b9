/**
 * OpenAI-compatible routes of the demo origin, answered by the trigram language model and the
 * hashed-projection embedding:
 *   POST /v1/chat/completions   (stream, stream_options.include_usage, n, stop, seed,
 *                                temperature, top_p, logprobs/top_logprobs, logit_bias)
 *   POST /v1/completions        (same, logprobs as an integer, echo)
 *   POST /v1/embeddings         (string, string[], token ids; float or base64; dimensions)
 *   GET  /v1/models, GET /v1/models/{id}
 *   POST /v1/responses, POST /v1/messages (agent-routes.mjs)
 * Every model name is served by the same language model (chat and completions) or embedding.
 * Token ids are indices into the language model's vocabulary.
 */
import { randomBytes } from "node:crypto";
import { demoLanguageModel, tokenize } from "./language-model.mjs";
import { embed, toBase64, EMBEDDING_DIM } from "./embedding.mjs";
import { openaiError, readJsonObject, sendJson, startEventStream, sendEvent, sleep } from "./http-util.mjs";
import { AGENT_ROUTES } from "./agent-routes.mjs";

export const OPENAI_MODELS = ["demo-chat", "demo-embed"];
const CREATED = 1_767_225_600; // 2026-01-01, when these models "were released"
const FINGERPRINT = "warden-demo-trigram-1";

const isInt = (v) => Number.isInteger(v);

function number(body, key, { min, max, fallback }) {
  const v = body[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || !Number.isFinite(v) || v < min || v > max) throw openaiError(400, `'${key}' must be a number from ${min} to ${max}`, key);
  return v;
}

function integer(body, key, { min, max, fallback }) {
  const v = number(body, key, { min, max, fallback });
  if (v !== fallback && !isInt(v)) throw openaiError(400, `'${key}' must be an integer`, key);
  return v;
}

function requireModel(body) {
  if (typeof body.model !== "string" || body.model.length === 0) throw openaiError(400, "you must provide a model parameter", "model");
  return body.model;
}

/** The sampling options shared by chat and completions. */
function samplingOptions(body, defaultMaxTokens) {
  const maxTokens = integer(body, body.max_completion_tokens != null ? "max_completion_tokens" : "max_tokens", { min: 1, max: 4096, fallback: defaultMaxTokens });
  const stop = body.stop == null ? [] : typeof body.stop === "string" ? [body.stop] : body.stop;
  if (!Array.isArray(stop) || stop.length > 4 || stop.some((s) => typeof s !== "string")) throw openaiError(400, "'stop' must be a string or up to 4 strings", "stop");
  let logitBias;
  if (body.logit_bias != null) {
    if (typeof body.logit_bias !== "object" || Array.isArray(body.logit_bias)) throw openaiError(400, "'logit_bias' must be an object", "logit_bias");
    logitBias = new Map();
    for (const [id, bias] of Object.entries(body.logit_bias)) {
      if (!/^\d+$/.test(id) || typeof bias !== "number" || bias < -100 || bias > 100) throw openaiError(400, "'logit_bias' maps token ids to numbers from -100 to 100", "logit_bias");
      logitBias.set(Number(id), bias);
    }
  }
  if (body.stream != null && typeof body.stream !== "boolean") throw openaiError(400, "'stream' must be a boolean", "stream");
  return {
    maxTokens,
    temperature: number(body, "temperature", { min: 0, max: 2, fallback: 1 }),
    topP: number(body, "top_p", { min: 0, max: 1, fallback: 1 }),
    n: integer(body, "n", { min: 1, max: 8, fallback: 1 }),
    seed: body.seed == null ? undefined : integer(body, "seed", { min: -(2 ** 53), max: 2 ** 53, fallback: 0 }),
    stop,
    logitBias,
    stream: body.stream === true,
    includeUsage: body.stream === true && body.stream_options?.include_usage === true,
  };
}

/** Choice i of a seeded request uses seed + i, so n choices differ but repeat exactly. */
const choiceSeed = (seed, i) => (seed === undefined ? undefined : (seed + i) >>> 0);

const id = (prefix) => `${prefix}-${randomBytes(12).toString("base64url")}`;
const now = () => Math.floor(Date.now() / 1000);
const bytes = (text) => Array.from(Buffer.from(text, "utf8"));

function messageText(content) {
  if (typeof content === "string") return content;
  if (Array.isArray(content)) return content.map((part) => (part?.type === "text" && typeof part.text === "string" ? part.text : "")).join(" ");
  if (content == null) return "";
  throw openaiError(400, "message content must be a string or an array of content parts", "messages");
}

function chatLogprobs(result) {
  return {
    content: result.tokens.map((t) => ({
      token: t.token,
      logprob: t.logprob,
      bytes: bytes(t.token),
      top_logprobs: t.top_logprobs.map((a) => ({ token: a.token, logprob: a.logprob, bytes: bytes(a.token) })),
    })),
    refusal: null,
  };
}

async function chatCompletions(req, res, { tokenDelayMs }) {
  const body = await readJsonObject(req, (m) => openaiError(400, m));
  const model = requireModel(body);
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw openaiError(400, "'messages' must be a non-empty array", "messages");
  const texts = body.messages.map((m) => {
    if (m === null || typeof m !== "object" || typeof m.role !== "string") throw openaiError(400, "each message needs a role", "messages");
    return messageText(m.content);
  });
  const opts = samplingOptions(body, 100);
  if (body.logprobs != null && typeof body.logprobs !== "boolean") throw openaiError(400, "'logprobs' must be a boolean", "logprobs");
  const topLogprobs = integer(body, "top_logprobs", { min: 0, max: 20, fallback: 0 });
  if (body.top_logprobs != null && body.logprobs !== true) throw openaiError(400, "'top_logprobs' requires 'logprobs' to be true", "top_logprobs");

  const lm = demoLanguageModel();
  const promptTokens = texts.flatMap((t) => tokenize(t));
  const results = Array.from({ length: opts.n }, (_, i) =>
    lm.generate({ promptTokens, maxTokens: opts.maxTokens, temperature: opts.temperature, topP: opts.topP, seed: choiceSeed(opts.seed, i), stop: opts.stop, topLogprobs, logitBias: opts.logitBias }),
  );
  const completionTokens = results.reduce((s, r) => s + r.tokens.length, 0);
  const usage = { prompt_tokens: promptTokens.length, completion_tokens: completionTokens, total_tokens: promptTokens.length + completionTokens };
  const head = { id: id("chatcmpl"), created: now(), model, system_fingerprint: FINGERPRINT };
  const withLogprobs = body.logprobs === true;

  if (!opts.stream) {
    return sendJson(res, 200, {
      ...head,
      object: "chat.completion",
      choices: results.map((r, index) => ({
        index,
        message: { role: "assistant", content: r.text, refusal: null },
        logprobs: withLogprobs ? chatLogprobs(r) : null,
        finish_reason: r.finishReason,
      })),
      usage,
    });
  }

  startEventStream(res);
  const chunk = (choices) => ({ ...head, object: "chat.completion.chunk", choices, ...(opts.includeUsage ? { usage: null } : {}) });
  for (const [index, r] of results.entries()) {
    sendEvent(res, chunk([{ index, delta: { role: "assistant", content: "" }, logprobs: null, finish_reason: null }]));
    for (const t of r.tokens) {
      if (tokenDelayMs > 0) await sleep(tokenDelayMs);
      const lp = withLogprobs ? chatLogprobs({ tokens: [t] }) : null;
      sendEvent(res, chunk([{ index, delta: { content: t.token }, logprobs: lp, finish_reason: null }]));
    }
    sendEvent(res, chunk([{ index, delta: {}, logprobs: null, finish_reason: r.finishReason }]));
  }
  if (opts.includeUsage) sendEvent(res, { ...head, object: "chat.completion.chunk", choices: [], usage });
  sendEvent(res, "[DONE]");
  res.end();
}

/** A prompt is a string, strings, token ids or lists of token ids; returns texts. */
function prompts(prompt, vocab) {
  const fromIds = (ids) => {
    if (!ids.every((i) => isInt(i) && i >= 3 && i < vocab.length)) throw openaiError(400, "'prompt' holds an unknown token id", "prompt");
    return ids.map((i) => vocab[i]).join(" ");
  };
  if (typeof prompt === "string") return [prompt];
  if (Array.isArray(prompt) && prompt.length > 0) {
    if (prompt.every((p) => typeof p === "string")) return prompt;
    if (prompt.every((p) => typeof p === "number")) return [fromIds(prompt)];
    if (prompt.every((p) => Array.isArray(p))) return prompt.map(fromIds);
  }
  throw openaiError(400, "'prompt' must be a string, an array of strings or token ids", "prompt");
}

function completionLogprobs(result, offset) {
  let at = offset;
  const text_offset = result.tokens.map((t) => ((at += t.token.length), at - t.token.length));
  return {
    tokens: result.tokens.map((t) => t.token),
    token_logprobs: result.tokens.map((t) => t.logprob),
    top_logprobs: result.tokens.map((t) => Object.fromEntries(t.top_logprobs.map((a) => [a.token, a.logprob]))),
    text_offset,
  };
}

async function completions(req, res, { tokenDelayMs }) {
  const body = await readJsonObject(req, (m) => openaiError(400, m));
  const model = requireModel(body);
  const lm = demoLanguageModel();
  const texts = prompts(body.prompt, lm.vocab);
  const opts = samplingOptions(body, 16);
  const logprobs = body.logprobs == null ? null : integer(body, "logprobs", { min: 0, max: 5, fallback: 0 });
  const echo = body.echo === true;

  const choices = [];
  let promptCount = 0;
  for (const text of texts) {
    const promptTokens = tokenize(text);
    promptCount += promptTokens.length;
    for (let i = 0; i < opts.n; i++) {
      const r = lm.generate({ promptTokens, maxTokens: opts.maxTokens, temperature: opts.temperature, topP: opts.topP, seed: choiceSeed(opts.seed, i), stop: opts.stop, topLogprobs: logprobs ?? 0, leadingSpace: !/\s$/.test(text) && text.length > 0, logitBias: opts.logitBias });
      choices.push({ r, prefix: echo ? text : "" });
    }
  }
  const completionTokens = choices.reduce((s, c) => s + c.r.tokens.length, 0);
  const usage = { prompt_tokens: promptCount, completion_tokens: completionTokens, total_tokens: promptCount + completionTokens };
  const head = { id: id("cmpl"), object: "text_completion", created: now(), model, system_fingerprint: FINGERPRINT };

  if (!opts.stream) {
    return sendJson(res, 200, {
      ...head,
      choices: choices.map(({ r, prefix }, index) => ({ text: prefix + r.text, index, logprobs: logprobs === null ? null : completionLogprobs(r, prefix.length), finish_reason: r.finishReason })),
      usage,
    });
  }

  startEventStream(res);
  const chunk = (choice) => ({ ...head, choices: [choice], ...(opts.includeUsage ? { usage: null } : {}) });
  for (const [index, { r, prefix }] of choices.entries()) {
    if (prefix) sendEvent(res, chunk({ text: prefix, index, logprobs: null, finish_reason: null }));
    let offset = prefix.length;
    for (const t of r.tokens) {
      if (tokenDelayMs > 0) await sleep(tokenDelayMs);
      const lp = logprobs === null ? null : completionLogprobs({ tokens: [t] }, offset);
      offset += t.token.length;
      sendEvent(res, chunk({ text: t.token, index, logprobs: lp, finish_reason: null }));
    }
    sendEvent(res, chunk({ text: "", index, logprobs: null, finish_reason: r.finishReason }));
  }
  if (opts.includeUsage) sendEvent(res, { ...head, choices: [], usage });
  sendEvent(res, "[DONE]");
  res.end();
}

async function embeddings(req, res) {
  const body = await readJsonObject(req, (m) => openaiError(400, m));
  const model = requireModel(body);
  const lm = demoLanguageModel();
  const { input } = body;
  let texts;
  if (typeof input === "string") texts = [input];
  else if (Array.isArray(input) && input.length > 0 && input.length <= 2048) {
    if (input.every((p) => typeof p === "string")) texts = input;
    else if (input.every((p) => typeof p === "number")) texts = [prompts(input, lm.vocab)[0]];
    else if (input.every((p) => Array.isArray(p))) texts = prompts(input, lm.vocab);
  }
  if (!texts) throw openaiError(400, "'input' must be a string, an array of strings or token ids", "input");
  if (texts.some((t) => t.length === 0)) throw openaiError(400, "'input' must not contain empty strings", "input");
  const format = body.encoding_format ?? "float";
  if (format !== "float" && format !== "base64") throw openaiError(400, "'encoding_format' must be 'float' or 'base64'", "encoding_format");
  const dimensions = integer(body, "dimensions", { min: 1, max: EMBEDDING_DIM, fallback: EMBEDDING_DIM });

  const promptTokens = texts.reduce((s, t) => s + tokenize(t).length, 0);
  sendJson(res, 200, {
    object: "list",
    data: texts.map((t, index) => {
      const v = embed(t, dimensions);
      return { object: "embedding", index, embedding: format === "base64" ? toBase64(v) : v };
    }),
    model,
    usage: { prompt_tokens: promptTokens, total_tokens: promptTokens },
  });
}

const modelObject = (name) => ({ id: name, object: "model", created: CREATED, owned_by: "warden-demo" });

const ROUTES = {
  "POST /v1/chat/completions": chatCompletions,
  "POST /v1/completions": completions,
  "POST /v1/embeddings": embeddings,
  "GET /v1/models": (_req, res) => sendJson(res, 200, { object: "list", data: OPENAI_MODELS.map(modelObject) }),
  ...AGENT_ROUTES,
};

/** Route an OpenAI request; returns false when the path is not an OpenAI route. */
export async function handleOpenAI(req, res, path, options) {
  const route = `${req.method} ${path}`;
  const handler = ROUTES[route];
  if (handler) {
    await handler(req, res, options);
    return true;
  }
  const one = /^GET \/v1\/models\/([^/]+)$/.exec(route);
  if (!one) return false;
  const name = decodeURIComponent(one[1]);
  if (!OPENAI_MODELS.includes(name)) throw openaiError(404, `The model '${name}' does not exist`, "model", "model_not_found");
  sendJson(res, 200, modelObject(name));
  return true;
}
