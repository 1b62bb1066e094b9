import { describe, expect, it } from "vitest";
import { shapiroWilk, swCoefficients, swPValue } from "../../../worker/extraction/shapiro-wilk";
import { normalQuantile, normalUpperTail } from "../../../worker/extraction/normal";
import { gaussian, seededRng } from "../../../worker/protect/random";

// Reference values from scipy.stats.shapiro's own tests (scipy/stats/tests/test_morestats.py),
// which R's shapiro.test reproduces; x4 is the example of Shapiro & Wilk's 1965 paper.
const X1 = [0.11, 7.87, 4.61, 10.14, 7.95, 3.14, 0.46, 4.43, 0.21, 4.75, 0.71, 1.52, 3.24, 0.93, 0.42, 4.97, 9.53, 4.55, 0.47, 6.66];
const X2 = [1.36, 1.14, 2.92, 2.55, 1.46, 1.06, 5.27, -1.11, 3.48, 1.1, 0.88, -0.51, 1.46, 0.52, 6.2, 1.69, 0.08, 3.67, 2.81, 3.49];
const X4 = [
  0.139, 0.157, 0.175, 0.256, 0.344, 0.413, 0.503, 0.577, 0.614, 0.655, 0.954, 1.392, 1.557, 1.648, 1.69, 1.994, 2.174, 2.206, 3.245, 3.51,
  3.571, 4.354, 4.98, 6.084, 8.351,
];

describe("normalQuantile (AS 241)", () => {
  it("gives the textbook quantiles and inverts the tail", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 14);
    expect(normalQuantile(0.5)).toBe(0);
    expect(normalQuantile(0.3)).toBeCloseTo(-0.5244005127080407, 14);
    expect(normalQuantile(1e-10)).toBeCloseTo(-6.361340902404056, 12);
    for (const p of [0.001, 0.02, 0.2, 0.6, 0.95, 0.999]) expect(1 - normalUpperTail(normalQuantile(p))).toBeCloseTo(p, 6);
  });
});

describe("shapiroWilk (Royston 1992 / AS R94)", () => {
  it("matches scipy and R on their reference samples", () => {
    const a = shapiroWilk(X1);
    expect(a.w).toBeCloseTo(0.90047299861907959, 5);
    expect(a.p).toBeCloseTo(0.042089745402336121, 5);
    const b = shapiroWilk(X2);
    expect(b.w).toBeCloseTo(0.959027, 5);
    expect(b.p).toBeCloseTo(0.5246, 3);
    const c = shapiroWilk(X4);
    expect(c.w).toBeCloseTo(0.83467, 4);
    expect(c.p).toBeCloseTo(0.000914, 5);
  });

  it("is invariant to order, shift and scale", () => {
    const base = shapiroWilk(X1);
    const moved = shapiroWilk(X1.slice().reverse().map((v) => 3 * v - 100));
    expect(moved.w).toBeCloseTo(base.w, 12);
    expect(moved.p).toBeCloseTo(base.p, 12);
  });

  it("uses the exact n = 3 coefficients and p-value", () => {
    expect(swCoefficients(3)[0]).toBeCloseTo(Math.SQRT1_2, 15);
    // Equally spaced triple: W = 1 exactly; p = 1.
    expect(shapiroWilk([1, 2, 3]).w).toBeCloseTo(1, 12);
    expect(swPValue(0.75, 3)).toBeCloseTo(0, 12);
  });

  it("keeps coefficients normalized (Σ 2a_i² = 1)", () => {
    for (const n of [4, 5, 6, 11, 12, 50, 256, 1000]) {
      const a = swCoefficients(n);
      expect(2 * a.reduce((s, v) => s + v * v, 0)).toBeCloseTo(1, 10);
    }
  });

  it("rarely rejects normal samples and always rejects two-humped ones", () => {
    const rng = seededRng(42);
    let rejected = 0;
    for (let trial = 0; trial < 200; trial++) {
      const x = Array.from({ length: 200 }, () => gaussian(rng));
      if (shapiroWilk(x).p < 0.01) rejected++;
    }
    // 1 % expected under the null: 2 of 200; 8 would be a 1-in-1000 event for a correct test.
    expect(rejected).toBeLessThan(8);
    const humps = Array.from({ length: 200 }, (_, i) => (i % 2 ? 0 : 5) + 0.5 * gaussian(rng));
    const h = shapiroWilk(humps);
    expect(h.w).toBeLessThan(0.85);
    expect(h.p).toBeLessThan(1e-10);
  });

  it("calls a sample with no spread maximally non-normal and refuses sizes outside 3..5000", () => {
    expect(shapiroWilk([2, 2, 2, 2, 2])).toEqual({ w: 0, p: 0 });
    expect(() => shapiroWilk([1, 2])).toThrow(RangeError);
    expect(() => shapiroWilk(new Array(5001).fill(0).map((_, i) => i))).toThrow(RangeError);
  });
});
