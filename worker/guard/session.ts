import type { Context } from "hono";
import type { DataEnv } from "../context";
import type { Model } from "../config/model";
import type { Json } from "../json";
import { problemBody } from "../errors";
import { dialectFor } from "../protocols/error-dialects";
import { log } from "../log";
import { OutputGuard } from "./guard";
import { effectiveGuard } from "./policy";
import { guardJson } from "./json";
import { GuardUnavailable, OutputBlocked, rejection } from "./errors";
import { recordGuard } from "./accounting";
import type { GuardChannel } from "./channel";
import { takeInputCounts } from "./input";
import type { GuardDialect } from "./dialect";

/** One answer's output guard, bound to its request: JSON answers, stream texts, the end-of-answer counts. */
export class ResponseGuard {
  readonly #channels = new Map<string, GuardChannel>();
  #finished = false;

  constructor(readonly guard: OutputGuard, private readonly c: Context<DataEnv>, private readonly dialect: GuardDialect, private readonly model: string) {}

  /** Any category that changes the text: streams hold a tail back, logprobs go. */
  get enforcing(): boolean {
    return this.guard.enforcing;
  }

  /** A whole JSON answer; throws WardenError output_rejected (block, or a failing detector closed). */
  json(json: Json): Json {
    try {
      return guardJson(json, this.dialect, this.guard);
    } catch (err) {
      throw isGuardError(err) ? rejection(err) : err;
    } finally {
      this.finish();
    }
  }

  /** A piece of the streamed text `key`: what to pass on now. */
  push(key: string, text: string): string {
    let ch = this.#channels.get(key);
    if (!ch) this.#channels.set(key, (ch = this.guard.channel(isJsonText(key))));
    return ch.push(text);
  }

  /** The end of the streamed text `key`: what it still held. */
  flush(key: string): string {
    const ch = this.#channels.get(key);
    if (!ch) return "";
    this.#channels.delete(key);
    return ch.flush();
  }

  /** Keys of texts still open, for the end of the stream. */
  open(): string[] {
    return [...this.#channels.keys()];
  }

  /** A stream event Warden cannot read would pass unchecked: fail closed unless the policy is open. */
  unreadable<T>(data: T): T {
    this.guard.failed("unreadable_event", "secrets", new Error("stream event is not JSON"));
    return data;
  }

  /** The data of the SSE `event: error` that ends a stream the guard stopped: the problem, in the route's dialect. */
  errorEvent(err: OutputBlocked | GuardUnavailable): string {
    const problem = rejection(err);
    log("request.refused", { request_id: this.c.get("requestId"), code: problem.code, reason: problem.reason, stream: true });
    this.finish();
    return problemBody(problem, this.c.get("requestId"), dialectFor(this.c.req.path));
  }

  /** Counts into metrics, usage and audit, once. */
  finish(): void {
    if (this.#finished) return;
    this.#finished = true;
    recordGuard(this.c, this.model, this.guard.counts);
  }
}

/**
 * Streamed texts that are JSON (tool-call and function-call arguments, Messages `input_json`),
 * by their channel keys (stream-chat.ts, stream-responses.ts, protect-messages.ts): read with
 * their escapes decoded.
 */
const isJsonText = (key: string): boolean => /:tool:\d+$|:function_call$|^f:|:input_json_delta$/.test(key);

export const isGuardError = (err: unknown): err is OutputBlocked | GuardUnavailable => err instanceof OutputBlocked || err instanceof GuardUnavailable;

/** The guard of this answer, or null when the model's (or tenant's) policy has none, or the route no text it reads (no dialect). */
export function responseGuardFor(c: Context<DataEnv>, model: Model, dialect: GuardDialect | undefined, request: Json | null, prepared: object): ResponseGuard | null {
  // The input guard's counts (request-protection.ts) go with this answer's.
  const input = takeInputCounts(prepared);
  if (input) recordGuard(c, model.name, input);
  if (!dialect) return null;
  const policy = effectiveGuard(model.protection.output_guard, c.get("tenant").policy.output_guard);
  if (!policy || (policy.secrets === "off" && policy.pii === "off" && policy.prompt_leak === "off")) return null;
  const guard = new OutputGuard(policy, request ? dialect.systemTexts(request) : [], undefined, (event, fields) => log(event, { request_id: c.get("requestId"), ...fields }));
  return new ResponseGuard(guard, c, dialect, model.name);
}
