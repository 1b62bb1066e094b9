/**
 * The one error type of Warden. Every failure a client can see is a WardenError with a stable
 * code; the table below maps each code, once, to its HTTP status and title (CONTRACT §8).
 */
export const ERROR_TABLE = {
  invalid_request: { status: 400, title: "Invalid request" },
  unauthorized: { status: 401, title: "Unauthorized" },
  forbidden: { status: 403, title: "Forbidden" },
  input_rejected: { status: 403, title: "Input rejected" },
  extraction_suspected: { status: 403, title: "Extraction suspected" },
  not_found: { status: 404, title: "Not found" },
  conflict: { status: 409, title: "Conflict" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  rate_limited: { status: 429, title: "Rate limited" },
  quota_exceeded: { status: 429, title: "Quota exceeded" },
  internal: { status: 500, title: "Internal error" },
  origin_error: { status: 502, title: "Origin error" },
  not_configured: { status: 503, title: "Not configured" },
  no_origin: { status: 503, title: "No origin available" },
  origin_timeout: { status: 504, title: "Origin timeout" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_TABLE;

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

export function problemResponse(err: WardenError, requestId: string, extraHeaders: Headers | Record<string, string> = {}): Response {
  const headers = new Headers(extraHeaders);
  for (const [k, v] of Object.entries(err.headers)) headers.set(k, v);
  headers.set("content-type", "application/problem+json");
  headers.set("cache-control", "no-store");
  return new Response(JSON.stringify(toProblem(err, requestId)), { status: err.status, headers });
}
