import { reportedTotalTokens } from "../protocols/openai";
import { protectLogprobsResponse } from "../protect/logprobs";
import { planFor } from "../protect/probabilities";
import { createTextMarker, type TextMarker } from "../protect/text-watermark";
import type { JsonProtectionContext } from "./protect-json";
import type { PositionNoise } from "../protect/keyed-noise";

type Chunk = { usage?: unknown; choices?: Array<Record<string, unknown>> } & Record<string, unknown>;

/**
 * Per-event protection of an OpenAI stream: reads usage, hides usage Warden asked for, caps and
 * perturbs logprobs, and watermarks text deltas with one marker per choice index so the mark is
 * the same whatever the chunking.
 */
export class StreamProtector {
  totalTokens: number | null = null;
  readonly #markers = new Map<number, Promise<TextMarker>>();
  #positionNoise: Promise<PositionNoise> | null = null;

  constructor(private readonly ctx: JsonProtectionContext, private readonly injectedUsage: boolean) {}

  /** One keyed position sequence per stream: positions arrive in order, chunk after chunk. */
  #noise(): Promise<PositionNoise> {
    return (this.#positionNoise ??= this.ctx.keys.positionNoise(this.ctx.request));
  }

  #marker(index: number): Promise<TextMarker> {
    let marker = this.#markers.get(index);
    if (!marker) {
      marker = this.ctx.keys.text().then((key) => createTextMarker(key, this.ctx.principal, Date.now()));
      this.#markers.set(index, marker);
    }
    return marker;
  }

  async event(data: string): Promise<string | null> {
    if (data === "[DONE]") return data;
    let chunk: Chunk | null;
    try {
      chunk = JSON.parse(data) as Chunk | null;
    } catch {
      return data;
    }
    if (chunk === null || typeof chunk !== "object") return data;
    const tokens = reportedTotalTokens(chunk);
    if (tokens !== null) this.totalTokens = tokens;
    let changed = false;
    if (this.injectedUsage && "usage" in chunk) {
      // Usage Warden asked for on the client's behalf: drop the usage-only chunk, and the
      // `"usage": null` the origin then adds to every other chunk.
      if (Array.isArray(chunk.choices) && chunk.choices.length === 0) return null;
      delete chunk.usage;
      changed = true;
    }
    if (!Array.isArray(chunk.choices)) return changed ? JSON.stringify(chunk) : data;
    const p = this.ctx.model.protection;
    if (chunk.choices.some((ch) => ch.logprobs)) {
      const plan = planFor(p.probabilities, this.ctx.degraded);
      chunk = await protectLogprobsResponse(chunk, { maxTopLogprobs: p.logprobs.max_top_logprobs, plan, ...(plan.steps.length ? { noise: await this.#noise() } : {}) });
      changed = true;
    }
    if (p.text_watermark) {
      for (const choice of chunk.choices ?? []) {
        const delta = choice.delta as Record<string, unknown> | undefined;
        const hasText = (delta && typeof delta.content === "string") || typeof choice.text === "string";
        if (!hasText) continue;
        const marker = await this.#marker(Number(choice.index ?? 0));
        if (delta && typeof delta.content === "string") {
          choice.delta = { ...delta, content: await marker.push(delta.content) };
          changed = true;
        } else if (typeof choice.text === "string") {
          choice.text = await marker.push(choice.text);
          changed = true;
        }
      }
    }
    return changed ? JSON.stringify(chunk) : data;
  }
}
