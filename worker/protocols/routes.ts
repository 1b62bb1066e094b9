import type { Context } from "hono";
import type { AppEnv } from "../context";
import type { RouteSpec } from "../pipeline/run";
import { parseWith, readJsonBody } from "../pipeline/body";
import { DEFAULT_MAX_BODY_BYTES } from "../config/policy";
import { defaultReserveTokens } from "../budget/limits";
import { ChatCompletionRequest, CompletionRequest, EmbeddingRequest, chatTexts, completionTexts, estimatePromptTokens, promptTexts, refuseTokenIds } from "./openai";
import { InferRequest, inferTexts } from "./oip";
import { ResponsesRequest, responsesTexts } from "./responses";
import { MessagesRequest, messagesTexts } from "./messages";

/** The forwarded routes of both protocols: how each finds its model, what it screens and reserves. */
function maxBody(c: Context<AppEnv>): number {
  return c.var.tenant.policy.limits.max_body_bytes ?? DEFAULT_MAX_BODY_BYTES;
}

function reserve(c: Context<AppEnv>, requested: number | null | undefined, texts: string[], n = 1): number {
  const completion = requested ?? defaultReserveTokens(c.var.tenant.policy, c.var.principal);
  return completion * n + estimatePromptTokens(texts);
}

export const ROUTES: RouteSpec[] = [
  {
    method: "post", path: "/v1/chat/completions", protocol: "openai", kind: "chat",
    async prepare(c) {
      const { json } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(ChatCompletionRequest, json, "chat completion request");
      const texts = chatTexts(body);
      return { modelName: body.model, body, texts, stream: body.stream === true,
        reserveTokens: reserve(c, body.max_completion_tokens ?? body.max_tokens, texts, body.n ?? 1) };
    },
  },
  {
    method: "post", path: "/v1/completions", protocol: "openai", kind: "completion",
    async prepare(c) {
      const { json } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(CompletionRequest, json, "completion request");
      refuseTokenIds(body.prompt, "prompt", c.var.tenant.policy.screening.mode);
      const texts = completionTexts(body);
      return { modelName: body.model, body, texts, stream: body.stream === true, reserveTokens: reserve(c, body.max_tokens, texts, body.n ?? 1) };
    },
  },
  {
    method: "post", path: "/v1/responses", protocol: "openai", kind: "responses",
    async prepare(c) {
      const { json } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(ResponsesRequest, json, "responses request");
      const texts = responsesTexts(body);
      // The origin is always told the maximum Warden reserved, so it cannot generate past it.
      body.max_output_tokens ??= defaultReserveTokens(c.var.tenant.policy, c.var.principal);
      return { modelName: body.model, body, texts, stream: body.stream === true, reserveTokens: reserve(c, body.max_output_tokens, texts) };
    },
  },
  {
    method: "post", path: "/v1/messages", protocol: "openai", kind: "messages",
    async prepare(c) {
      const { json } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(MessagesRequest, json, "messages request");
      const texts = messagesTexts(body);
      return { modelName: body.model, body, texts, stream: body.stream === true, reserveTokens: reserve(c, body.max_tokens, texts) };
    },
  },
  {
    method: "post", path: "/v1/embeddings", protocol: "openai", kind: "embedding",
    async prepare(c) {
      const { json } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(EmbeddingRequest, json, "embedding request");
      refuseTokenIds(body.input, "input", c.var.tenant.policy.screening.mode);
      const texts = promptTexts(body.input);
      return { modelName: body.model, body, texts, stream: false, reserveTokens: estimatePromptTokens(texts) || 1 };
    },
  },
  {
    method: "post", path: "/v2/models/:model/infer", protocol: "oip", kind: "infer",
    async prepare(c) {
      const { json } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(InferRequest, json, "inference request");
      return { modelName: c.req.param("model") ?? "", body, texts: inferTexts(body), stream: false, reserveTokens: 0 };
    },
  },
  {
    method: "get", path: "/v2/models/:model", protocol: "oip", kind: "metadata",
    async prepare(c) {
      return { modelName: c.req.param("model") ?? "", body: null, texts: [], stream: false, reserveTokens: 0 };
    },
  },
  {
    method: "get", path: "/v2/models/:model/ready", protocol: "oip", kind: "ready",
    async prepare(c) {
      return { modelName: c.req.param("model") ?? "", body: null, texts: [], stream: false, reserveTokens: 0 };
    },
  },
];
