import { isObject, type Json } from "../json";
import type { SseOut } from "../pipeline/sse";
import type { ResponseGuard } from "./session";

/** The field of a `….done` event that repeats the whole text, where it is known. */
const DONE_FIELDS: Record<string, string> = {
  "response.custom_tool_call_input": "input",
  "response.mcp_call_arguments": "arguments",
  "response.code_interpreter_call_code": "code",
};
const ID_FIELDS = new Set(["type", "item_id", "response_id", "id", "call_id", "name", "status", "obfuscation"]);

/** The channel of another streamed text; item-level ones share the key item() reads. */
function otherKey(prefix: string, ev: Json): string {
  const i = String(ev.output_index);
  if (prefix === "response.mcp_call_arguments") return `f:${i}`;
  if (prefix === "response.custom_tool_call_input") return `in:${i}`;
  if (prefix === "response.code_interpreter_call_code") return `code:${i}`;
  return `x:${prefix}:${i}:${String(ev.content_index)}`;
}

/**
 * The output guard on the Responses stream's other generated texts: function-call arguments,
 * refusals, reasoning summaries and reasoning text (output_text is guarded beside the watermark
 * in protect-responses.ts). Each has its
 * deltas, a `…done` event with the whole text, and the text again in `output_item.done` and
 * `response.completed`: all carry what the deltas carried, so nothing redacted comes back later.
 */
export class ResponsesGuardExtras {
  /**
   * What the client was sent, per text: `f:<output_index>` (arguments), `r:<output_index>:<content_index>`
   * (refusal), `s:<output_index>:<summary_index>` (reasoning summary), `rt:<output_index>:<content_index>` (reasoning text).
   */
  readonly #sent = new Map<string, string>();

  constructor(private readonly guard: ResponseGuard) {}

  /** The event as the client gets it, or undefined when it is not one of these. */
  event(ev: Json): SseOut | undefined {
    const refusal = `r:${String(ev.output_index)}:${String(ev.content_index)}`;
    const summary = `s:${String(ev.output_index)}:${String(ev.summary_index)}`;
    const reasoning = `rt:${String(ev.output_index)}:${String(ev.content_index)}`;
    switch (ev.type) {
      case "response.reasoning_summary_text.delta":
        return this.#delta(ev, summary);
      case "response.reasoning_summary_text.done":
        return this.#done(ev, summary, "text", "response.reasoning_summary_text");
      case "response.reasoning_summary_part.done":
        return isObject(ev.part) && typeof ev.part.text === "string" ? JSON.stringify({ ...ev, part: { ...ev.part, text: this.#full(summary, ev.part.text) } }) : JSON.stringify(ev);
      case "response.reasoning_text.delta":
        return this.#delta(ev, reasoning);
      case "response.reasoning_text.done":
        return this.#done(ev, reasoning, "text", "response.reasoning_text");
      case "response.function_call_arguments.delta":
        return this.#delta(ev, `f:${String(ev.output_index)}`);
      case "response.refusal.delta":
        return this.#delta(ev, refusal);
      case "response.function_call_arguments.done":
        return this.#done(ev, `f:${String(ev.output_index)}`, "arguments", "response.function_call_arguments");
      case "response.refusal.done":
        return this.#done(ev, refusal, "refusal", "response.refusal");
      default:
        return this.#other(ev);
    }
  }

  /**
   * Any other text a model streams as `<prefix>.delta` with a string `delta` (custom tool input,
   * MCP arguments, code-interpreter code, audio transcripts, and event types added later): its
   * own channel, flushed and put back whole at `<prefix>.done`. Only base64 audio is not text.
   */
  #other(ev: Json): SseOut | undefined {
    const type = typeof ev.type === "string" ? ev.type : "";
    const dot = type.lastIndexOf(".");
    const [prefix, phase] = [type.slice(0, dot), type.slice(dot + 1)];
    if (!type.startsWith("response.") || prefix === "response.output_text" || prefix === "response.audio" || (phase !== "delta" && phase !== "done")) return undefined;
    const key = otherKey(prefix, ev);
    if (phase === "delta") return typeof ev.delta === "string" ? this.#delta(ev, key) : undefined;
    if (!this.#sent.has(key) && !this.guard.open().includes(key)) return undefined;
    const field = DONE_FIELDS[prefix] ?? Object.keys(ev).find((k) => typeof ev[k] === "string" && !ID_FIELDS.has(k));
    if (field) return this.#done(ev, key, field, prefix);
    // A done event without the text (audio transcripts): only what was held goes out before it.
    const rest = this.guard.flush(key);
    const { type: _t, ...ids } = ev;
    return rest ? [{ event: `${prefix}.delta`, data: JSON.stringify({ type: `${prefix}.delta`, ...ids, delta: rest }) }, { event: type, data: JSON.stringify(ev) }] : JSON.stringify(ev);
  }

  /** An `output` array (item.done, completed) with these texts as they were sent. */
  output(output: unknown, firstIndex = 0): unknown {
    if (!Array.isArray(output)) return output;
    return output.map((item: unknown, k: number) => this.item(item, firstIndex + k));
  }

  item(item: unknown, i: number): unknown {
    if (!isObject(item)) return item;
    const out: Json = { ...item };
    if (typeof item.arguments === "string") out.arguments = this.#full(`f:${i}`, item.arguments);
    if (typeof item.input === "string") out.input = this.#full(`in:${i}`, item.input);
    if (typeof item.code === "string") out.code = this.#full(`code:${i}`, item.code);
    if (Array.isArray(item.content)) {
      out.content = item.content.map((part: unknown, j: number) => {
        if (!isObject(part)) return part;
        if (typeof part.refusal === "string") return { ...part, refusal: this.#full(`r:${i}:${j}`, part.refusal) };
        if (part.type === "reasoning_text" && typeof part.text === "string") return { ...part, text: this.#full(`rt:${i}:${j}`, part.text) };
        return part;
      });
    }
    if (Array.isArray(item.summary)) {
      out.summary = item.summary.map((part: unknown, k: number) => (isObject(part) && typeof part.text === "string" ? { ...part, text: this.#full(`s:${i}:${k}`, part.text) } : part));
    }
    return out;
  }

  #delta(ev: Json, key: string): SseOut {
    if (typeof ev.delta !== "string") return this.guard.unreadable(JSON.stringify(ev));
    const text = this.guard.push(key, ev.delta);
    if (!text) return null;
    this.#sent.set(key, (this.#sent.get(key) ?? "") + text);
    return JSON.stringify({ ...ev, delta: text });
  }

  #done(ev: Json, key: string, field: string, prefix: string): SseOut {
    const rest = this.guard.flush(key);
    if (rest) this.#sent.set(key, (this.#sent.get(key) ?? "") + rest);
    const done = JSON.stringify({ ...ev, [field]: this.#full(key, ev[field]) });
    if (!rest) return done;
    const { type: _t, [field]: _f, ...ids } = ev;
    return [
      { event: `${prefix}.delta`, data: JSON.stringify({ type: `${prefix}.delta`, ...ids, delta: rest }) },
      { event: `${prefix}.done`, data: done },
    ];
  }

  /** What the client was sent for this text, or the whole text through the guard when it never came as deltas. */
  #full(key: string, original: unknown): unknown {
    if (this.#sent.has(key)) return this.#sent.get(key);
    return typeof original === "string" ? this.guard.guard.text(original, key.startsWith("f:")) : original;
  }
}
