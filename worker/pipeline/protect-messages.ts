import { createTextMarker } from "../protect/text-watermark";
import { isObject, type Json } from "../json";
import type { JsonProtectionContext } from "./protect-json";
import { TextMarkers } from "./text-markers";
import { eventObject } from "./event-json";
import type { TokenUsage } from "../budget/cost";
import { DeliveredTokens } from "./delivered-tokens";
import type { SseOut } from "./sse";
import { guardBlockStart } from "../guard/stream-messages";

/** Streamed delta types whose text the output guard reads, and the field that holds it. */
const GUARDED_DELTAS: Record<string, string> = { text_delta: "text", input_json_delta: "partial_json", thinking_delta: "thinking" };

/**
 * Output protection of the Anthropic Messages API (`/v1/messages`): the text watermark on text
 * blocks, and usage for settlement. Anthropic reports input tokens in `message_start` and the
 * running output count in `message_delta`, never a total: Warden adds them.
 */
const count = (v: unknown): number => (typeof v === "number" && Number.isFinite(v) && v > 0 ? v : 0);

export async function protectMessagesJson(json: Json, ctx: JsonProtectionContext): Promise<Json> {
  if (!ctx.model.protection.text_watermark || !Array.isArray(json.content)) return json;
  const key = await ctx.keys.text();
  const content = await Promise.all(
    json.content.map(async (block: unknown) => {
      if (!isObject(block) || block.type !== "text" || typeof block.text !== "string") return block;
      return { ...block, text: await (await createTextMarker(key, ctx.principal, Date.now())).push(block.text) };
    }),
  );
  return { ...json, content };
}

export class MessagesStreamProtector {
  /** Anthropic sends no final total: the last running one stands for it. */
  readonly finalUsage = null;
  /** Input + output tokens as `message_start` and the latest `message_delta` report them. */
  runningUsage: TokenUsage | null = null;
  readonly #delivered = new DeliveredTokens();
  #input = 0;
  #output = 0;
  readonly #markers: TextMarkers<number>;

  constructor(private readonly ctx: JsonProtectionContext) {
    this.#markers = new TextMarkers(ctx);
  }

  async event(data: string): Promise<SseOut> {
    const ev = eventObject(data);
    const guard = this.ctx.guard;
    if (!ev) return guard ? guard.unreadable(data) : data;
    if (guard && ev.type === "content_block_start") return guardBlockStart(guard, ev) ?? data;
    if (guard && ev.type === "content_block_delta" && isObject(ev.delta) && typeof ev.delta.type === "string" && GUARDED_DELTAS[ev.delta.type]) {
      // The output guard first (it may hold the tail back), then the watermark on what passes.
      const field = GUARDED_DELTAS[ev.delta.type]!;
      const piece = ev.delta[field];
      if (typeof piece !== "string") return guard.unreadable(data);
      if (field === "text") this.#delivered.add(piece);
      const text = guard.push(`${String(ev.index)}:${ev.delta.type}`, piece);
      return text ? this.#delta(ev.index, ev.delta.type, text) : null;
    }
    if (guard && ev.type === "content_block_stop") {
      const out: Array<{ event: string; data: string }> = [];
      for (const type of Object.keys(GUARDED_DELTAS)) {
        const rest = guard.flush(`${String(ev.index)}:${type}`);
        if (rest) out.push({ event: "content_block_delta", data: await this.#delta(ev.index, type, rest) });
      }
      return out.length ? [...out, { event: "content_block_stop", data }] : data;
    }
    if (ev.type === "message_start" && isObject(ev.message) && isObject(ev.message.usage)) {
      const u = ev.message.usage;
      this.#input = count(u.input_tokens) + count(u.cache_creation_input_tokens) + count(u.cache_read_input_tokens);
      this.#output = count(u.output_tokens);
      this.#total();
    } else if (ev.type === "message_delta" && isObject(ev.usage)) {
      // Output tokens here are cumulative; input may be restated (and then replaces ours).
      if (typeof ev.usage.input_tokens === "number") this.#input = count(ev.usage.input_tokens) + count(ev.usage.cache_creation_input_tokens) + count(ev.usage.cache_read_input_tokens);
      this.#output = Math.max(this.#output, count(ev.usage.output_tokens));
      this.#total();
    } else if (ev.type === "content_block_delta" && isObject(ev.delta) && ev.delta.type === "text_delta" && typeof ev.delta.text === "string") {
      this.#delivered.add(ev.delta.text);
      if (this.ctx.model.protection.text_watermark) {
        const marker = await this.#markers.get(Number(ev.index ?? 0));
        return JSON.stringify({ ...ev, delta: { ...ev.delta, text: await marker.push(ev.delta.text) } });
      }
    }
    return data;
  }

  /** A guarded delta event as the client gets it (text watermarked). */
  async #delta(index: unknown, type: string, text: string): Promise<string> {
    const field = GUARDED_DELTAS[type]!;
    const value = type === "text_delta" && this.ctx.model.protection.text_watermark ? await (await this.#markers.get(Number(index ?? 0))).push(text) : text;
    return JSON.stringify({ type: "content_block_delta", index, delta: { type, [field]: value } });
  }

  /** Completion tokens passed on so far: what a client that hangs up was sent. */
  get completionTokens(): number {
    return this.#delivered.tokens;
  }

  #total(): void {
    const total = this.#input + this.#output;
    if (total > 0) this.runningUsage = { input: this.#input, output: this.#output };
  }

}
