import type { ErrorCode, Problem } from "../errors";

/**
 * Clients keep their SDK (CONTRACT §8): each official SDK reads its own provider's `error`
 * member and shows only a bare status without it. The problem stays RFC 9457; these members
 * are extensions that repeat its detail in the shape the SDK of the route's protocol reads.
 */
export type ErrorDialect = "openai" | "anthropic" | null;

/** The dialect of a data-plane path: `/t/{tenant}/v1/messages` speaks Anthropic's, other `/v1/` routes OpenAI's. */
export function dialectFor(path: string): ErrorDialect {
  const m = /^\/t\/[^/]+(\/v1(?:\/.*)?)$/.exec(path);
  if (!m) return null;
  return /^\/v1\/messages(?:\/|$)/.test(m[1]!) ? "anthropic" : "openai";
}

/** OpenAI's error `type` for each code (the values its API itself sends). */
const OPENAI_TYPE: Record<ErrorCode, string> = {
  invalid_request: "invalid_request_error",
  unauthorized: "authentication_error",
  forbidden: "permission_error",
  input_rejected: "invalid_request_error",
  output_rejected: "permission_error",
  extraction_suspected: "permission_error",
  not_found: "not_found_error",
  conflict: "invalid_request_error",
  payload_too_large: "invalid_request_error",
  unsupported_media_type: "invalid_request_error",
  rate_limited: "rate_limit_error",
  quota_exceeded: "insufficient_quota",
  internal: "server_error",
  origin_error: "server_error",
  not_configured: "server_error",
  no_origin: "server_error",
  origin_timeout: "server_error",
};

/** Anthropic's error `type` for each code (its documented set). */
const ANTHROPIC_TYPE: Record<ErrorCode, string> = {
  invalid_request: "invalid_request_error",
  unauthorized: "authentication_error",
  forbidden: "permission_error",
  input_rejected: "invalid_request_error",
  output_rejected: "permission_error",
  extraction_suspected: "permission_error",
  not_found: "not_found_error",
  conflict: "invalid_request_error",
  payload_too_large: "request_too_large",
  unsupported_media_type: "invalid_request_error",
  rate_limited: "rate_limit_error",
  quota_exceeded: "rate_limit_error",
  internal: "api_error",
  origin_error: "api_error",
  not_configured: "api_error",
  no_origin: "overloaded_error",
  origin_timeout: "api_error",
};

/** The one field at fault, when a validation problem names exactly one. */
function faultyParam(problem: Problem): string | null {
  const errors = problem.errors;
  if (!Array.isArray(errors) || errors.length !== 1) return null;
  const path = (errors[0] as { path?: unknown }).path;
  return typeof path === "string" && path !== "(root)" ? path : null;
}

/** The problem with the dialect's `error` member added (the problem's own members unchanged). */
export function withDialect(problem: Problem, dialect: ErrorDialect): Problem {
  if (dialect === "openai") {
    return { ...problem, error: { message: problem.detail, type: OPENAI_TYPE[problem.code], code: problem.code, param: faultyParam(problem) } };
  }
  if (dialect === "anthropic") {
    return { ...problem, error: { type: ANTHROPIC_TYPE[problem.code], message: problem.detail } };
  }
  return problem;
}
