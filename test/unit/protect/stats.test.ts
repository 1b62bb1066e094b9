import { describe, expect, it } from "vitest";
import { binomialTail, bonferroni, incompleteBeta, logBinomialTail, logGamma, sphereCapTail } from "../../../worker/protect/stats";

/** Exact P[X >= k] for X ~ Binomial(n, num/den), with BigInt, as an independent reference. */
function exactTail(k: number, n: number, num: bigint, den: bigint): number {
  let total = 0n;
  let c = 1n; // C(n, i)
  for (let i = 0; i <= n; i++) {
    if (i >= k) total += c * num ** BigInt(i) * (den - num) ** BigInt(n - i);
    c = (c * BigInt(n - i)) / BigInt(i + 1);
  }
  const all = den ** BigInt(n);
  if (total === 0n) return 0;
  const shift = all.toString(2).length - total.toString(2).length + 64;
  return Number((total << BigInt(shift)) / all) * 2 ** -shift;
}

describe("logGamma", () => {
  it("matches log factorials and Γ(1/2) = √π", () => {
    let logFactorial = 0;
    for (let n = 1; n <= 170; n++) {
      logFactorial += Math.log(n);
      expect(logGamma(n + 1)).toBeCloseTo(logFactorial, 9);
    }
    expect(logGamma(0.5)).toBeCloseTo(0.5 * Math.log(Math.PI), 14);
    expect(logGamma(0.1)).toBeCloseTo(2.252712651734206, 12);
  });
});

describe("binomialTail", () => {
  it("agrees with exact BigInt sums, relative error below 1e-9", () => {
    const cases: Array<[number, number, bigint, bigint]> = [
      [60, 100, 1n, 2n],
      [43, 50, 1n, 2n],
      [50, 50, 1n, 2n],
      [1, 50, 1n, 9n],
      [8, 10, 1n, 9n],
      [30, 200, 1n, 20n],
      [3, 1000, 1n, 1000n],
      [0, 10, 1n, 2n],
      [90, 300, 1n, 3n],
      [200, 300, 1n, 3n],
    ];
    for (const [k, n, num, den] of cases) {
      const exact = exactTail(k, n, num, den);
      const got = binomialTail(k, n, Number(num) / Number(den));
      expect(Math.abs(got - exact) / exact, `k=${k} n=${n}`).toBeLessThan(1e-9);
    }
  });

  it("gives the published values", () => {
    expect(binomialTail(60, 100, 0.5)).toBeCloseTo(0.028443966820490395, 14);
    expect(binomialTail(50, 50, 0.5)).toBeCloseTo(2 ** -50, 28);
  });

  it("stays finite in log space far beyond double range", () => {
    // P[X >= 1000 | n = 1000, p = 0.01] = 1e-2000 exactly.
    expect(logBinomialTail(1000, 1000, 0.01)).toBeCloseTo(-2000 * Math.LN10, 6);
    expect(binomialTail(1000, 1000, 0.01)).toBe(0);
  });

  it("handles the edges", () => {
    expect(binomialTail(0, 0, 0.3)).toBe(1);
    expect(binomialTail(5, 4, 0.3)).toBe(0);
    expect(binomialTail(1, 10, 0)).toBe(0);
    expect(binomialTail(10, 10, 1)).toBe(1);
    expect(() => binomialTail(1, 10, 1.5)).toThrow(RangeError);
  });
});

describe("incompleteBeta", () => {
  it("matches closed forms", () => {
    for (const x of [0.01, 0.2, 0.5, 0.77, 0.99]) {
      expect(incompleteBeta(x, 1, 1)).toBeCloseTo(x, 13);
      expect(incompleteBeta(x, 3.5, 1)).toBeCloseTo(x ** 3.5, 13);
      expect(incompleteBeta(x, 1, 7)).toBeCloseTo(1 - (1 - x) ** 7, 13);
    }
    expect(incompleteBeta(0.5, 40.5, 40.5)).toBeCloseTo(0.5, 13);
  });

  it("equals the binomial tail identity P[X >= k] = I_p(k, n - k + 1)", () => {
    expect(incompleteBeta(0.5, 60, 41)).toBeCloseTo(0.028443966820490395, 13);
    const exact = exactTail(40, 120, 1n, 5n);
    expect(Math.abs(incompleteBeta(0.2, 40, 81) - exact) / exact).toBeLessThan(1e-9);
  });
});

describe("sphereCapTail", () => {
  it("matches Archimedes (d = 3) and the circle (d = 2)", () => {
    for (const s of [-0.9, -0.3, 0, 0.1, 0.5, 0.99]) {
      expect(sphereCapTail(3, s)).toBeCloseTo((1 - s) / 2, 12);
      expect(sphereCapTail(2, s)).toBeCloseTo(Math.acos(s) / Math.PI, 12);
    }
  });

  it("matches numerical integration of the density (1 - t²)^((d-3)/2) in high dimension", () => {
    const d = 384;
    const logNorm = logGamma(d / 2) - 0.5 * Math.log(Math.PI) - logGamma((d - 1) / 2);
    const density = (t: number): number => Math.exp(logNorm + ((d - 3) / 2) * Math.log1p(-t * t));
    for (const s of [0.05, 0.15, 0.3]) {
      const steps = 20_000;
      const h = (1 - s) / steps;
      let integral = density(s) + density(1);
      for (let i = 1; i < steps; i++) integral += (i % 2 ? 4 : 2) * density(s + i * h);
      integral *= h / 3;
      expect(Math.abs(sphereCapTail(d, s) - integral) / integral).toBeLessThan(1e-6);
    }
  });

  it("is tiny where it should be and 1/2 at 0", () => {
    expect(sphereCapTail(1536, 0)).toBeCloseTo(0.5, 12);
    expect(sphereCapTail(1536, 0.5)).toBeLessThan(1e-80);
    expect(sphereCapTail(1536, 0.5)).toBeGreaterThan(0);
  });
});

describe("bonferroni", () => {
  it("multiplies and caps at 1", () => {
    expect(bonferroni(1e-6, 10)).toBeCloseTo(1e-5, 18);
    expect(bonferroni(0.3, 10)).toBe(1);
    expect(bonferroni(0.3, 0)).toBe(0.3);
  });
});
