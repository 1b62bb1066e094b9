import type { Context } from "hono";
import type { DataEnv } from "../context";
import type { Model } from "../config/model";
import type { WardenError } from "../errors";
import type { ChatCompletionRequest, CompletionRequest, EmbeddingRequest } from "../protocols/openai";
import type { InferRequest } from "../protocols/oip";
import type { ResponsesRequest } from "../protocols/responses";
import type { MessagesRequest } from "../protocols/messages";
import type { QueryFeatures } from "../extraction/features";
import type { RowEvidence } from "../extraction/far";
import type { JsonProtectionContext } from "./protect-json";
import type { Json } from "../json";
import type { GuardDialect } from "../guard/dialect";
import type { TextStreamProtector } from "./protect-stream";

/**
 * The forwarded routes as a typed table: each route kind has its own request body (the zod
 * output its `prepare` parsed), and what differs between kinds — which checks the body gets
 * against the model, what the extraction detector sees, what the anomaly screen reads, how the
 * upstream body caps tokens, which stream protector reads the answer — is a hook on the route,
 * not a `kind` test in the stages (worker/pipeline/run.ts runs them in order).
 */
export interface BodyOf {
  chat: ChatCompletionRequest;
  completion: CompletionRequest;
  responses: ResponsesRequest;
  messages: MessagesRequest;
  embedding: EmbeddingRequest;
  infer: InferRequest;
  metadata: null;
  ready: null;
}
export type RouteKind = keyof BodyOf;

/** What a route's `prepare` learns from the request, for the stages after it. */
export interface PreparedOf<K extends RouteKind> {
  kind: K;
  modelName: string;
  /** The request body as its zod schema parsed it (null for routes without one). */
  body: BodyOf[K];
  texts: string[];
  /**
   * Of `texts`, those only system or developer messages say (protocols/voices.ts); none when absent.
   * Computed on demand: only a tenant with `screening.system_prompts: operator` needs them.
   */
  operatorTexts?: () => string[];
  stream: boolean;
  /** Tokens to reserve before forwarding: completion maximum × choices + prompt bound (0 = a route that spends no tokens). */
  reserveTokens: number;
  /** Upper bound of the prompt's tokens (part of `reserveTokens`), charged for a stream cut short. */
  promptTokens: number;
  /** Completion maximum per choice, sent upstream; null for routes that generate no text. */
  maxTokens: number | null;
}
export type Prepared = { [K in RouteKind]: PreparedOf<K> }[RouteKind];

/** What the extraction detector observes of one request (worker/pipeline/extraction.ts). */
export interface Observation {
  features: QueryFeatures;
  surface: "tabular" | "text";
  /** Per-row input evidence (OIP), computed only for a request that is observed, off the request's path. */
  far?: () => RowEvidence | null;
}

/** How the body sent upstream caps what the origin generates (worker/pipeline/request-protection.ts). */
export interface UpstreamCaps {
  /** The fields that cap generated tokens per choice; the first is set when the client used none. */
  maxTokenFields: readonly [string, ...string[]];
  /** A stream asks for its usage (so tokens can be settled) even when the client did not. */
  streamUsage: boolean;
}

export interface RouteSpec<K extends RouteKind = RouteKind> {
  method: "get" | "post";
  path: string;
  protocol: Model["protocol"];
  kind: K;
  prepare(c: Context<DataEnv>): Promise<PreparedOf<K>>;
  /** Checks of the parsed body against the model it names (declared tensors, fields the model allows); throws 400/403. */
  checkBody?(body: NonNullable<BodyOf[K]>, model: Model): void;
  /** What the extraction detector sees; none: the route is not observed. */
  observe?(prepared: PreparedOf<K>, model: Model): Observation | null;
  /** OIP rows for the anomaly screen. */
  anomalyRows?(prepared: PreparedOf<K>): InferRequest | null;
  /** The client's fields as they go upstream, before the token caps (OpenAI-style: logprob alternatives capped); none: as parsed. */
  upstreamFields?(body: NonNullable<BodyOf[K]>, model: Model): Record<string, unknown>;
  /** Token caps of the upstream body; none: the body goes as parsed. */
  upstream?: UpstreamCaps;
  /**
   * Whether Warden changes or watches this route's answers for this model: then a 2xx answer it
   * cannot read must not reach the client (protect.ts). None: never.
   */
  outputProtected?(model: Model): boolean;
  /** The model's output protection of a whole JSON answer, after the output guard; none: the answer as it came. */
  protectAnswer?(json: Json, ctx: JsonProtectionContext): Promise<Json>;
  /** How the input and output guards read this route's bodies; none: the route carries no text they read. */
  guard?: GuardDialect;
  /** Reads the answer's server-sent events; none: chat-completion-shaped events. */
  streamProtector?(ctx: JsonProtectionContext, injectedUsage: boolean): TextStreamProtector;
  /**
   * The refusal for an origin that answers this route 404 or 405 because it does not serve it (an
   * optional route of the protocol), given the origin's answer; null: the answer is the origin's
   * own refusal of this request, passed as it is. Without it, the origin's own 4xx passes as it is.
   */
  unserved?(c: Context<DataEnv>, answer: { status: number; text: string }): WardenError | null;
}

/** Any route of the table (worker/protocols/routes.ts). */
export type DataRoute = { [K in RouteKind]: RouteSpec<K> }[RouteKind];
