import { describe, expect, it } from "vitest";
import { anomalyScore, referenceStats } from "../../../worker/anomaly/reference";

describe("reference statistics and anomaly score", () => {
  it("computes mean and sample standard deviation per feature", () => {
    const s = referenceStats([[1, 10], [2, 10], [3, 10]]);
    expect(s.n).toBe(3);
    expect(s.mean).toEqual([2, 10]);
    expect(s.std[0]).toBeCloseTo(1, 12);
    expect(s.std[1]).toBe(0);
  });

  it("scores rows like the reference near 1 and unlike it far above", () => {
    let seed = 3;
    const rnd = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    const gauss = () => Math.sqrt(-2 * Math.log(rnd() + 1e-12)) * Math.cos(2 * Math.PI * rnd());
    const rows = Array.from({ length: 2000 }, () => Array.from({ length: 16 }, (_, i) => i + gauss()));
    const ref = referenceStats(rows);
    const typical = anomalyScore(Array.from({ length: 16 }, (_, i) => i + gauss()), ref);
    expect(typical).toBeGreaterThan(0.4);
    expect(typical).toBeLessThan(2);
    expect(anomalyScore(Array.from({ length: 16 }, () => 50), ref)).toBeGreaterThan(20);
  });

  it("floors a constant feature's spread so a deviation there is finite but visible", () => {
    const ref = referenceStats([[0, 1], [0, 3], [0, 2], [0, 2]]);
    const score = anomalyScore([1, 2], ref);
    expect(Number.isFinite(score)).toBe(true);
    expect(score).toBeGreaterThan(5);
  });
});
