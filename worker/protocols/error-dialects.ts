/**
 * Clients keep their SDK (CONTRACT §8): each official SDK reads its own provider's `error`
 * member and shows only a bare status without it. The problem stays RFC 9457; these members
 * are extensions that repeat its detail in the shape the SDK of the route's protocol reads; the
 * `type` of each code is a column of ERROR_TABLE (worker/errors.ts), so one table says it all.
 */
export type ErrorDialect = "openai" | "anthropic" | null;

/** The dialect of a data-plane path: `/t/{tenant}/v1/messages` speaks Anthropic's, other `/v1/` routes OpenAI's. */
export function dialectFor(path: string): ErrorDialect {
  const m = /^\/t\/[^/]+(\/v1(?:\/.*)?)$/.exec(path);
  if (!m) return null;
  return /^\/v1\/messages(?:\/|$)/.test(m[1]!) ? "anthropic" : "openai";
}

/** What a dialect reads of a problem (worker/errors.ts `Problem`, which imports this file). */
interface DialectSource {
  code: string;
  detail: string;
  errors?: unknown;
}

/** The one field at fault, when a validation problem names exactly one. */
function faultyParam(problem: DialectSource): string | null {
  const errors = problem.errors;
  if (!Array.isArray(errors) || errors.length !== 1) return null;
  const path = (errors[0] as { path?: unknown }).path;
  return typeof path === "string" && path !== "(root)" ? path : null;
}

/**
 * The problem with the dialect's `error` member added (the problem's own members unchanged);
 * `row` is the problem code's row of ERROR_TABLE (worker/errors.ts, which imports this file).
 */
export function withDialect<P extends DialectSource>(problem: P, dialect: ErrorDialect, row: { openai: string; anthropic: string }): P {
  if (dialect === "openai") {
    return { ...problem, error: { message: problem.detail, type: row.openai, code: problem.code, param: faultyParam(problem) } };
  }
  if (dialect === "anthropic") {
    return { ...problem, error: { type: row.anthropic, message: problem.detail } };
  }
  return problem;
}
