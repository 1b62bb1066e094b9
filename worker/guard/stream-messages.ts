import { isObject, type Json } from "../json";
import type { ResponseGuard } from "./session";
import { deepStrings } from "./json";

/**
 * A Messages `content_block_start` that already carries text, thinking or tool input. Anthropic
 * sends these empty and streams the rest as deltas, but compatible servers may send a block whole
 * here: it goes through the same channels as the deltas (what they hold comes out in a later delta
 * or at `content_block_stop`), tool input as a whole. Null when there is nothing to read.
 */
export function guardBlockStart(guard: ResponseGuard, ev: Json): string | null {
  const block = ev.content_block;
  if (!isObject(block)) return null;
  const out: Json = { ...block };
  let read = false;
  for (const [field, delta] of [["text", "text_delta"], ["thinking", "thinking_delta"]] as const) {
    if (typeof block[field] === "string" && block[field] !== "") {
      out[field] = guard.push(`${String(ev.index)}:${delta}`, block[field] as string);
      read = true;
    }
  }
  if (isObject(block.input) && Object.keys(block.input).length > 0) {
    out.input = deepStrings(block.input, (v) => (typeof v === "string" ? guard.guard.text(v) : v));
    read = true;
  }
  return read ? JSON.stringify({ ...ev, content_block: out }) : null;
}
