import type { Model, Origin } from "../config/model";
import { WardenError } from "../errors";
import { errorFields, log } from "../log";
import { originFailureCause, originStatusCause } from "../log-origin";
import { checkOutboundUrl, type UrlVerdict } from "../auth/outbound-url";
import { boundedMemo } from "../memo";

/**
 * Forwarding to a model's origins (CONTRACT §4): weighted choice, failover to the next origin on
 * a connect error, timeout, 502, 503 or 504 (nothing has reached the client yet at that point),
 * per-origin timeout. Errors never carry the origin's address or body.
 */

/** Request headers never forwarded: hop-by-hop (RFC 9110 §7.6.1), credentials meant for Warden, our own namespace. */
const HOP_BY_HOP = new Set([
  "connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade",
  "proxy-authorization", "proxy-authenticate", "host", "content-length", "authorization", "x-api-key", "cookie",
  "accept-encoding", "expect",
  // Triton reads a body carrying this header as a JSON header plus binary tensors Warden never checked.
  "inference-header-content-length",
]);
/** Response headers never passed back: hop-by-hop, cookies, and what would fingerprint or locate the origin. */
const RESPONSE_DROP = new Set([
  "connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authenticate", "content-length",
  "content-encoding", "set-cookie", "server", "x-powered-by", "via", "alt-svc", "location", "content-location", "x-request-id",
]);

export interface ForwardInput {
  model: Model;
  /** Path below the tenant prefix, e.g. `/v1/chat/completions`, with the query string. */
  path: string;
  method: string;
  clientHeaders: Headers;
  body: BodyInit | null;
  requestId: string;
  tenantId: string;
  principalId: string;
  /** Decrypts an origin's configured headers (stored encrypted). */
  originHeaders: (origin: Origin) => Promise<Record<string, string>>;
  allowLoopback: boolean;
  clientSignal?: AbortSignal;
  random?: () => number;
}

/**
 * Header sets Warden builds (to the origin, to the client) are records of lower-case names, one
 * entry per name, handed to fetch or Response as they are: one conversion there, instead of a
 * Headers object filled a runtime call per header and then copied by fetch or Response (workerd:
 * ~2.5 µs of ~14 per forwarded request, ~2 of ~8.5 per answer). A later entry of a name replaces
 * the earlier one, as Headers.set did; the runtime checks names and values where it takes them.
 */
export type HeaderRecord = Record<string, string>;

const headerRecord = (): HeaderRecord => Object.create(null) as HeaderRecord;

export function forwardHeaders(client: Headers, extra: Record<string, string>): HeaderRecord {
  const out = headerRecord();
  const connectionListed = (client.get("connection") ?? "").split(",").map((s) => s.trim().toLowerCase());
  client.forEach((value, name) => {
    const n = name.toLowerCase();
    if (HOP_BY_HOP.has(n) || connectionListed.includes(n) || n.startsWith("x-warden-") || n.startsWith("cf-") || n === "x-forwarded-for" || n === "x-real-ip") return;
    out[n] = value;
  });
  // Identity encoding: Warden reads usage from, watermarks and signs the exact bytes it returns.
  out["accept-encoding"] = "identity";
  for (const [name, value] of Object.entries(extra)) out[name.toLowerCase()] = value;
  return out;
}

/** Header values must be visible ASCII: a principal with other characters (a JWT subject) is percent-encoded. */
export function headerSafe(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : encodeURIComponent(value);
}

export function responseHeaders(origin: Headers): HeaderRecord {
  const out = headerRecord();
  origin.forEach((value, name) => {
    const n = name.toLowerCase();
    if (!RESPONSE_DROP.has(n) && !n.startsWith("x-warden-")) out[n] = value;
  });
  return out;
}

/** Origins in try order: a weighted random first pick, then the rest by weight. Weight 0 = standby, tried last. */
export function originOrder(origins: Origin[], random: () => number = Math.random): Origin[] {
  const pool = origins.filter((o) => o.weight > 0);
  const order: Origin[] = [];
  while (pool.length > 0) {
    const total = pool.reduce((s, o) => s + o.weight, 0);
    let r = random() * total;
    let idx = pool.findIndex((o) => (r -= o.weight) < 0);
    if (idx < 0) idx = pool.length - 1;
    order.push(pool.splice(idx, 1)[0]!);
  }
  return [...order, ...origins.filter((o) => o.weight === 0)];
}

/**
 * The origin's URL for a request path. A model has a handful of origins and its clients a handful
 * of paths: the URL (a parse and three setters, each a call into the runtime) is kept per isolate,
 * bounded like the verdicts below, in entries and in size (a longer path, a client's query string,
 * is joined each time). The key carries the base's length: no base and path pair can collide.
 */
const urls = boundedMemo<string, string>(512);
const MEMO_PATH_CHARS = 256;

export function joinUrl(base: string, path: string): string {
  if (path.length > MEMO_PATH_CHARS || base.length > MEMO_PATH_CHARS) return buildUrl(base, path);
  return urls(`${base.length}:${base}${path}`, () => buildUrl(base, path));
}

function buildUrl(base: string, path: string): string {
  const b = new URL(base);
  const [p = "", q] = path.split("?", 2);
  const prefix = b.pathname.replace(/\/+$/, "");
  b.pathname = `${prefix}${p.startsWith("/") ? p : `/${p}`}`;
  b.search = q ? `?${q}` : "";
  return b.toString();
}

/**
 * checkOutboundUrl is a pure function of its arguments (a URL parse and ipaddr.js ranges) and a
 * tenant has a handful of origins: its verdict is kept per isolate rather than recomputed per request.
 */
const verdicts = boundedMemo<string, UrlVerdict>(512);

export function outboundVerdict(url: string, allowLoopback: boolean): UrlVerdict {
  return verdicts(`${allowLoopback ? "1" : "0"}${url}`, () => checkOutboundUrl(url, allowLoopback));
}

const causeOf = (status: number) => {
  const cause = originStatusCause(status);
  return cause ? { cause } : {};
};

export async function forward(input: ForwardInput): Promise<Response> {
  const order = originOrder(input.model.origins, input.random);
  // Made only when needed: an Error captures a stack trace, which costs more than the rest of a forward.
  let last: WardenError | null = null;
  const bodyBytes = input.body;
  for (const [attempt, origin] of order.entries()) {
    const verdict = outboundVerdict(origin.url, input.allowLoopback);
    if (!verdict.ok) {
      log("forward.origin_refused", { request_id: input.requestId, attempt, reason: verdict.reason });
      continue;
    }
    const headers = forwardHeaders(input.clientHeaders, {
      ...(await input.originHeaders(origin)),
      "x-request-id": input.requestId,
      "x-warden-tenant": input.tenantId,
      "x-warden-principal": headerSafe(input.principalId),
    });
    const timeout = AbortSignal.timeout(input.model.timeout_ms);
    const signal = input.clientSignal ? AbortSignal.any([timeout, input.clientSignal]) : timeout;
    try {
      const res = await fetch(joinUrl(origin.url, input.path), {
        method: input.method,
        headers,
        body: bodyBytes,
        signal,
        redirect: "manual",
      });
      if (res.status === 502 || res.status === 503 || res.status === 504) {
        await res.body?.cancel().catch(() => {});
        log("forward.origin_failed", { request_id: input.requestId, attempt, status: res.status, ...causeOf(res.status) });
        last = new WardenError("origin_error", "The model's origin failed.");
        continue;
      }
      if (res.status >= 500) {
        await res.body?.cancel().catch(() => {});
        log("forward.origin_failed", { request_id: input.requestId, attempt, status: res.status, ...causeOf(res.status) });
        throw new WardenError("origin_error", "The model's origin failed.");
      }
      if (res.status >= 300 && res.status < 400) {
        await res.body?.cancel().catch(() => {});
        throw new WardenError("origin_error", "The model's origin answered with a redirect, which Warden does not follow.");
      }
      return res;
    } catch (err) {
      if (err instanceof WardenError) throw err;
      if (input.clientSignal?.aborted) throw new WardenError("invalid_request", "The client went away.", { reason: "client abort" });
      const timedOut = timeout.aborted;
      // One line with the cause (log-origin.ts); the runtime's message carries no header or body.
      log("forward.origin_unreachable", {
        request_id: input.requestId,
        attempt,
        cause: originFailureCause(err, origin.url, timedOut),
        timeout: timedOut,
        ...errorFields(err),
      });
      last = timedOut
        ? new WardenError("origin_timeout", "The model's origin did not answer in time.")
        : new WardenError("no_origin", "No origin of this model could be reached.");
    }
  }
  throw last ?? new WardenError("no_origin", "No origin is available for this model.");
}
