import { describe, expect, it } from "vitest";
import { formatPolicy, formatRateLimit, refusalHeaders, successHeaders, tightest, type PolicyStatus } from "../../../worker/budget/headers";

const rpm: PolicyStatus = { kind: "rpm", scope: "principal", quota: 600, windowS: 60, remaining: 0, resetS: 11.2 };

describe("RateLimit headers (draft-ietf-httpapi-ratelimit-headers)", () => {
  it("formats the contract's example", () => {
    expect(formatPolicy(rpm)).toBe('"rpm";q=600;w=60');
    expect(formatRateLimit(rpm)).toBe('"rpm";r=0;t=12');
  });

  it("marks token and concurrency quotas with their unit", () => {
    expect(formatPolicy({ kind: "tokens_day", scope: "tenant", quota: 2_000_000, windowS: 86400, remaining: 5 })).toBe(
      '"tokens-day";q=2000000;qu="tokens";w=86400',
    );
    expect(formatPolicy({ kind: "concurrency", scope: "principal", quota: 32, remaining: 3 })).toBe('"concurrency";q=32;qu="concurrent-requests"');
  });

  it("picks the policy with the least share left", () => {
    const day: PolicyStatus = { kind: "requests_day", scope: "tenant", quota: 1000, windowS: 86400, remaining: 10, resetS: 500 };
    const minute: PolicyStatus = { kind: "rpm", scope: "principal", quota: 60, windowS: 60, remaining: 30, resetS: 0 };
    expect(tightest([minute, day])).toBe(day);
    expect(successHeaders([minute, day])).toEqual({ "RateLimit-Policy": '"requests-day";q=1000;w=86400', RateLimit: '"requests-day";r=10;t=500' });
    expect(successHeaders([])).toEqual({});
  });

  it("measures the rpm bucket against its burst, not its per-minute quota", () => {
    const bucket: PolicyStatus = { kind: "rpm", scope: "principal", quota: 60, capacity: 2, windowS: 60, remaining: 1, resetS: 0 };
    const day: PolicyStatus = { kind: "requests_day", scope: "tenant", quota: 1000, windowS: 86400, remaining: 999, resetS: 500 };
    expect(tightest([day, bucket])).toBe(bucket);
  });

  it("refuses with Retry-After ≥ 1 and the same reset in RateLimit", () => {
    expect(refusalHeaders(rpm, 0.2)).toEqual({ "Retry-After": "1", "RateLimit-Policy": '"rpm";q=600;w=60', RateLimit: '"rpm";r=0;t=1' });
    const tokens: PolicyStatus = { kind: "tokens_day", scope: "principal", quota: 100, windowS: 86400, remaining: 40 };
    expect(refusalHeaders(tokens, 3600.5)["RateLimit"]).toBe('"tokens-day";r=40;t=3601');
  });
});
