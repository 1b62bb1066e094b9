import { isObject, type Json } from "../json";
import type { OutputGuard } from "./guard";
import type { GuardDialect } from "./dialect";

/**
 * The output guard on a whole JSON answer: every text the model generated, by protocol — chat
 * contents (string or parts), refusals, reasoning, tool-call and function-call arguments, audio
 * transcripts; completion texts;
 * Responses output_text, refusals, reasoning summaries and function-call arguments; Messages text,
 * thinking and tool_use input. Runs before the text watermark, so the mark goes on the text the
 * client gets and never splits a match. A choice whose text changed loses its logprobs: their
 * tokens would spell out what was redacted.
 */
export function guardJson(json: Json, dialect: GuardDialect, guard: OutputGuard): Json {
  const t = (v: unknown) => (typeof v === "string" ? guard.text(v) : v);
  /** Arguments are JSON text: read with their escapes decoded. */
  const args = (v: unknown) => (typeof v === "string" ? guard.text(v, true) : deepStrings(v, t));
  return dialect.answer(json, t, args);
}

export type Edit = (v: unknown) => unknown;

/** A chat or completions answer: its choices. */
export function chatAnswer(json: Json, t: Edit, args: Edit): Json {
  return Array.isArray(json.choices) ? { ...json, choices: json.choices.map((c: unknown) => (isObject(c) ? guardChoice(c, t, args) : c)) } : json;
}

/** A Responses answer: its output items and the `output_text` convenience member. */
export function responsesAnswer(json: Json, t: Edit, args: Edit): Json {
  const out: Json = { ...json };
  if (Array.isArray(json.output)) out.output = json.output.map((item: unknown) => (isObject(item) ? guardResponseItem(item, t, args) : item));
  if (typeof json.output_text === "string") out.output_text = t(json.output_text);
  return out;
}

/** A Messages answer: its content blocks. */
export function messagesAnswer(json: Json, t: Edit): Json {
  return Array.isArray(json.content) ? { ...json, content: json.content.map((b: unknown) => (isObject(b) ? guardMessageBlock(b, t) : b)) } : json;
}

function guardChoice(choice: Json, t: Edit, args: Edit): Json {
  const out: Json = { ...choice };
  if (typeof choice.text === "string") out.text = t(choice.text);
  if (isObject(choice.message)) {
    const m: Json = { ...choice.message };
    if (typeof m.content === "string") m.content = t(m.content);
    else if (Array.isArray(m.content)) m.content = m.content.map((p: unknown) => (isObject(p) ? { ...p, ...(typeof p.text === "string" ? { text: t(p.text) } : {}), ...(typeof p.refusal === "string" ? { refusal: t(p.refusal) } : {}) } : p));
    for (const f of ["refusal", "reasoning_content", "reasoning"]) if (typeof m[f] === "string") m[f] = t(m[f]);
    // Arguments are a JSON string by the API; some servers send an object: every string in it.
    if (Array.isArray(m.tool_calls)) m.tool_calls = m.tool_calls.map((call: unknown) => (isObject(call) && isObject(call.function) ? { ...call, function: { ...call.function, arguments: args(call.function.arguments) } } : call));
    if (isObject(m.function_call)) m.function_call = { ...m.function_call, arguments: args(m.function_call.arguments) };
    if (isObject(m.audio) && typeof m.audio.transcript === "string") m.audio = { ...m.audio, transcript: t(m.audio.transcript) };
    out.message = m;
  }
  if (out.logprobs && JSON.stringify(out) !== JSON.stringify(choice)) out.logprobs = null;
  return out;
}

function guardResponseItem(item: Json, t: Edit, args: Edit): Json {
  const out: Json = { ...item };
  if (Array.isArray(item.content)) {
    out.content = item.content.map((part: unknown) => {
      if (!isObject(part)) return part;
      const p: Json = { ...part };
      if (typeof p.text === "string") p.text = t(p.text);
      if (typeof p.refusal === "string") p.refusal = t(p.refusal);
      if (p.logprobs && p.text !== part.text) p.logprobs = [];
      return p;
    });
  }
  if (Array.isArray(item.summary)) out.summary = item.summary.map((s: unknown) => (isObject(s) && typeof s.text === "string" ? { ...s, text: t(s.text) } : s));
  if (typeof item.arguments === "string") out.arguments = args(item.arguments);
  if (typeof item.input === "string") out.input = t(item.input);
  if (typeof item.code === "string") out.code = t(item.code);
  return out;
}

function guardMessageBlock(block: Json, t: Edit): Json {
  const out: Json = { ...block };
  if (typeof block.text === "string") out.text = t(block.text);
  if (typeof block.thinking === "string") out.thinking = t(block.thinking);
  if (block.input !== undefined) out.input = deepStrings(block.input, t);
  return out;
}

/** Every string inside a JSON value (tool input), keys left alone. */
export function deepStrings(v: unknown, t: Edit): unknown {
  if (typeof v === "string") return t(v);
  if (Array.isArray(v)) return v.map((x) => deepStrings(x, t));
  if (isObject(v)) return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, deepStrings(x, t)]));
  return v;
}
