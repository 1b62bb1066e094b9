import type { LimitKind, Scope } from "./limits";

/**
 * RateLimit-Policy / RateLimit fields of draft-ietf-httpapi-ratelimit-headers (-10): a policy
 * item is a quoted name with `q` (quota), optional `w` (window, s) and `qu` (unit); a service
 * limit item repeats the name with `r` (remaining) and optional `t` (seconds until more quota).
 * `qu="tokens"` is not (yet) in the draft's unit registry; it is sent so that a client never
 * mistakes a token quota for a request quota (the default unit).
 */
export interface PolicyStatus {
  kind: LimitKind;
  scope: Scope;
  /** Quota in units (requests, tokens, concurrent requests). */
  quota: number;
  /** Window in seconds; absent for concurrency. */
  windowS?: number;
  /** Units left now (floored, never negative). */
  remaining: number;
  /** Seconds until more quota is available; absent when unknown. */
  resetS?: number;
  /** Most units that can ever be left at once, when not `quota` (the rpm bucket's burst). */
  capacity?: number;
}

export const POLICY_NAME: Record<LimitKind, string> = {
  rpm: "rpm",
  requests_day: "requests-day",
  tokens_day: "tokens-day",
  tokens_month: "tokens-month",
  cost_day: "cost-day",
  cost_month: "cost-month",
  concurrency: "concurrency",
};

const UNIT: Record<LimitKind, string | undefined> = {
  rpm: undefined,
  requests_day: undefined,
  tokens_day: "tokens",
  tokens_month: "tokens",
  // Money counted in whole µUSD, so q and r stay integers as the draft wants them.
  cost_day: "usd-micros",
  cost_month: "usd-micros",
  concurrency: "concurrent-requests",
};

const int = (n: number) => String(Math.max(0, Math.floor(n)));

export function formatPolicy(s: PolicyStatus): string {
  let item = `"${POLICY_NAME[s.kind]}";q=${int(s.quota)}`;
  const unit = UNIT[s.kind];
  if (unit) item += `;qu="${unit}"`;
  if (s.windowS !== undefined) item += `;w=${Math.max(1, Math.ceil(s.windowS))}`;
  return item;
}

/**
 * `r` never exceeds `q`: a bucket whose burst is larger than its per-minute quota, or a tenant
 * estimate, can hold more than the quota, and a client must not be told it has more than the
 * policy it reads next to it. `t` is always there; for a limit without a window (concurrency,
 * a bucket estimate) it is 0 while units remain and 1 (retry in a second) when none do.
 */
export function formatRateLimit(s: PolicyStatus): string {
  const remaining = Math.min(Math.max(0, Math.floor(s.remaining)), Math.max(0, Math.floor(s.quota)));
  const reset = s.resetS ?? (remaining > 0 ? 0 : 1);
  return `"${POLICY_NAME[s.kind]}";r=${remaining};t=${Math.ceil(Math.max(0, reset))}`;
}

/**
 * The tightest policy: the least remaining share of what it can hold; ties go to the longer wait,
 * then the principal scope (the one the client can act on).
 */
export function tightest(statuses: readonly PolicyStatus[]): PolicyStatus | undefined {
  let best: PolicyStatus | undefined;
  for (const s of statuses) {
    if (!best) {
      best = s;
      continue;
    }
    const a = s.remaining / Math.max(1, s.capacity ?? s.quota);
    const b = best.remaining / Math.max(1, best.capacity ?? best.quota);
    if (a < b || (a === b && (s.resetS ?? 0) > (best.resetS ?? 0))) best = s;
  }
  return best;
}

/** Fields for a successful answer: the tightest policy only (CONTRACT §5). */
export function successHeaders(statuses: readonly PolicyStatus[]): Record<string, string> {
  const s = tightest(statuses);
  if (!s) return {};
  return { "RateLimit-Policy": formatPolicy(s), RateLimit: formatRateLimit(s) };
}

/**
 * Fields for a 429: the refusing policy and Retry-After in whole seconds ≥ 1. `r` stays truthful
 * (a token quota can refuse a large reservation while a few tokens remain); `t` equals Retry-After,
 * as the draft asks that Retry-After not point earlier than the reset.
 */
export function refusalHeaders(s: PolicyStatus, retryAfterS: number): Record<string, string> {
  const wait = Math.max(1, Math.ceil(retryAfterS));
  return {
    "Retry-After": String(wait),
    "RateLimit-Policy": formatPolicy(s),
    RateLimit: formatRateLimit({ ...s, resetS: wait }),
  };
}
