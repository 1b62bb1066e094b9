import type { Pricing } from "../config/model";

/**
 * Money, in integer micro-USD (µUSD) everywhere it is counted, reserved or compared: sums of
 * floats drift (0.1 + 0.2 ≠ 0.3), and a budget that is exact in tokens must not leak through
 * rounding in dollars. USD appear only at the edges: the configuration (`pricing`,
 * `cost_per_day`) is converted on the way in, the usage view on the way out.
 *
 * A price in USD per million tokens is numerically µUSD per token, so a request's cost is
 * `(input × input_per_million + output × output_per_million)` µUSD plus `per_request`. Prices
 * are kept as µUSD per million tokens (integers), the product is computed in BigInt (tokens ×
 * price can pass 2^53) and rounded up to a whole µUSD once per request, so a request is never
 * charged less than its price and at most 1 µUSD more.
 */

/** Tokens a request used, by the price they are billed at. */
export interface TokenUsage {
  input: number;
  output: number;
}

/** What a request is charged: its usage, or a bare token total when the origin gave no split. */
export type Charge = number | TokenUsage;

export const MICRO = 1_000_000;

/** Prices in integer µUSD: per million tokens, and per request. */
export interface Prices {
  input: number;
  output: number;
  request: number;
}

/** USD → µUSD, rounded to the nearest µUSD (the schema admits no finer amounts). */
export function toMicro(usd: number): number {
  return Math.round(usd * MICRO);
}

/** µUSD → USD for display; exact for every amount below 2^53 µUSD to the printed µUSD. */
export function toUsd(micro: number): number {
  return Math.round(micro) / MICRO;
}

/** The model's prices in µUSD, or null when it has none (its requests cost nothing). */
export function prices(pricing: Pricing | undefined): Prices | null {
  if (!pricing) return null;
  return { input: toMicro(pricing.input_per_million), output: toMicro(pricing.output_per_million), request: toMicro(pricing.per_request) };
}

const whole = (n: number) => BigInt(Math.max(0, Math.ceil(Number.isFinite(n) ? n : 0)));

/** µUSD for `usage` at `p`, rounded up to a whole µUSD, per_request included. */
export function costOf(p: Prices | null, usage: TokenUsage): number {
  if (!p) return 0;
  const perMillion = whole(usage.input) * BigInt(p.input) + whole(usage.output) * BigInt(p.output);
  const tokens = (perMillion + BigInt(MICRO - 1)) / BigInt(MICRO);
  return Number(tokens) + p.request;
}

/**
 * The most a request can cost: its prompt bound at the input price, every completion token it
 * may generate at the output price, and the per-request price. Reserved at admission against
 * the cost quotas, as the token bound is against the token quotas.
 */
export function reserveCost(p: Prices | null, promptTokens: number, outputTokens: number): number {
  return costOf(p, { input: promptTokens, output: outputTokens });
}

export function chargeTokens(c: Charge): number {
  return typeof c === "number" ? c : c.input + c.output;
}

/**
 * What a settled request costs, never more than was reserved. A bare total (the origin said how
 * many tokens but not which) is priced at the dearer of the two rates: an unknown split must not
 * be cheaper than any true one. A count that is not a number is unknown: the reservation.
 */
export function chargeCost(p: Prices | null, c: Charge, reserved: number): number {
  if (!p) return 0;
  const tokens = chargeTokens(c);
  if (Number.isNaN(tokens)) return reserved;
  const usage = typeof c === "number" ? (p.output >= p.input ? { input: 0, output: c } : { input: c, output: 0 }) : c;
  return Math.min(reserved, costOf(p, usage));
}
