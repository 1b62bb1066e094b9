import { reportedUsage } from "../protocols/usage";
import { chargeTokens, type Charge, type TokenUsage } from "../budget/cost";
import { DeliveredTokens } from "./delivered-tokens";
import { protectLogprobsResponse } from "../protect/logprobs";
import { planFor } from "../protect/probabilities";
import type { JsonProtectionContext } from "./protect-json";
import { TextMarkers } from "./text-markers";
import type { PositionNoise } from "../protect/keyed-noise";
import type { SseOut } from "./sse";
import { guardChatChunk, guardChatEnd } from "../guard/stream-chat";
import { isObject, type Json } from "../json";

/**
 * A chunk of a chat or completions stream as Warden reads it: the event's data when it is a JSON
 * object or array (an array is a chunk without choices), else null (not JSON, or a scalar).
 * Everything inside is read field by field, each checked where it is read.
 */
function parseChunk(data: string): Json | unknown[] | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch {
    return null;
  }
  return Array.isArray(parsed) || isObject(parsed) ? parsed : null;
}

/** A chunk's choices, when they are a list; each one is read only if it is an object. */
const choicesOf = (chunk: Json): unknown[] | null => (Array.isArray(chunk.choices) ? chunk.choices : null);

/** Generated text in one streamed choice: content, refusal, reasoning, tool-call arguments, or a completion's text. */
function generatedText(choice: Record<string, unknown>): string {
  let text = typeof choice.text === "string" ? choice.text : "";
  const delta = choice.delta;
  if (isObject(delta)) {
    for (const f of ["content", "refusal", "reasoning_content", "reasoning"]) if (typeof delta[f] === "string") text += delta[f];
    if (Array.isArray(delta.tool_calls)) {
      for (const call of delta.tool_calls) {
        const args = isObject(call) && isObject(call.function) ? call.function.arguments : undefined;
        if (typeof args === "string") text += args;
      }
    }
  }
  return text;
}

/** What a stream has shown of its size so far (a bare number: a total whose split is unknown). */
export interface StreamTally {
  /** Tokens of the origin's final usage chunk (`choices: []`), once it has passed. */
  finalUsage: Charge | null;
  /** The latest usage the origin reported on a chunk that also carried choices. */
  runningUsage: Charge | null;
  /** Upper bound of the prompt (the reservation's prompt part). */
  promptTokens: number;
  /** Completion tokens passed on to the client. */
  completionTokens: number;
}

/**
 * What a stream is charged, before the cap at its reservation. The origin's usage when it came;
 * otherwise what passed through Warden: the prompt bound plus the completion tokens counted. A
 * stream cut short (client gone, origin broke off) is charged at least that even when a running
 * usage said less. Never 0 for a stream that was forwarded: hanging up is not a way to be free.
 */
export function streamCharge(t: StreamTally, complete: boolean): number {
  return chargeTokens(streamUsage(t, complete));
}

/**
 * The same charge with its split for pricing: the origin's usage as it reported it, or the prompt
 * bound as input and the counted completion tokens as output; cut short, whichever is larger.
 */
export function streamUsage(t: StreamTally, complete: boolean): Charge {
  const counted = { input: t.promptTokens, output: t.completionTokens };
  if (t.finalUsage !== null) return t.finalUsage;
  if (complete) return t.runningUsage ?? counted;
  return t.runningUsage !== null && chargeTokens(t.runningUsage) > chargeTokens(counted) ? t.runningUsage : counted;
}

/** What reads a text stream event by event (chat, Responses and Messages streams each have one). */
export interface TextStreamProtector {
  event(data: string): Promise<SseOut>;
  /** The origin's final usage, once it has passed. */
  readonly finalUsage: TokenUsage | null;
  /** The latest running usage an origin reported. */
  readonly runningUsage: TokenUsage | null;
  /** Completion tokens passed on so far. */
  readonly completionTokens: number;
}

/**
 * Per-event protection of an OpenAI stream: reads usage, hides usage Warden asked for, caps and
 * perturbs logprobs, and watermarks text deltas with one marker per choice index so the mark is
 * the same whatever the chunking.
 */
export class StreamProtector implements TextStreamProtector {
  /** Tokens of the origin's final usage chunk (`choices: []`), once it has passed. */
  finalUsage: TokenUsage | null = null;
  /** The latest usage an origin reported on a chunk that also carried choices (running usage). */
  runningUsage: TokenUsage | null = null;
  readonly #delivered = new DeliveredTokens();
  readonly #markers: TextMarkers<number>;
  #positionNoise: Promise<PositionNoise> | null = null;
  /** The latest chunk, as the shape of a last chunk the output guard may have to add. */
  #last: Json | null = null;

  constructor(private readonly ctx: JsonProtectionContext, private readonly injectedUsage: boolean) {
    this.#markers = new TextMarkers(ctx);
  }

  /** One keyed position sequence per stream: positions arrive in order, chunk after chunk. */
  #noise(): Promise<PositionNoise> {
    return (this.#positionNoise ??= this.ctx.keys.positionNoise(this.ctx.request));
  }


  /**
   * Completion tokens passed on so far: each chunk with generated text holds at least one, and a
   * chunk holding several is counted by its bytes.
   */
  get completionTokens(): number {
    return this.#delivered.tokens;
  }

  #count(choices: readonly unknown[]): void {
    for (const choice of choices) {
      if (!isObject(choice)) continue;
      this.#delivered.add(generatedText(choice));
    }
  }

  async event(data: string): Promise<SseOut> {
    const guard = this.ctx.guard;
    if (data === "[DONE]") {
      const rest = guard ? guardChatEnd(guard, this.#last) : null;
      return rest ? [{ data: rest }, { data }] : data;
    }
    let chunk = parseChunk(data);
    if (chunk === null) return guard ? guard.unreadable(data) : data;
    // A JSON array carries no choices and no usage: it passes as it came.
    if (Array.isArray(chunk)) return data;
    let choices = choicesOf(chunk);
    const tokens = reportedUsage(chunk);
    if (tokens !== null) {
      if (choices && choices.length > 0) this.runningUsage = tokens;
      else this.finalUsage = tokens;
    }
    if (choices) this.#count(choices);
    let changed = false;
    if (this.injectedUsage && "usage" in chunk) {
      // Usage Warden asked for on the client's behalf: drop the usage-only chunk, and the
      // `"usage": null` the origin then adds to every other chunk.
      if (choices && choices.length === 0) return null;
      delete chunk.usage;
      changed = true;
    }
    if (!choices) return changed ? JSON.stringify(chunk) : data;
    if (guard) {
      this.#last = chunk;
      guardChatChunk(guard, choices);
      changed = true;
    }
    const p = this.ctx.model.protection;
    if (choices.some((ch) => isObject(ch) && ch.logprobs)) {
      const plan = planFor(p.probabilities, this.ctx.degraded);
      chunk = await protectLogprobsResponse(chunk, { maxTopLogprobs: p.logprobs.max_top_logprobs, plan, ...(plan.steps.length ? { noise: await this.#noise() } : {}) });
      choices = choicesOf(chunk);
      changed = true;
    }
    if (p.text_watermark) {
      for (const choice of choices ?? []) {
        if (!isObject(choice)) continue;
        const delta = isObject(choice.delta) ? choice.delta : undefined;
        const hasText = (delta && typeof delta.content === "string") || typeof choice.text === "string";
        if (!hasText) continue;
        const marker = await this.#markers.get(Number(choice.index ?? 0));
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
