import type { Model } from "../config/model";
import { WardenError } from "../errors";
import type { Prepared, RouteSpec } from "./run";

/**
 * Request-side protection (CONTRACT §6 `logprobs`): logit_bias is refused unless the model
 * allows it — logprobs plus logit bias let a client recover a model's output layer (Carlini et
 * al., 2024) — and top_logprobs is capped.
 */
export function checkRequestProtection(model: Model, body: Record<string, unknown>): void {
  const bias = body.logit_bias;
  const hasBias = bias !== undefined && bias !== null && !(typeof bias === "object" && Object.keys(bias).length === 0);
  if (hasBias && !model.protection.logprobs.allow_logit_bias) {
    throw new WardenError("invalid_request", "logit_bias is not allowed for this model.");
  }
}

/**
 * The body Warden sends to the origin. Streams ask for usage (so tokens can be settled) even
 * when the client did not; `injectedUsage` tells the response side to drop that extra chunk.
 */
export function upstreamBody(prepared: Prepared, route: RouteSpec, model: Model): { body: string | null; injectedUsage: boolean } {
  if (!prepared.body) return { body: null, injectedUsage: false };
  const body = { ...prepared.body };
  const cap = model.protection.logprobs.max_top_logprobs;
  if (typeof body.top_logprobs === "number" && body.top_logprobs > cap) body.top_logprobs = cap;
  if (route.kind === "completion" && typeof body.logprobs === "number" && body.logprobs > cap) body.logprobs = cap;
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
