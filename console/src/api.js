/**
 * The admin API as the console uses it. The token lives in memory and in sessionStorage (this
 * tab only, gone when it closes); it is sent in the Authorization header and never put in a URL.
 */
const STORE_KEY = "warden.admin-token";
let token = sessionStorage.getItem(STORE_KEY);

export const hasToken = () => Boolean(token);

export function signIn(value) {
  token = value;
  sessionStorage.setItem(STORE_KEY, value);
}

/** Forgets the token and everything else this tab kept (usage samples, picked tenant). */
export function signOut() {
  token = null;
  sessionStorage.clear();
}

/** A problem+json answer (RFC 9457) as an Error: `detail`, `code`, `status` and field `errors`. */
export class ProblemError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || "error";
    this.errors = Array.isArray(problem.errors) ? problem.errors : [];
    this.requestId = problem.request_id || null;
  }
}

/** Calls `/admin/v1{path}`; resolves to the parsed JSON (or text for metrics), throws ProblemError. */
export async function call(method, path, body) {
  const headers = { authorization: `Bearer ${token}` };
  if (body !== undefined) headers["content-type"] = "application/json";
  const res = await fetch(`/admin/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), cache: "no-store" });
  if (res.status === 204) return null;
  const type = res.headers.get("content-type") || "";
  if (!res.ok) {
    const problem = type.includes("json") ? await res.json().catch(() => ({})) : {};
    if (res.status === 401) signOut();
    throw new ProblemError(res.status, problem);
  }
  return type.includes("json") ? res.json() : res.text();
}

export const enc = encodeURIComponent;
