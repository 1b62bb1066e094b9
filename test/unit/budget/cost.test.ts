import { describe, expect, it } from "vitest";
import { chargeCost, costOf, prices, reserveCost, toMicro, toUsd } from "../../../worker/budget/cost";
import { usageSplit } from "../../../worker/protocols/usage";
import { PricingSchema } from "../../../worker/config/model";

describe("cost in integer µUSD", () => {
  const p = prices({ input_per_million: 0.15, output_per_million: 0.6, per_request: 0.0001 })!;

  it("converts the USD prices to whole µUSD per million tokens", () => {
    expect(p).toEqual({ input: 150_000, output: 600_000, request: 100 });
    expect(prices(undefined)).toBeNull();
  });

  it("prices a request and rounds up once, to a whole µUSD", () => {
    // 1000 × 0.15 + 10 × 0.6 = 156 µUSD, + 100 per request
    expect(costOf(p, { input: 1000, output: 10 })).toBe(256);
    // 1 × 0.15 + 1 × 0.6 = 0.75 µUSD → 1
    expect(costOf(p, { input: 1, output: 1 })).toBe(101);
    expect(costOf(null, { input: 1e9, output: 1e9 })).toBe(0);
  });

  it("does not drift: a million requests sum to the exact amount (floats would not)", () => {
    const q = prices({ input_per_million: 0.1, output_per_million: 0.2, per_request: 0.000001 })!;
    let micro = 0;
    let float = 0;
    for (let i = 0; i < 1_000_000; i++) {
      micro += costOf(q, { input: 10, output: 10 });
      float += 10 * 0.1e-6 + 10 * 0.2e-6 + 0.000001;
    }
    expect(micro).toBe(4_000_000);
    expect(toUsd(micro)).toBe(4);
    expect(float).not.toBe(4);
  });

  it("stays exact past 2^53 intermediate products (BigInt)", () => {
    const dear = prices({ input_per_million: 10_000, output_per_million: 10_000, per_request: 0 })!;
    expect(costOf(dear, { input: 2 ** 40, output: 0 })).toBe(2 ** 40 * 10_000);
  });

  it("reserves the worst case and settles to the actual, never above the reservation", () => {
    const reserved = reserveCost(p, 2000, 500);
    expect(reserved).toBe(Math.ceil(2000 * 0.15 + 500 * 0.6) + 100);
    expect(chargeCost(p, { input: 40, output: 20 }, reserved)).toBe(Math.ceil(40 * 0.15 + 20 * 0.6) + 100);
    expect(chargeCost(p, { input: 1e6, output: 1e6 }, reserved)).toBe(reserved);
    // A bare total is priced at the dearer rate; an unknown count costs the reservation.
    expect(chargeCost(p, 100, reserved)).toBe(Math.ceil(100 * 0.6) + 100);
    expect(chargeCost(p, Number.NaN, reserved)).toBe(reserved);
    expect(chargeCost(null, 100, 0)).toBe(0);
  });

  it("accepts prices in whole µUSD only", () => {
    expect(toMicro(0.000001)).toBe(1);
    expect(PricingSchema.safeParse({ input_per_million: 0.000001 }).success).toBe(true);
    expect(PricingSchema.safeParse({ input_per_million: 0.0000001 }).success).toBe(false);
    expect(PricingSchema.safeParse({ per_request: -0.01 }).success).toBe(false);
  });
});

describe("usage split for pricing", () => {
  it("reads each dialect's input and output, and keeps the token total the charge uses", () => {
    expect(usageSplit({ prompt_tokens: 5, completion_tokens: 7, total_tokens: 12 })).toEqual({ input: 5, output: 7 });
    expect(usageSplit({ input_tokens: 5, output_tokens: 7, cache_read_input_tokens: 3 })).toEqual({ input: 8, output: 7 });
    // reasoning or other tokens the origin counted but did not attribute: output (the dearer side)
    expect(usageSplit({ prompt_tokens: 5, completion_tokens: 7, total_tokens: 20 })).toEqual({ input: 5, output: 15 });
    expect(usageSplit({ prompt_tokens: 5, completion_tokens: 7, total_tokens: 6 })).toEqual({ input: 5, output: 1 });
    expect(usageSplit({ total_tokens: 0 })).toEqual({ input: 0, output: 0 });
    expect(usageSplit(null)).toBeNull();
    expect(usageSplit({})).toBeNull();
  });
});
