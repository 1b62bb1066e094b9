import { createTextMarker } from "../protect/text-watermark";
import { isObject, type Json } from "../json";
import type { JsonProtectionContext } from "./protect-json";
import { TextMarkers } from "./text-markers";
import { eventObject } from "./event-json";
import type { TokenUsage } from "../budget/cost";
import { DeliveredTokens } from "./delivered-tokens";

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

  async event(data: string): Promise<string | null> {
    const ev = eventObject(data);
    if (!ev) return data;
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

  /** Completion tokens passed on so far: what a client that hangs up was sent. */
  get completionTokens(): number {
    return this.#delivered.tokens;
  }

  #total(): void {
    const total = this.#input + this.#output;
    if (total > 0) this.runningUsage = { input: this.#input, output: this.#output };
  }

}
