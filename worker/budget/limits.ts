import type { Limits, Policy } from "../config/policy";
import { DEFAULT_RESERVE_TOKENS } from "../config/policy";
import type { Principal } from "../context";
import { bucketSpec, type BucketSpec } from "./bucket";
import { toMicro } from "./cost";

/**
 * Limits normalised for enforcement. Two scopes apply to every request and both must pass, so
 * the strictest one always decides: the tenant scope (`policy.limits`, shared by every
 * principal of the tenant) and the principal scope (the key record's `limits` for an API key,
 * `policy.limits.per_subject` for a JWT subject).
 */
export interface LimitSet {
  rpm?: BucketSpec & { perMinute: number };
  requestsPerDay?: number;
  tokensPerDay?: number;
  tokensPerMonth?: number;
  /** µUSD (the policy says USD). */
  costPerDay?: number;
  costPerMonth?: number;
  maxConcurrency?: number;
}

export type Scope = "tenant" | "principal";
export type LimitKind = "rpm" | "requests_day" | "tokens_day" | "tokens_month" | "cost_day" | "cost_month" | "concurrency";

export function limitSet(limits: Limits | undefined): LimitSet {
  const set: LimitSet = {};
  if (!limits) return set;
  if (limits.requests_per_minute !== undefined)
    set.rpm = { ...bucketSpec(limits.requests_per_minute, limits.burst), perMinute: limits.requests_per_minute };
  if (limits.requests_per_day !== undefined) set.requestsPerDay = limits.requests_per_day;
  if (limits.tokens_per_day !== undefined) set.tokensPerDay = limits.tokens_per_day;
  if (limits.tokens_per_month !== undefined) set.tokensPerMonth = limits.tokens_per_month;
  if (limits.cost_per_day !== undefined) set.costPerDay = toMicro(limits.cost_per_day);
  if (limits.cost_per_month !== undefined) set.costPerMonth = toMicro(limits.cost_per_month);
  if (limits.max_concurrency !== undefined) set.maxConcurrency = limits.max_concurrency;
  return set;
}

export function isEmpty(set: LimitSet): boolean {
  return Object.keys(set).length === 0;
}

/** The tenant-wide limits: `policy.limits` without the per-subject block. */
export function tenantLimits(policy: Policy): Limits {
  const { per_subject: _perSubject, ...limits } = policy.limits;
  return limits;
}

/** The principal's own limits: its key record's, or the policy's per-subject ones. */
export function principalLimits(policy: Policy, principal: Pick<Principal, "kind" | "keyLimits">): Limits | undefined {
  return principal.kind === "key" ? principal.keyLimits : policy.limits.per_subject;
}

/** Tokens to reserve when the request names no maximum: the principal's default, else the tenant's. */
export function defaultReserveTokens(policy: Policy, principal: Pick<Principal, "kind" | "keyLimits">): number {
  return principalLimits(policy, principal)?.default_reserve_tokens ?? policy.limits.default_reserve_tokens ?? DEFAULT_RESERVE_TOKENS;
}

/** Rate and concurrency refusals are `rate_limited`; daily and monthly quotas are `quota_exceeded`. */
export function refusalCode(kind: LimitKind): "rate_limited" | "quota_exceeded" {
  return kind === "rpm" || kind === "concurrency" ? "rate_limited" : "quota_exceeded";
}
