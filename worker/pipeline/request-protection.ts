import type { Model } from "../config/model";
import { assertLogitBiasAllowed, clampLogprobsRequest } from "../protect/logprobs";
import type { Prepared, RouteSpec } from "./run";

/** Request-side protection (CONTRACT §6 `logprobs`): logit_bias refused unless allowed. */
export function checkRequestProtection(model: Model, body: Record<string, unknown>): void {
  assertLogitBiasAllowed(body, model.protection.logprobs.allow_logit_bias);
}

/** The fields by which OpenAI-style APIs cap generated tokens per choice. */
const MAX_TOKEN_FIELDS = ["max_tokens", "max_completion_tokens"] as const;

/**
 * The body Warden sends to the origin: alternatives capped at `max_top_logprobs`; the reserved
 * maximum in every token-cap field the client used (`max_tokens` when it used none), so the
 * origin never generates more than the budget reserved; and streams asking for usage (so tokens
 * can be settled) even when the client did not — `injectedUsage` tells the response side to hide
 * that usage again.
 */
export function upstreamBody(prepared: Prepared, route: RouteSpec, model: Model): { body: string | null; injectedUsage: boolean } {
  if (!prepared.body) return { body: null, injectedUsage: false };
  const body = route.protocol === "openai" ? clampLogprobsRequest(prepared.body, model.protection.logprobs.max_top_logprobs) : { ...prepared.body };
  if (prepared.maxTokens !== null) {
    const used = MAX_TOKEN_FIELDS.filter((f) => body[f] !== undefined && body[f] !== null);
    for (const f of used.length > 0 ? used : (["max_tokens"] as const)) body[f] = prepared.maxTokens;
  }
  let injectedUsage = false;
  if (prepared.stream && (route.kind === "chat" || route.kind === "completion")) {
    const opts = (body.stream_options ?? {}) as Record<string, unknown>;
    if (opts.include_usage !== true) {
      body.stream_options = { ...opts, include_usage: true };
      injectedUsage = true;
    }
  }
  return { body: JSON.stringify(body), injectedUsage };
}
