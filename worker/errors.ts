/**
 * The one error type of Warden. Every failure a client can see is a WardenError with a stable
 * code; the table below maps each code, once, to its HTTP status, title and the `error.type` each
 * SDK dialect reads (CONTRACT §8).
 */
import { withDialect, type ErrorDialect } from "./protocols/error-dialects";

/**
 * One row per code. `openai` is the `error.type` OpenAI's API itself sends for that kind of
 * failure; `anthropic` one of Anthropic's documented error types (worker/protocols/error-dialects.ts).
 */
interface ErrorRow {
  status: number;
  title: string;
  openai: "invalid_request_error" | "authentication_error" | "permission_error" | "not_found_error" | "rate_limit_error" | "insufficient_quota" | "server_error";
  anthropic: "invalid_request_error" | "authentication_error" | "permission_error" | "not_found_error" | "request_too_large" | "rate_limit_error" | "api_error" | "overloaded_error";
}

export const ERROR_TABLE = {
  invalid_request: { status: 400, title: "Invalid request", openai: "invalid_request_error", anthropic: "invalid_request_error" },
  unauthorized: { status: 401, title: "Unauthorized", openai: "authentication_error", anthropic: "authentication_error" },
  forbidden: { status: 403, title: "Forbidden", openai: "permission_error", anthropic: "permission_error" },
  input_rejected: { status: 403, title: "Input rejected", openai: "invalid_request_error", anthropic: "invalid_request_error" },
  output_rejected: { status: 403, title: "Output rejected", openai: "permission_error", anthropic: "permission_error" },
  extraction_suspected: { status: 403, title: "Extraction suspected", openai: "permission_error", anthropic: "permission_error" },
  not_found: { status: 404, title: "Not found", openai: "not_found_error", anthropic: "not_found_error" },
  conflict: { status: 409, title: "Conflict", openai: "invalid_request_error", anthropic: "invalid_request_error" },
  payload_too_large: { status: 413, title: "Payload too large", openai: "invalid_request_error", anthropic: "request_too_large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type", openai: "invalid_request_error", anthropic: "invalid_request_error" },
  rate_limited: { status: 429, title: "Rate limited", openai: "rate_limit_error", anthropic: "rate_limit_error" },
  quota_exceeded: { status: 429, title: "Quota exceeded", openai: "insufficient_quota", anthropic: "rate_limit_error" },
  internal: { status: 500, title: "Internal error", openai: "server_error", anthropic: "api_error" },
  origin_error: { status: 502, title: "Origin error", openai: "server_error", anthropic: "api_error" },
  not_configured: { status: 503, title: "Not configured", openai: "server_error", anthropic: "api_error" },
  no_origin: { status: 503, title: "No origin available", openai: "server_error", anthropic: "overloaded_error" },
  origin_timeout: { status: 504, title: "Origin timeout", openai: "server_error", anthropic: "api_error" },
} as const satisfies Record<string, ErrorRow>;

export type ErrorCode = keyof typeof ERROR_TABLE;

/** What each code means, for `GET /errors/<code>` (a problem's `type` dereferenced). */
export const ERROR_DESCRIPTIONS: Record<ErrorCode, string> = {
  invalid_request: "The request is malformed: not JSON, wrong types at known fields, or values out of range. `errors` names the fields.",
  unauthorized: "No credential, or one that is invalid, expired or revoked, or a tenant that does not exist.",
  forbidden: "The credential is valid but belongs to another tenant, or its scopes do not include the model.",
  input_rejected: "Screening (or the OIP anomaly check) scored the input at or above the tenant's threshold in block mode.",
  output_rejected: "The model's answer held a secret, personal data or the system prompt, and the model's output guard blocks such answers; or the guard could not check the answer and fails closed.",
  extraction_suspected: "This credential's queries look like model extraction; it is paused until the cooldown ends (Retry-After).",
  not_found: "No such route, tenant (admin), model, key or error code.",
  conflict: "A tenant with this id exists.",
  payload_too_large: "The body exceeds limits.max_body_bytes (default 1 MiB).",
  unsupported_media_type: "The body must be application/json.",
  rate_limited: "Over a request rate (requests_per_minute with burst) or the concurrency limit; see Retry-After and RateLimit.",
  quota_exceeded: "Over a daily or monthly quota of requests or tokens; see Retry-After and RateLimit.",
  internal: "A fault inside Warden. The request id finds it in the operator's logs.",
  origin_error: "The model's origin answered 5xx or something Warden cannot pass on.",
  not_configured: "Warden lacks a setting it needs (MASTER_KEY, admin credentials), or the screening model cannot run and the tenant fails closed.",
  no_origin: "No origin of the model could be reached.",
  origin_timeout: "The model's origin did not answer within timeout_ms.",
};

export interface WardenErrorOptions {
  /** Extra response headers (WWW-Authenticate, Retry-After, RateLimit, …). */
  headers?: Record<string, string>;
  /** Extra problem members, e.g. the failing paths of a validation error. Never secrets. */
  extensions?: Record<string, unknown>;
  /** Operator-only reason: logged, never sent to the client. */
  reason?: string;
  cause?: unknown;
}

export class WardenError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly extensions: Record<string, unknown>;
  readonly reason: string | undefined;

  constructor(code: ErrorCode, detail: string, options: WardenErrorOptions = {}) {
    super(detail, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "WardenError";
    this.code = code;
    this.status = ERROR_TABLE[code].status;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions ?? {};
    this.reason = options.reason;
  }
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ErrorCode;
  request_id: string;
  [extension: string]: unknown;
}

export function toProblem(err: WardenError, requestId: string): Problem {
  return {
    ...err.extensions,
    type: `/errors/${err.code}`,
    title: ERROR_TABLE[err.code].title,
    status: err.status,
    detail: err.message,
    code: err.code,
    request_id: requestId,
  };
}

/** The problem's JSON body; `dialect` adds the `error` member the route's SDK reads (worker/protocols/error-dialects.ts). */
export function problemBody(err: WardenError, requestId: string, dialect: ErrorDialect): string {
  return JSON.stringify(withDialect(toProblem(err, requestId), dialect, ERROR_TABLE[err.code]));
}

/** The problem as a response; `dialect` adds the `error` member the route's SDK reads (worker/protocols/error-dialects.ts). */
export function problemResponse(err: WardenError, requestId: string, extraHeaders: Headers | Record<string, string> = {}, dialect: ErrorDialect = null): Response {
  const headers = new Headers(extraHeaders);
  for (const [k, v] of Object.entries(err.headers)) headers.set(k, v);
  headers.set("content-type", "application/problem+json");
  headers.set("cache-control", "no-store");
  return new Response(problemBody(err, requestId, dialect), { status: err.status, headers });
}
