import { isObject, type Json } from "../json";
import type { ResponseGuard } from "./session";

/** Streamed text fields of a chat delta. */
const DELTA_FIELDS = ["content", "refusal", "reasoning_content", "reasoning"] as const;

/**
 * The output guard on one chunk of a chat or completions stream, in place: every generated text
 * goes through its own channel (choice × field × tool call), so a match split across chunks is
 * found; a choice's held tail is flushed into the chunk that finishes it. Logprobs go while the
 * guard enforces: they would show held or redacted tokens early. A text field in a shape the
 * guard cannot read (content as an array of parts, arguments as an object) would pass unchecked:
 * it follows `on_error` like an event that is not JSON.
 */
export function guardChatChunk(guard: ResponseGuard, choices: readonly unknown[]): void {
  for (const choice of choices) {
    if (!isObject(choice)) continue;
    const i = Number(choice.index ?? 0);
    choice.text = text(guard, `${i}:text`, choice.text);
    const delta = isObject(choice.delta) ? (choice.delta = { ...choice.delta }) : null;
    if (delta) {
      for (const f of DELTA_FIELDS) delta[f] = text(guard, `${i}:${f}`, delta[f]);
      if (delta.tool_calls !== undefined && delta.tool_calls !== null && !Array.isArray(delta.tool_calls)) guard.unreadable(null);
      if (Array.isArray(delta.tool_calls)) {
        delta.tool_calls = delta.tool_calls.map((call: unknown) => {
          if (!isObject(call) || !isObject(call.function)) return call;
          return { ...call, function: { ...call.function, arguments: text(guard, `${i}:tool:${String(call.index ?? 0)}`, call.function.arguments) } };
        });
      }
      // The legacy single function call, and the transcript of an audio answer.
      if (isObject(delta.function_call)) delta.function_call = { ...delta.function_call, arguments: text(guard, `${i}:function_call`, delta.function_call.arguments) };
      if (isObject(delta.audio)) delta.audio = { ...delta.audio, transcript: text(guard, `${i}:audio`, delta.audio.transcript) };
      for (const k of Object.keys(delta)) if (delta[k] === undefined) delete delta[k];
    }
    if (choice.text === undefined) delete choice.text;
    if (guard.enforcing && choice.logprobs) choice.logprobs = null;
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) flushChoice(guard, choice, i);
  }
}

/** A streamed text field through its channel; absent stays absent, any other shape follows on_error. */
function text(guard: ResponseGuard, key: string, v: unknown): unknown {
  if (typeof v === "string") return guard.push(key, v);
  if (v !== undefined && v !== null) guard.unreadable(null);
  return v;
}

/** Appends what the choice's channels still hold to the chunk that finishes it. */
function flushChoice(guard: ResponseGuard, choice: Json, i: number): void {
  for (const key of guard.open().filter((k) => k.startsWith(`${i}:`))) {
    const rest = guard.flush(key);
    if (rest) place(choice, key.slice(`${i}:`.length), rest);
  }
}

/** Puts a channel's held text where its field goes in a chunk's choice. */
function place(choice: Json, field: string, rest: string): void {
  if (field === "text") {
    choice.text = String(choice.text ?? "") + rest;
    return;
  }
  const delta: Json = isObject(choice.delta) ? choice.delta : (choice.delta = {});
  if (field.startsWith("tool:")) {
    const calls = Array.isArray(delta.tool_calls) ? [...delta.tool_calls] : [];
    calls.push({ index: Number(field.slice(5)), function: { arguments: rest } });
    delta.tool_calls = calls;
  } else if (field === "function_call") {
    const call: Json = isObject(delta.function_call) ? delta.function_call : {};
    delta.function_call = { ...call, arguments: String(call.arguments ?? "") + rest };
  } else if (field === "audio") {
    const audio: Json = isObject(delta.audio) ? delta.audio : {};
    delta.audio = { ...audio, transcript: String(audio.transcript ?? "") + rest };
  } else delta[field] = String(delta[field] ?? "") + rest;
}

/**
 * At `[DONE]`: texts still open (an origin that never sent finish_reason) are flushed into one
 * last chunk shaped like the stream's own; null when nothing was held.
 */
export function guardChatEnd(guard: ResponseGuard, last: Json | null): string | null {
  const keys = guard.open();
  if (keys.length === 0) return null;
  const byChoice = new Map<number, Json>();
  for (const key of keys) {
    const i = Number(key.split(":")[0]);
    const choice = byChoice.get(i) ?? { index: i, finish_reason: null };
    byChoice.set(i, choice);
    const rest = guard.flush(key);
    if (rest) place(choice, key.slice(key.indexOf(":") + 1), rest);
  }
  const choices = [...byChoice.values()].filter((c) => c.text !== undefined || c.delta !== undefined);
  if (choices.length === 0) return null;
  const { id, object, created, model, system_fingerprint } = last ?? {};
  return JSON.stringify({ id, object, created, model, ...(system_fingerprint ? { system_fingerprint } : {}), choices });
}
