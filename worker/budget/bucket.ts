/**
 * Token bucket for requests per minute: `capacity` tokens (the burst), refilled continuously at
 * `perMinute / 60` tokens per second. Refill is computed lazily from the elapsed time, so the
 * state is two numbers and needs no timer. Over any interval of T seconds at most
 * `capacity + rate·T` requests pass, which is the guarantee the policy promises.
 */

export interface BucketState {
  /** Tokens available at `atMs` (fractional between refills). */
  level: number;
  atMs: number;
}

export interface BucketSpec {
  /** Tokens per second. */
  rate: number;
  capacity: number;
}

/** Burst defaults to a full minute's worth: "600 per minute" admits 600 at once, then 10/s. */
export function bucketSpec(requestsPerMinute: number, burst: number | undefined): BucketSpec {
  return { rate: requestsPerMinute / 60, capacity: burst ?? requestsPerMinute };
}

/** A fresh bucket starts full. */
export function newBucket(spec: BucketSpec, nowMs: number): BucketState {
  return { level: spec.capacity, atMs: nowMs };
}

/**
 * Refills `state` in place up to `now`. `ceiling` (≤ capacity) caps the level below the
 * capacity, which the tenant pool uses while part of its bucket is out on lease.
 * A clock that steps backwards refills nothing rather than draining the bucket.
 */
export function refill(state: BucketState, spec: BucketSpec, nowMs: number, ceiling = spec.capacity): void {
  const elapsed = Math.max(0, nowMs - state.atMs) / 1000;
  const cap = Math.min(ceiling, spec.capacity);
  state.level = Math.min(cap, state.level + elapsed * spec.rate);
  if (nowMs > state.atMs) state.atMs = nowMs;
}

/** Takes `n` whole tokens if the (already refilled) bucket has them. */
export function take(state: BucketState, n: number): boolean {
  if (state.level + 1e-9 < n) return false;
  state.level = Math.max(0, state.level - n);
  return true;
}

/** Seconds until the bucket holds `n` tokens (0 if it already does); Infinity if it never will. */
export function secondsToRefill(state: BucketState, spec: BucketSpec, n = 1): number {
  const missing = n - state.level;
  if (missing <= 1e-9) return 0;
  if (n > spec.capacity || spec.rate <= 0) return Infinity;
  return missing / spec.rate;
}

/** Whole tokens available now, for the `r` of a RateLimit field. */
export function wholeTokens(state: BucketState): number {
  return Math.floor(state.level + 1e-9);
}
