/**
 * The demo origin's agent APIs, answered by the same trigram language model as chat:
 *   POST /v1/responses   OpenAI Responses API (input as text or items, instructions,
 *                        max_output_tokens, temperature, stream with its typed events,
 *                        top_logprobs with include ["message.output_text.logprobs"])
 *   POST /v1/messages    Anthropic Messages API (system, messages with text blocks,
 *                        max_tokens required, stream with Anthropic's events)
 * Stored state (`previous_response_id`, `store`) is not kept: the demo answers each request alone.
 */
import { randomBytes } from "node:crypto";
import { demoLanguageModel, tokenize } from "./language-model.mjs";
import { HttpError, openaiError, readJsonObject, sendJson, sleep, startEventStream } from "./http-util.mjs";

const id = (prefix) => `${prefix}_${randomBytes(12).toString("hex")}`;
const now = () => Math.floor(Date.now() / 1000);

function textOf(content) {
  if (typeof content === "string") return content;
  if (!Array.isArray(content)) return "";
  return content.map((p) => (typeof p?.text === "string" ? p.text : typeof p?.output === "string" ? p.output : "")).join(" ");
}

function intIn(body, key, min, max, fallback, fail) {
  const v = body[key];
  if (v === undefined || v === null) return fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw fail(`'${key}' must be an integer from ${min} to ${max}`, key);
  return v;
}

function numIn(body, key, min, max, fallback, fail) {
  const v = body[key];
  if (v === undefined || v === null) return fallback;
  if (typeof v !== "number" || v < min || v > max) throw fail(`'${key}' must be a number from ${min} to ${max}`, key);
  return v;
}

function sendTyped(res, event, data) {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

const tokenLogprobs = (t) => ({ token: t.token, logprob: t.logprob, bytes: Array.from(Buffer.from(t.token)), top_logprobs: t.top_logprobs.map((a) => ({ token: a.token, logprob: a.logprob, bytes: Array.from(Buffer.from(a.token)) })) });

async function responses(req, res, { tokenDelayMs }) {
  const fail = (m, param) => openaiError(400, m, param);
  const body = await readJsonObject(req, fail);
  if (typeof body.model !== "string" || !body.model) throw fail("you must provide a model parameter", "model");
  const texts = [];
  if (typeof body.instructions === "string") texts.push(body.instructions);
  if (typeof body.input === "string") texts.push(body.input);
  else if (Array.isArray(body.input)) for (const item of body.input) texts.push(textOf(item?.content ?? item?.output));
  else throw fail("'input' must be a string or an array of items", "input");
  const maxTokens = intIn(body, "max_output_tokens", 1, 4096, 100, fail);
  const temperature = numIn(body, "temperature", 0, 2, 1, fail);
  const topLogprobs = intIn(body, "top_logprobs", 0, 20, 0, fail);
  const withLogprobs = Array.isArray(body.include) && body.include.includes("message.output_text.logprobs");
  const promptTokens = texts.flatMap((t) => tokenize(t));
  const r = demoLanguageModel().generate({ promptTokens, maxTokens, temperature, topLogprobs: withLogprobs ? topLogprobs : 0 });
  const usage = { input_tokens: promptTokens.length, input_tokens_details: { cached_tokens: 0 }, output_tokens: r.tokens.length, output_tokens_details: { reasoning_tokens: 0 }, total_tokens: promptTokens.length + r.tokens.length };
  const msgId = id("msg");
  const part = (text) => ({ type: "output_text", text, annotations: [], ...(withLogprobs ? { logprobs: r.tokens.map(tokenLogprobs) } : {}) });
  const item = (text, status) => ({ type: "message", id: msgId, status, role: "assistant", content: text === null ? [] : [part(text)] });
  const response = (status, output, u) => ({
    id: id("resp"), object: "response", created_at: now(), status, model: body.model, output, usage: u,
    instructions: body.instructions ?? null, max_output_tokens: maxTokens, temperature, parallel_tool_calls: true, tool_choice: "auto", tools: [], top_p: 1, error: null, incomplete_details: null,
  });
  if (body.stream !== true) return sendJson(res, 200, response("completed", [item(r.text, "completed")], usage));

  startEventStream(res);
  let seq = 0;
  const send = (type, data) => sendTyped(res, type, { type, sequence_number: seq++, ...data });
  send("response.created", { response: response("in_progress", [], null) });
  send("response.output_item.added", { output_index: 0, item: item(null, "in_progress") });
  send("response.content_part.added", { item_id: msgId, output_index: 0, content_index: 0, part: { type: "output_text", text: "", annotations: [] } });
  for (const t of r.tokens) {
    if (tokenDelayMs > 0) await sleep(tokenDelayMs);
    send("response.output_text.delta", { item_id: msgId, output_index: 0, content_index: 0, delta: t.token, ...(withLogprobs ? { logprobs: [tokenLogprobs(t)] } : {}) });
  }
  send("response.output_text.done", { item_id: msgId, output_index: 0, content_index: 0, text: r.text });
  send("response.content_part.done", { item_id: msgId, output_index: 0, content_index: 0, part: part(r.text) });
  send("response.output_item.done", { output_index: 0, item: item(r.text, "completed") });
  send("response.completed", { response: response("completed", [item(r.text, "completed")], usage) });
  res.end();
}

/** Anthropic's error shape: `{ type: "error", error: { type, message } }`. */
const anthropicError = (status, message) => new HttpError(status, { type: "error", error: { type: "invalid_request_error", message } });

async function messages(req, res, { tokenDelayMs }) {
  const fail = (m) => anthropicError(400, m);
  const body = await readJsonObject(req, fail);
  if (typeof body.model !== "string" || !body.model) throw fail("model: field required");
  if (!Number.isInteger(body.max_tokens) || body.max_tokens < 1) throw fail("max_tokens: field required");
  if (!Array.isArray(body.messages) || body.messages.length === 0) throw fail("messages: at least one message is required");
  const texts = [textOf(body.system), ...body.messages.map((m) => textOf(m?.content))];
  const promptTokens = texts.flatMap((t) => tokenize(t));
  const r = demoLanguageModel().generate({ promptTokens, maxTokens: Math.min(body.max_tokens, 4096), temperature: numIn(body, "temperature", 0, 1, 1, fail) });
  const stopReason = r.finishReason === "length" ? "max_tokens" : "end_turn";
  const head = { id: id("msg"), type: "message", role: "assistant", model: body.model };
  if (body.stream !== true) {
    return sendJson(res, 200, { ...head, content: [{ type: "text", text: r.text }], stop_reason: stopReason, stop_sequence: null, usage: { input_tokens: promptTokens.length, output_tokens: r.tokens.length } });
  }
  startEventStream(res);
  sendTyped(res, "message_start", { type: "message_start", message: { ...head, content: [], stop_reason: null, stop_sequence: null, usage: { input_tokens: promptTokens.length, output_tokens: 1 } } });
  sendTyped(res, "content_block_start", { type: "content_block_start", index: 0, content_block: { type: "text", text: "" } });
  for (const t of r.tokens) {
    if (tokenDelayMs > 0) await sleep(tokenDelayMs);
    sendTyped(res, "content_block_delta", { type: "content_block_delta", index: 0, delta: { type: "text_delta", text: t.token } });
  }
  sendTyped(res, "content_block_stop", { type: "content_block_stop", index: 0 });
  sendTyped(res, "message_delta", { type: "message_delta", delta: { stop_reason: stopReason, stop_sequence: null }, usage: { output_tokens: r.tokens.length } });
  sendTyped(res, "message_stop", { type: "message_stop" });
  res.end();
}

export const AGENT_ROUTES = { "POST /v1/responses": responses, "POST /v1/messages": messages };
