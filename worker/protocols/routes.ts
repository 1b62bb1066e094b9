import type { Context } from "hono";
import type { DataEnv } from "../context";
import type { DataRoute, Observation, PreparedOf, RouteKind, RouteSpec, UpstreamCaps } from "../pipeline/route";
import { parseWith, readJsonBody } from "../http/body";
import { DEFAULT_MAX_BODY_BYTES } from "../config/policy";
import { defaultReserveTokens } from "../budget/limits";
import { ChatCompletionRequest, CompletionRequest, EmbeddingRequest, PER_TEXT_OVERHEAD_TOKENS, chatOperatorTexts, chatTexts, completionTexts, promptCount, promptTexts, promptTokenBound, refuseTokenIds } from "./openai";
import { InferRequest, checkInputs, inferTexts, modelVersion } from "./oip";
import { WardenError } from "../errors";
import { isObject, type Json } from "../json";
import type { Model } from "../config/model";
import { clampLogprobsRequest } from "../protect/logprobs";
import { ResponsesRequest, responsesOperatorTexts, responsesTexts } from "./responses";
import { MessagesRequest, messagesOperatorTexts, messagesTexts } from "./messages";
import { checkInferRequest, checkOpenAIRequest } from "../pipeline/request-protection";
import { oipQueryFeatures, textQueryFeatures } from "../extraction/features";
import { farRows } from "../extraction/far";
import { ResponsesStreamProtector, protectResponsesJson } from "../pipeline/protect-responses";
import { MessagesStreamProtector, protectMessagesJson } from "../pipeline/protect-messages";
import { CHAT_GUARD, COMPLETION_GUARD, MESSAGES_GUARD, RESPONSES_GUARD } from "../guard/dialect";
import { inferOutputsProtected, protectChatJson, protectEmbeddings, protectInfer } from "../pipeline/protect-json";

/** The forwarded routes of both protocols: how each finds its model, what it screens and reserves. */
function maxBody(c: Context<DataEnv>): number {
  return c.get("tenant").policy.limits.max_body_bytes ?? DEFAULT_MAX_BODY_BYTES;
}

type Budgeted = Pick<PreparedOf<RouteKind>, "reserveTokens" | "promptTokens" | "maxTokens">;

/**
 * What a generating request may spend at most: `choices` completions of `maxTokens` each plus
 * the prompt bound. `maxTokens` is the smallest maximum the client named (whichever field an
 * origin honours, it generates no more), else the default reserve; it is sent upstream
 * (request-protection.ts), so the origin cannot generate more than was reserved.
 */
function reservation(c: Context<DataEnv>, requested: ReadonlyArray<number | null | undefined>, choices: number, promptTokens: number): Budgeted {
  const named = requested.filter((v): v is number => typeof v === "number");
  const maxTokens = named.length > 0 ? Math.min(...named) : defaultReserveTokens(c.get("tenant").policy, c.get("principal"));
  return { maxTokens, promptTokens, reserveTokens: maxTokens * choices + promptTokens };
}

/** Routes that generate no tokens reserve and charge none. */
const NO_TOKENS: Budgeted = { reserveTokens: 0, promptTokens: 0, maxTokens: null };

const positiveInt = (v: unknown): number => (typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? v : 1);

/** A text route is observed by the extraction detector as one query: the texts a model reads, joined. */
function observeJoined(p: { texts: string[] }): Observation | null {
  return p.texts.length ? { features: textQueryFeatures([p.texts.join("\n")]), surface: "text" } : null;
}

/** OpenAI-style requests reach the origin with at most the model's `max_top_logprobs` alternatives asked for. */
const clampLogprobs = (body: Json, model: Model): Json => clampLogprobsRequest(body, model.protection.logprobs.max_top_logprobs);

/** The OpenAI-style caps of generated tokens per choice. */
const MAX_TOKENS: UpstreamCaps = { maxTokenFields: ["max_tokens", "max_completion_tokens"], streamUsage: false };

async function oipInfer(c: Context<DataEnv>): Promise<PreparedOf<"infer">> {
  const { json } = await readJsonBody(c.req.raw, maxBody(c));
  const body = parseWith(InferRequest, json, "inference request");
  return { kind: "infer", modelName: c.req.param("model") ?? "", body, texts: inferTexts(body), stream: false, ...NO_TOKENS };
}

function oipModel<K extends "metadata" | "ready">(kind: K): (c: Context<DataEnv>) => Promise<PreparedOf<K>> {
  return async (c) => ({ kind, modelName: c.req.param("model") ?? "", body: null, texts: [], stream: false, ...NO_TOKENS });
}

/** The OIP infer routes' hooks: tensors checked against the model's declared inputs, rows observed and screened. */
const INFER_HOOKS = {
  checkBody(body, model) {
    checkInputs(body, model.inputs);
    checkInferRequest(body, model);
  },
  observe: (p, model) => {
    const features = oipQueryFeatures(p.body, model.inputs);
    // Per-row uniform flags travel with the fingerprints when there are any: the rows need not be counted twice.
    return { features, surface: "tabular", far: () => farRows(p.body, model, { uniform: !features.uniform }) };
  },
  anomalyRows: (p) => p.body,
  // OIP models' answers are protected when they declare scored outputs or configure protection.
  outputProtected: inferOutputsProtected,
  protectAnswer: protectInfer,
} satisfies Partial<RouteSpec<"infer">>;

/**
 * The hooks of the OpenAI-style text routes. Their answers are always protected (the logprob cap
 * and the output guard apply to every model); each route adds how it protects a whole answer.
 */
const TEXT_HOOKS = { checkBody: checkOpenAIRequest, upstreamFields: clampLogprobs, observe: observeJoined, outputProtected: () => true } as const;

/** A table row, typed by its kind: its hooks get that kind's body. */
const route = <K extends RouteKind>(spec: RouteSpec<K>): RouteSpec<K> => spec;

/** The versioned form of an OIP route: the version is checked (modelVersion), then as unversioned. */
function versioned<K extends RouteKind>(prepare: (c: Context<DataEnv>) => Promise<PreparedOf<K>>): (c: Context<DataEnv>) => Promise<PreparedOf<K>> {
  return async (c) => {
    modelVersion(c.req.param("version"));
    return prepare(c);
  };
}

function unservedVersion(c: Context<DataEnv>): WardenError {
  return new WardenError("not_found", `The origin of model '${c.req.param("model") ?? ""}' does not serve version '${c.req.param("version") ?? ""}' of it.`, {
    reason: "origin answered 404/405 on a versioned OIP route",
  });
}

/** An answer in an API's own error shape (OpenAI's and Anthropic's `error` member, vLLM's `object: "error"`): one an SDK can show. */
function apiError(text: string): boolean {
  try {
    const json: unknown = JSON.parse(text);
    return isObject(json) && (json.error !== undefined || json.object === "error");
  } catch {
    return false;
  }
}

/**
 * An origin older than the Responses or Messages API answers the route 404 or 405 with its web
 * framework's body (`{"detail":"Not Found"}`), which the SDKs show as "404 status code (no body)":
 * Warden says what is missing instead. An answer in an API's error shape (e.g. an unknown model
 * at the origin) is the origin's own, and passes.
 */
function unservedRoute(path: string): RouteSpec["unserved"] {
  return (c, answer) =>
    answer.status === 404 && apiError(answer.text)
      ? null
      : new WardenError("not_found", `The origin of model '${c.get("model")?.name ?? ""}' does not serve POST ${path}.`, { reason: `origin answered ${answer.status} on ${path}` });
}

export const ROUTES: DataRoute[] = [
  route({
    method: "post", path: "/v1/chat/completions", protocol: "openai", kind: "chat", ...TEXT_HOOKS, protectAnswer: protectChatJson, guard: CHAT_GUARD,
    upstream: { ...MAX_TOKENS, streamUsage: true },
    async prepare(c) {
      const { json, bytes } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(ChatCompletionRequest, json, "chat completion request");
      // The prompt is built from the messages, tools, schemas and the chat template: all of it
      // comes from this body, and its byte length bounds it (see promptTokenBound).
      const texts = chatTexts(body);
      return { kind: "chat", modelName: body.model, body, texts, operatorTexts: () => chatOperatorTexts(body, texts), stream: body.stream === true,
        ...reservation(c, [body.max_completion_tokens, body.max_tokens], body.n ?? 1, bytes.byteLength + PER_TEXT_OVERHEAD_TOKENS) };
    },
  }),
  route({
    method: "post", path: "/v1/completions", protocol: "openai", kind: "completion", ...TEXT_HOOKS, protectAnswer: protectChatJson, guard: COMPLETION_GUARD,
    upstream: { ...MAX_TOKENS, streamUsage: true },
    async prepare(c) {
      const { json } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(CompletionRequest, json, "completion request");
      refuseTokenIds(body.prompt, "prompt", c.get("tenant").policy.screening.mode);
      // Each prompt gets n completions (best_of are generated and billed); a suffix is read too.
      const choices = Math.max(body.n ?? 1, positiveInt(body.best_of)) * promptCount(body.prompt);
      const suffix = typeof body.suffix === "string" ? promptTokenBound(body.suffix) : 0;
      return { kind: "completion", modelName: body.model, body, texts: completionTexts(body), stream: body.stream === true,
        ...reservation(c, [body.max_tokens], choices, promptTokenBound(body.prompt) + suffix) };
    },
  }),
  route({
    method: "post", path: "/v1/responses", protocol: "openai", kind: "responses", ...TEXT_HOOKS, protectAnswer: protectResponsesJson, guard: RESPONSES_GUARD,
    upstream: { maxTokenFields: ["max_output_tokens"], streamUsage: false },
    streamProtector: (ctx) => new ResponsesStreamProtector(ctx),
    unserved: unservedRoute("/v1/responses"),
    async prepare(c) {
      const { json, bytes } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(ResponsesRequest, json, "responses request");
      // Like chat, the prompt is built from this body alone, so its byte length bounds it; the
      // reserved maximum goes upstream as max_output_tokens (request-protection.ts).
      const texts = responsesTexts(body);
      return { kind: "responses", modelName: body.model, body, texts, operatorTexts: () => responsesOperatorTexts(body, texts), stream: body.stream === true,
        ...reservation(c, [body.max_output_tokens], 1, bytes.byteLength + PER_TEXT_OVERHEAD_TOKENS) };
    },
  }),
  route({
    method: "post", path: "/v1/messages", protocol: "openai", kind: "messages", ...TEXT_HOOKS, protectAnswer: protectMessagesJson, guard: MESSAGES_GUARD,
    upstream: MAX_TOKENS,
    streamProtector: (ctx) => new MessagesStreamProtector(ctx),
    unserved: unservedRoute("/v1/messages"),
    async prepare(c) {
      const { json, bytes } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(MessagesRequest, json, "messages request");
      const texts = messagesTexts(body);
      return { kind: "messages", modelName: body.model, body, texts, operatorTexts: () => messagesOperatorTexts(body, texts), stream: body.stream === true,
        ...reservation(c, [body.max_tokens], 1, bytes.byteLength + PER_TEXT_OVERHEAD_TOKENS) };
    },
  }),
  route({
    method: "post", path: "/v1/embeddings", protocol: "openai", kind: "embedding",
    checkBody: checkOpenAIRequest,
    upstreamFields: clampLogprobs,
    outputProtected: (model) => model.protection.embeddings !== undefined,
    protectAnswer: protectEmbeddings,
    // Each input is a query of its own.
    observe: (p) => ({ features: textQueryFeatures(p.texts), surface: "text" }),
    async prepare(c) {
      const { json } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(EmbeddingRequest, json, "embedding request");
      refuseTokenIds(body.input, "input", c.get("tenant").policy.screening.mode);
      const promptTokens = promptTokenBound(body.input);
      return { kind: "embedding", modelName: body.model, body, texts: promptTexts(body.input), stream: false, reserveTokens: promptTokens, promptTokens, maxTokens: null };
    },
  }),
  // OIP model routes, unversioned and in their `/versions/{version}` form: the same stages; the
  // version reaches the origin in the path it was given. An origin that answers a versioned route
  // 404 or 405 does not serve that version (or versions at all): Warden says so (`unserved`).
  route({ method: "post", path: "/v2/models/:model/infer", protocol: "oip", kind: "infer", prepare: oipInfer, ...INFER_HOOKS }),
  route({ method: "get", path: "/v2/models/:model", protocol: "oip", kind: "metadata", prepare: oipModel("metadata") }),
  route({ method: "get", path: "/v2/models/:model/ready", protocol: "oip", kind: "ready", prepare: oipModel("ready") }),
  route({ method: "post", path: "/v2/models/:model/versions/:version/infer", protocol: "oip", kind: "infer", prepare: versioned(oipInfer), ...INFER_HOOKS, unserved: unservedVersion }),
  route({ method: "get", path: "/v2/models/:model/versions/:version", protocol: "oip", kind: "metadata", prepare: versioned(oipModel("metadata")), unserved: unservedVersion }),
  route({ method: "get", path: "/v2/models/:model/versions/:version/ready", protocol: "oip", kind: "ready", prepare: versioned(oipModel("ready")), unserved: unservedVersion }),
];
