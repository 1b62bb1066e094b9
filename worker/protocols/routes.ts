import type { Context } from "hono";
import type { AppEnv } from "../context";
import type { Prepared, RouteSpec } from "../pipeline/run";
import { parseWith, readJsonBody } from "../pipeline/body";
import { DEFAULT_MAX_BODY_BYTES } from "../config/policy";
import { defaultReserveTokens } from "../budget/limits";
import { ChatCompletionRequest, CompletionRequest, EmbeddingRequest, PER_TEXT_OVERHEAD_TOKENS, chatTexts, completionTexts, promptCount, promptTexts, promptTokenBound, refuseTokenIds } from "./openai";
import { InferRequest, inferTexts, modelVersion } from "./oip";
import { WardenError } from "../errors";
import { ResponsesRequest, responsesTexts } from "./responses";
import { MessagesRequest, messagesTexts } from "./messages";

/** The forwarded routes of both protocols: how each finds its model, what it screens and reserves. */
function maxBody(c: Context<AppEnv>): number {
  return c.var.tenant.policy.limits.max_body_bytes ?? DEFAULT_MAX_BODY_BYTES;
}

type Budgeted = Pick<Prepared, "reserveTokens" | "promptTokens" | "maxTokens">;

/**
 * What a generating request may spend at most: `choices` completions of `maxTokens` each plus
 * the prompt bound. `maxTokens` is the smallest maximum the client named (whichever field an
 * origin honours, it generates no more), else the default reserve; it is sent upstream
 * (request-protection.ts), so the origin cannot generate more than was reserved.
 */
function reservation(c: Context<AppEnv>, requested: ReadonlyArray<number | null | undefined>, choices: number, promptTokens: number): Budgeted {
  const named = requested.filter((v): v is number => typeof v === "number");
  const maxTokens = named.length > 0 ? Math.min(...named) : defaultReserveTokens(c.var.tenant.policy, c.var.principal);
  return { maxTokens, promptTokens, reserveTokens: maxTokens * choices + promptTokens };
}

/** Routes that generate no tokens reserve and charge none. */
const NO_TOKENS: Budgeted = { reserveTokens: 0, promptTokens: 0, maxTokens: null };

const positiveInt = (v: unknown): number => (typeof v === "number" && Number.isSafeInteger(v) && v > 0 ? v : 1);

/** A forwarded route of the data plane (worker/dataplane.ts mounts each). */
export interface DataRoute extends RouteSpec {
  /**
   * The refusal for an origin that answers this route 404 or 405: an optional route of the
   * protocol the origin does not serve. Without it, the origin's own 4xx passes as it is.
   */
  unserved?: (c: Context<AppEnv>) => WardenError;
}

async function oipInfer(c: Context<AppEnv>): Promise<Prepared> {
  const { json } = await readJsonBody(c.req.raw, maxBody(c));
  const body = parseWith(InferRequest, json, "inference request");
  return { modelName: c.req.param("model") ?? "", body, texts: inferTexts(body), stream: false, ...NO_TOKENS };
}

async function oipModel(c: Context<AppEnv>): Promise<Prepared> {
  return { modelName: c.req.param("model") ?? "", body: null, texts: [], stream: false, ...NO_TOKENS };
}

/** The versioned form of an OIP route: the version is checked (modelVersion), then as unversioned. */
function versioned(prepare: (c: Context<AppEnv>) => Promise<Prepared>): (c: Context<AppEnv>) => Promise<Prepared> {
  return async (c) => {
    modelVersion(c.req.param("version"));
    return prepare(c);
  };
}

function unservedVersion(c: Context<AppEnv>): WardenError {
  return new WardenError("not_found", `The origin of model '${c.req.param("model") ?? ""}' does not serve version '${c.req.param("version") ?? ""}' of it.`, {
    reason: "origin answered 404/405 on a versioned OIP route",
  });
}

export const ROUTES: DataRoute[] = [
  {
    method: "post", path: "/v1/chat/completions", protocol: "openai", kind: "chat",
    async prepare(c) {
      const { json, bytes } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(ChatCompletionRequest, json, "chat completion request");
      // The prompt is built from the messages, tools, schemas and the chat template: all of it
      // comes from this body, and its byte length bounds it (see promptTokenBound).
      return { modelName: body.model, body, texts: chatTexts(body), stream: body.stream === true,
        ...reservation(c, [body.max_completion_tokens, body.max_tokens], body.n ?? 1, bytes.byteLength + PER_TEXT_OVERHEAD_TOKENS) };
    },
  },
  {
    method: "post", path: "/v1/completions", protocol: "openai", kind: "completion",
    async prepare(c) {
      const { json } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(CompletionRequest, json, "completion request");
      refuseTokenIds(body.prompt, "prompt", c.var.tenant.policy.screening.mode);
      // Each prompt gets n completions (best_of are generated and billed); a suffix is read too.
      const choices = Math.max(body.n ?? 1, positiveInt(body.best_of)) * promptCount(body.prompt);
      const suffix = typeof body.suffix === "string" ? promptTokenBound(body.suffix) : 0;
      return { modelName: body.model, body, texts: completionTexts(body), stream: body.stream === true,
        ...reservation(c, [body.max_tokens], choices, promptTokenBound(body.prompt) + suffix) };
    },
  },
  {
    method: "post", path: "/v1/responses", protocol: "openai", kind: "responses",
    async prepare(c) {
      const { json, bytes } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(ResponsesRequest, json, "responses request");
      // Like chat, the prompt is built from this body alone, so its byte length bounds it; the
      // reserved maximum goes upstream as max_output_tokens (request-protection.ts).
      return { modelName: body.model, body, texts: responsesTexts(body), stream: body.stream === true,
        ...reservation(c, [body.max_output_tokens], 1, bytes.byteLength + PER_TEXT_OVERHEAD_TOKENS) };
    },
  },
  {
    method: "post", path: "/v1/messages", protocol: "openai", kind: "messages",
    async prepare(c) {
      const { json, bytes } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(MessagesRequest, json, "messages request");
      return { modelName: body.model, body, texts: messagesTexts(body), stream: body.stream === true,
        ...reservation(c, [body.max_tokens], 1, bytes.byteLength + PER_TEXT_OVERHEAD_TOKENS) };
    },
  },
  {
    method: "post", path: "/v1/embeddings", protocol: "openai", kind: "embedding",
    async prepare(c) {
      const { json } = await readJsonBody(c.req.raw, maxBody(c));
      const body = parseWith(EmbeddingRequest, json, "embedding request");
      refuseTokenIds(body.input, "input", c.var.tenant.policy.screening.mode);
      const promptTokens = promptTokenBound(body.input);
      return { modelName: body.model, body, texts: promptTexts(body.input), stream: false, reserveTokens: promptTokens, promptTokens, maxTokens: null };
    },
  },
  // OIP model routes, unversioned and in their `/versions/{version}` form: the same stages; the
  // version reaches the origin in the path it was given. An origin that answers a versioned route
  // 404 or 405 does not serve that version (or versions at all): Warden says so (`unserved`).
  { method: "post", path: "/v2/models/:model/infer", protocol: "oip", kind: "infer", prepare: oipInfer },
  { method: "get", path: "/v2/models/:model", protocol: "oip", kind: "metadata", prepare: oipModel },
  { method: "get", path: "/v2/models/:model/ready", protocol: "oip", kind: "ready", prepare: oipModel },
  { method: "post", path: "/v2/models/:model/versions/:version/infer", protocol: "oip", kind: "infer", prepare: versioned(oipInfer), unserved: unservedVersion },
  { method: "get", path: "/v2/models/:model/versions/:version", protocol: "oip", kind: "metadata", prepare: versioned(oipModel), unserved: unservedVersion },
  { method: "get", path: "/v2/models/:model/versions/:version/ready", protocol: "oip", kind: "ready", prepare: versioned(oipModel), unserved: unservedVersion },
];
