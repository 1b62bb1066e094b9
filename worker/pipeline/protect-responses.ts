import { createTextMarker } from "../protect/text-watermark";
import { protectTokenLogprobs } from "../protect/logprobs";
import type { PositionNoise } from "../protect/keyed-noise";
import { planFor } from "../protect/probabilities";
import { isObject, type Json } from "../json";
import { usageSplit } from "../protocols/usage";
import type { TokenUsage } from "../budget/cost";
import type { JsonProtectionContext } from "./protect-json";
import { TextMarkers } from "./text-markers";
import { eventObject } from "./event-json";
import { DeliveredTokens } from "./delivered-tokens";
import type { SseOut } from "./sse";
import { ResponsesGuardExtras } from "../guard/stream-responses";

/**
 * Output protection of the OpenAI Responses API (`/v1/responses`): the text watermark on every
 * `output_text` part, the cap and noise on their `logprobs` (as chat's), and usage for settlement — on whole
 * answers and on the typed event stream, where the full text comes back in the `…done` events
 * and in `response.completed` and must match the marked deltas the client already has.
 */

/**
 * An output_text part's logprobs, capped and perturbed with the model's plan (the stronger plan for
 * a degraded principal), keyed per position as chat's. Without `noise` the list is a whole one and
 * gets its own sequence from the first position — so the full list a stream repeats in its done
 * events gets the noise its deltas got.
 */
async function protectPartLogprobs(logprobs: unknown, ctx: JsonProtectionContext, where: string, noise?: () => Promise<PositionNoise>): Promise<unknown> {
  const p = ctx.model.protection;
  const plan = planFor(p.probabilities, ctx.degraded);
  const keyed = plan.steps.length ? { noise: await (noise ? noise() : ctx.keys.positionNoise(ctx.request)) } : {};
  return protectTokenLogprobs(logprobs, { maxTopLogprobs: p.logprobs.max_top_logprobs, plan, ...keyed }, where);
}

type PartEdit = (part: Json, outputIndex: number, contentIndex: number) => Promise<Json>;

/** Applies `edit` to every output_text part of a response's `output` items. */
async function eachOutputText(output: unknown, edit: PartEdit): Promise<unknown> {
  if (!Array.isArray(output)) return output;
  return Promise.all(output.map(async (item: unknown, i: number) => (isObject(item) ? itemOutputText(item, i, edit) : item)));
}

/** Applies `edit` to every output_text part of one output item (the `i`th). */
async function itemOutputText(item: Json, i: number, edit: PartEdit): Promise<Json> {
  if (!Array.isArray(item.content)) return item;
  const content = await Promise.all(item.content.map((part: unknown, j: number) => (isObject(part) && part.type === "output_text" ? edit(part, i, j) : part)));
  return { ...item, content };
}

export async function protectResponsesJson(json: Json, ctx: JsonProtectionContext): Promise<Json> {
  const p = ctx.model.protection;
  const key = p.text_watermark ? await ctx.keys.text() : null;
  const output = await eachOutputText(json.output, async (part, i, j) => {
    const out: Json = { ...part };
    if ("logprobs" in out) out.logprobs = await protectPartLogprobs(out.logprobs, ctx, `${i}:${j}`);
    if (key && typeof out.text === "string") out.text = await (await createTextMarker(key, ctx.principal, Date.now())).push(out.text);
    return out;
  });
  return { ...json, output };
}

/** Event-by-event protection of a Responses stream; `totalTokens` once `response.completed` told it. */
export class ResponsesStreamProtector {
  /** Tokens of `response.completed` (or incomplete/failed), once it has passed. */
  finalUsage: TokenUsage | null = null;
  /** The Responses API reports usage only at the end. */
  readonly runningUsage = null;
  readonly #delivered = new DeliveredTokens();
  readonly #markers: TextMarkers<string>;
  readonly #texts = new Map<string, string>();
  #positionNoise: Promise<PositionNoise> | null = null;
  readonly #extras: ResponsesGuardExtras | null;

  constructor(private readonly ctx: JsonProtectionContext) {
    this.#markers = new TextMarkers(ctx);
    this.#extras = ctx.guard ? new ResponsesGuardExtras(ctx.guard) : null;
  }

  async event(data: string): Promise<SseOut> {
    const ev = eventObject(data);
    const guard = this.ctx.guard;
    if (!ev) return guard ? guard.unreadable(data) : data;
    const p = this.ctx.model.protection;
    const where = `${String(ev.output_index)}:${String(ev.content_index)}`;
    const extra = this.#extras?.event(ev);
    if (extra !== undefined) return extra;
    switch (ev.type) {
      case "response.output_text.delta": {
        if (typeof ev.delta === "string") this.#delivered.add(ev.delta);
        if (!guard || typeof ev.delta !== "string") return this.#delta(ev, where);
        // The output guard first (it may hold the tail back), then the watermark on what passes.
        const text = guard.push(`t:${where}`, ev.delta);
        return text ? this.#delta({ ...ev, delta: text, ...(guard.enforcing && "logprobs" in ev ? { logprobs: [] } : {}) }, where) : null;
      }
      case "response.output_text.done": {
        // What the guard still held goes out as a last delta, before the full text that includes it.
        const rest = guard ? guard.flush(`t:${where}`) : "";
        const tail = rest ? await this.#delta({ type: "response.output_text.delta", output_index: ev.output_index, content_index: ev.content_index, item_id: ev.item_id, delta: rest }, where) : null;
        const done = JSON.stringify({ ...ev, text: this.#full(where, ev.text), ...("logprobs" in ev ? { logprobs: await protectPartLogprobs(ev.logprobs, this.ctx, where) } : {}) });
        return tail ? [{ event: "response.output_text.delta", data: tail }, { event: "response.output_text.done", data: done }] : done;
      }
      case "response.content_part.done":
        return isObject(ev.part) && ev.part.type === "output_text" ? JSON.stringify({ ...ev, part: await this.#part(ev.part, where) }) : data;
      case "response.output_item.done": {
        if (!isObject(ev.item)) return data;
        const item = await this.#item(ev.item, Number(ev.output_index));
        return JSON.stringify({ ...ev, item: this.#extras ? this.#extras.item(item, Number(ev.output_index)) : item });
      }
      case "response.completed":
      case "response.incomplete":
      case "response.failed": {
        if (!isObject(ev.response)) return data;
        this.finalUsage = usageSplit(ev.response.usage) ?? this.finalUsage;
        const output = await eachOutputText(ev.response.output, async (part, i, j) => this.#part(part, `${i}:${j}`));
        return JSON.stringify({ ...ev, response: { ...ev.response, output: this.#extras ? this.#extras.output(output) : output } });
      }
      default:
        return data;
    }
  }

  /** Completion tokens passed on so far: what a client that hangs up was sent. */
  get completionTokens(): number {
    return this.#delivered.tokens;
  }

  /** A text delta as the client gets it: logprobs capped, watermarked, and kept for the full-text events. */
  async #delta(ev: Json, where: string): Promise<string> {
    const p = this.ctx.model.protection;
    const out: Json = { ...ev };
    if ("logprobs" in out) out.logprobs = await protectPartLogprobs(out.logprobs, this.ctx, where, () => this.#noise());
    if (p.text_watermark && typeof ev.delta === "string") out.delta = await (await this.#markers.get(where)).push(ev.delta);
    if ((p.text_watermark || this.ctx.guard) && typeof out.delta === "string") this.#texts.set(where, (this.#texts.get(where) ?? "") + out.delta);
    return JSON.stringify(out);
  }

  /**
   * The text the client was sent for this part: the marked (and guarded) deltas, when there were
   * any; a text never streamed as deltas goes through the output guard whole.
   */
  #full(where: string, original: unknown): unknown {
    const guard = this.ctx.guard;
    if ((this.ctx.model.protection.text_watermark || guard) && this.#texts.has(where)) return this.#texts.get(where);
    return guard && typeof original === "string" ? guard.guard.text(original) : original;
  }

  async #part(part: Json, where: string): Promise<Json> {
    const out: Json = { ...part, text: this.#full(where, part.text) };
    if ("logprobs" in out) out.logprobs = await protectPartLogprobs(out.logprobs, this.ctx, where);
    return out;
  }

  /** One keyed position sequence per stream for the deltas, which arrive in order. */
  #noise(): Promise<PositionNoise> {
    return (this.#positionNoise ??= this.ctx.keys.positionNoise(this.ctx.request));
  }

  async #item(item: Json, outputIndex: number): Promise<Json> {
    return itemOutputText(item, outputIndex, async (part, _i, j) => this.#part(part, `${outputIndex}:${j}`));
  }
}
