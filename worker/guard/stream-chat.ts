import { isObject, type Json } from "../json";
import type { ResponseGuard } from "./session";

/** Streamed text fields of a chat delta. */
const DELTA_FIELDS = ["content", "refusal", "reasoning_content", "reasoning"] as const;

/**
 * The output guard on one chunk of a chat or completions stream, in place: every generated text
 * goes through its own channel (choice × field × tool call), so a match split across chunks is
 * found; a choice's held tail is flushed into the chunk that finishes it. Logprobs go while the
 * guard enforces: they would show held or redacted tokens early.
 */
export function guardChatChunk(guard: ResponseGuard, choices: Array<Record<string, unknown>>): void {
  for (const choice of choices) {
    if (!isObject(choice)) continue;
    const i = Number(choice.index ?? 0);
    if (typeof choice.text === "string") choice.text = guard.push(`${i}:text`, choice.text);
    const delta = isObject(choice.delta) ? (choice.delta = { ...choice.delta }) : null;
    if (delta) {
      for (const f of DELTA_FIELDS) if (typeof delta[f] === "string") delta[f] = guard.push(`${i}:${f}`, delta[f] as string);
      if (Array.isArray(delta.tool_calls)) {
        delta.tool_calls = delta.tool_calls.map((call: unknown) => {
          if (!isObject(call) || !isObject(call.function) || typeof call.function.arguments !== "string") return call;
          return { ...call, function: { ...call.function, arguments: guard.push(`${i}:tool:${String(call.index ?? 0)}`, call.function.arguments) } };
        });
      }
    }
    if (guard.enforcing && choice.logprobs) choice.logprobs = null;
    if (choice.finish_reason !== null && choice.finish_reason !== undefined) flushChoice(guard, choice, i);
  }
}

/** Appends what the choice's channels still hold to the chunk that finishes it. */
function flushChoice(guard: ResponseGuard, choice: Json, i: number): void {
  for (const key of guard.open().filter((k) => k.startsWith(`${i}:`))) {
    const rest = guard.flush(key);
    if (!rest) continue;
    const field = key.slice(`${i}:`.length);
    if (field === "text") {
      choice.text = String(choice.text ?? "") + rest;
      continue;
    }
    const delta: Json = isObject(choice.delta) ? choice.delta : (choice.delta = {});
    if (field.startsWith("tool:")) {
      const index = Number(field.slice(5));
      const calls = Array.isArray(delta.tool_calls) ? [...delta.tool_calls] : [];
      calls.push({ index, function: { arguments: rest } });
      delta.tool_calls = calls;
    } else delta[field] = String(delta[field] ?? "") + rest;
  }
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
    if (!rest) continue;
    const field = key.slice(key.indexOf(":") + 1);
    if (field === "text") choice.text = String(choice.text ?? "") + rest;
    else {
      const delta: Json = isObject(choice.delta) ? choice.delta : (choice.delta = {});
      if (field.startsWith("tool:")) delta.tool_calls = [...((delta.tool_calls as unknown[]) ?? []), { index: Number(field.slice(5)), function: { arguments: rest } }];
      else delta[field] = String(delta[field] ?? "") + rest;
    }
  }
  const choices = [...byChoice.values()].filter((c) => c.text !== undefined || c.delta !== undefined);
  if (choices.length === 0) return null;
  const { id, object, created, model, system_fingerprint } = last ?? {};
  return JSON.stringify({ id, object, created, model, ...(system_fingerprint ? { system_fingerprint } : {}), choices });
}
