import { describe, expect, it } from "vitest";
import { bucketSpec, newBucket, refill, secondsToRefill, take, wholeTokens } from "../../../worker/budget/bucket";

describe("token bucket", () => {
  it("starts full at the burst and refills at rpm/60 per second, capped at the burst", () => {
    const spec = bucketSpec(600, 60);
    const b = newBucket(spec, 0);
    for (let i = 0; i < 60; i++) expect(take(b, 1)).toBe(true);
    expect(take(b, 1)).toBe(false);
    refill(b, spec, 1000);
    expect(wholeTokens(b)).toBe(10);
    refill(b, spec, 3_600_000);
    expect(wholeTokens(b)).toBe(60);
  });

  it("defaults the burst to a minute's worth", () => {
    expect(bucketSpec(120, undefined)).toEqual({ rate: 2, capacity: 120 });
  });

  it("admits at most burst + rate·T over any interval", () => {
    const spec = bucketSpec(60, 5);
    const b = newBucket(spec, 0);
    let admitted = 0;
    for (let t = 0; t <= 10_000; t += 50) {
      refill(b, spec, t);
      while (take(b, 1)) admitted++;
    }
    expect(admitted).toBe(5 + 10);
  });

  it("says how long until the next token, and never for more than the capacity", () => {
    const spec = bucketSpec(6, 1);
    const b = newBucket(spec, 0);
    take(b, 1);
    expect(secondsToRefill(b, spec)).toBeCloseTo(10);
    expect(secondsToRefill(b, spec, 2)).toBe(Infinity);
  });

  it("refills nothing when the clock steps back", () => {
    const spec = bucketSpec(60, 10);
    const b = { level: 3, atMs: 10_000 };
    refill(b, spec, 5_000);
    expect(b).toEqual({ level: 3, atMs: 10_000 });
  });

  it("respects a ceiling below the capacity", () => {
    const spec = bucketSpec(600, 100);
    const b = { level: 0, atMs: 0 };
    refill(b, spec, 60_000, 30);
    expect(b.level).toBe(30);
  });
});
