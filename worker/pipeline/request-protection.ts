import type { Model } from "../config/model";
import { assertLogitBiasAllowed } from "../protect/logprobs";
import type { PreparedOf, RouteKind, RouteSpec } from "./route";
import { checkInferExtensions, type InferRequest } from "../protocols/oip";
import { inferOutputsProtected } from "./protect-json";
import { checkOpenAIFields } from "../protocols/openai-fields";
import { guardInput, noteInputCounts } from "../guard/input";
import { isObject } from "../json";

/**
 * Request-side protection (CONTRACT §6): logit_bias refused unless allowed; OpenAI-compatible
 * fields that hand the origin tensors or reconfigure it refused unless allowed, media URLs held
 * to the outbound rules; OIP protocol extensions that would move tensors past Warden's checks refused.
 */
export function checkInferRequest(body: InferRequest, model: Model): void {
  checkInferExtensions(body, inferOutputsProtected(model));
}

export function checkOpenAIRequest(body: Record<string, unknown>, model: Model): void {
  assertLogitBiasAllowed(body, model.protection.logprobs.allow_logit_bias);
  // Stored documents from before allow_fields existed lack it.
  checkOpenAIFields(body, {
    allowFields: model.protection.allow_fields ?? [],
    allowLogitBias: model.protection.logprobs.allow_logit_bias,
    perturbsLogprobs: (model.protection.probabilities?.mode ?? "none") !== "none",
  });
}

/**
 * The body Warden sends to the origin: alternatives capped at `max_top_logprobs`; the reserved
 * maximum in every token-cap field the client used (`max_tokens` when it used none), so the
 * origin never generates more than the budget reserved; and streams asking for usage (so tokens
 * can be settled) even when the client did not — `injectedUsage` tells the response side to hide
 * that usage again.
 */
export function upstreamBody(prepared: PreparedOf<RouteKind>, route: Pick<RouteSpec, "upstreamFields" | "guard" | "upstream">, model: Model): { body: string | null; injectedUsage: boolean } {
  if (!prepared.body) return { body: null, injectedUsage: false };
  let body: Record<string, unknown> = route.upstreamFields?.(prepared.body, model) ?? { ...prepared.body };
  if (model.protection.input_guard) {
    // Masked for the origin only: screening has already read the client's own text.
    const masked = guardInput(route.guard, body, model.protection.input_guard);
    body = masked.body;
    noteInputCounts(prepared, masked.counts);
  }
  const caps = route.upstream;
  if (caps && prepared.maxTokens !== null) {
    const used = caps.maxTokenFields.filter((f) => body[f] !== undefined && body[f] !== null);
    for (const f of used.length > 0 ? used : [caps.maxTokenFields[0]]) body[f] = prepared.maxTokens;
  }
  let injectedUsage = false;
  if (prepared.stream && caps?.streamUsage) {
    const opts = isObject(body.stream_options) ? body.stream_options : {};
    if (opts.include_usage !== true) {
      body.stream_options = { ...opts, include_usage: true };
      injectedUsage = true;
    }
  }
  return { body: JSON.stringify(body), injectedUsage };
}
