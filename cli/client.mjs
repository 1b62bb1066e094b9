/**
 * The admin API over HTTP for the CLI. WARDEN_URL and WARDEN_ADMIN_TOKEN come from the
 * environment (or --url/--token); the token goes only into the Authorization header.
 */
export class CliError extends Error {
  /** @param {number} exitCode @param {string} message @param {object} [problem] */
  constructor(exitCode, message, problem) {
    super(message);
    this.exitCode = exitCode;
    this.problem = problem ?? null;
  }
}

/** Exit codes, documented in docs/cli.md. */
export const EXIT = { ok: 0, api: 1, usage: 2, check_failed: 3, unreachable: 4 };

export function connection({ url, token }) {
  const base = url ?? process.env.WARDEN_URL;
  const secret = token ?? process.env.WARDEN_ADMIN_TOKEN;
  if (!base) throw new CliError(EXIT.usage, "WARDEN_URL is not set (the base URL of Warden, e.g. http://127.0.0.1:8787).");
  if (!secret) throw new CliError(EXIT.usage, "WARDEN_ADMIN_TOKEN is not set (the admin token or an admin JWT).");
  let parsed;
  try {
    parsed = new URL(base);
  } catch {
    throw new CliError(EXIT.usage, `WARDEN_URL is not a URL: ${base}`);
  }
  return { base: parsed.origin + parsed.pathname.replace(/\/+$/, ""), token: secret };
}

/** One admin call; resolves to the JSON (or text) body, or throws a CliError carrying the problem. */
export async function adminCall(conn, method, path, body, { timeoutMs = 60_000 } = {}) {
  const headers = { authorization: `Bearer ${conn.token}`, accept: "application/json, application/problem+json, text/plain" };
  if (body !== undefined) headers["content-type"] = "application/json";
  let res;
  try {
    res = await fetch(`${conn.base}/admin/v1${path}`, { method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal: AbortSignal.timeout(timeoutMs) });
  } catch (err) {
    const why = err?.name === "TimeoutError" ? `no answer within ${timeoutMs / 1000} s` : (err?.cause?.code ?? err?.cause?.message ?? err?.message ?? String(err));
    throw new CliError(EXIT.unreachable, `cannot reach Warden at ${conn.base}: ${why}`);
  }
  if (res.status === 204) return null;
  const text = await res.text();
  const type = res.headers.get("content-type") ?? "";
  const json = type.includes("json") && text ? safeJson(text) : null;
  if (!res.ok) {
    const p = json ?? {};
    const fields = Array.isArray(p.errors) ? p.errors.map((e) => `\n  ${e.path}: ${e.message}`).join("") : "";
    const id = p.request_id ? ` (request ${p.request_id})` : "";
    throw new CliError(EXIT.api, `${res.status} ${p.code ?? res.statusText}: ${p.detail ?? (text.slice(0, 200) || "no detail")}${id}${fields}`, p);
  }
  return json ?? text;
}

function safeJson(text) {
  try {
    return JSON.parse(text);
  } catch {
    return null;
  }
}
