/**
 * The Shapiro–Wilk test of normality with Royston's approximations: the coefficients of Royston
 * (1992, "Approximating the Shapiro–Wilk W-test for non-normality") and the p-value of Royston
 * (1995, algorithm AS R94), valid for 3 ≤ n ≤ 5000. It follows AS R94 as R's `shapiro.test` and
 * scipy's `shapiro` do, so W and p agree with theirs (test/unit/extraction/shapiro-wilk.test.ts).
 *
 * PRADA uses W on the set of minimum distances between a principal's queries: natural queries
 * give a roughly normal set (W near 1); synthetic ones (small steps from earlier queries mixed with
 * far random ones) give a skewed or two-humped set and a low W.
 */
import { normalQuantile, normalUpperTail } from "./normal";

export interface ShapiroWilk {
  w: number;
  /** P-value: the chance of a W this low or lower from a normal sample of this size. */
  p: number;
}

export const SW_MIN_N = 3;
export const SW_MAX_N = 5000;

const C1 = [0, 0.221157, -0.147981, -2.07119, 4.434685, -2.706056];
const C2 = [0, 0.042981, -0.293762, -1.752461, 5.682633, -3.582633];
const C3 = [0.544, -0.39978, 0.025054, -6.714e-4];
const C4 = [1.3822, -0.77857, 0.062767, -0.0020322];
const C5 = [-1.5861, -0.31082, -0.083751, 0.0038915];
const C6 = [-0.4803, -0.082676, 0.0030302];

function poly(c: readonly number[], x: number): number {
  let v = 0;
  for (let i = c.length - 1; i >= 0; i--) v = v * x + (c[i] as number);
  return v;
}

/** Royston's coefficients a_1..a_{n/2} (positive; a_i weighs x_(n+1-i) − x_(i)). Memoized by n. */
const coefficientCache = new Map<number, Float64Array>();

export function swCoefficients(n: number): Float64Array {
  const cached = coefficientCache.get(n);
  if (cached) return cached;
  const half = Math.floor(n / 2);
  const a = new Float64Array(half);
  if (n === 3) {
    a[0] = Math.SQRT1_2;
  } else {
    // Blom's scores m_i = Φ⁻¹((i − 3/8)/(n + 1/4)), lower half (negative).
    const m = new Float64Array(half);
    let summ2 = 0;
    for (let i = 0; i < half; i++) {
      m[i] = normalQuantile((i + 1 - 0.375) / (n + 0.25));
      summ2 += (m[i] as number) ** 2;
    }
    summ2 *= 2;
    const ssumm2 = Math.sqrt(summ2);
    const u = 1 / Math.sqrt(n);
    const a1 = poly(C1, u) - (m[0] as number) / ssumm2;
    let fac: number;
    let first: number;
    if (n > 5) {
      const a2 = poly(C2, u) - (m[1] as number) / ssumm2;
      fac = Math.sqrt((summ2 - 2 * (m[0] as number) ** 2 - 2 * (m[1] as number) ** 2) / (1 - 2 * a1 * a1 - 2 * a2 * a2));
      a[1] = a2;
      first = 2;
    } else {
      fac = Math.sqrt((summ2 - 2 * (m[0] as number) ** 2) / (1 - 2 * a1 * a1));
      first = 1;
    }
    a[0] = a1;
    for (let i = first; i < half; i++) a[i] = -(m[i] as number) / fac;
  }
  if (coefficientCache.size > 512) coefficientCache.clear();
  coefficientCache.set(n, a);
  return a;
}

/**
 * W and its p-value for a sample of 3..5000 values (order does not matter). A sample with no
 * spread at all (every value equal) is as far from normal as a sample can be: W = 0, p = 0.
 */
export function shapiroWilk(sample: readonly number[]): ShapiroWilk {
  const n = sample.length;
  if (n < SW_MIN_N || n > SW_MAX_N) throw new RangeError(`shapiroWilk needs ${SW_MIN_N}..${SW_MAX_N} values, got ${n}`);
  const x = Float64Array.from(sample).sort();
  // Indexed loops, same order of additions as before (bit for bit the same W): it runs on every observation.
  let sum = 0;
  for (let i = 0; i < n; i++) sum += x[i] as number;
  const mean = sum / n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += ((x[i] as number) - mean) ** 2;
  if (!(ss > 1e-300) || (x[n - 1] as number) - (x[0] as number) <= 1e-12 * Math.abs(mean)) return { w: 0, p: 0 };
  const a = swCoefficients(n);
  let b = 0;
  for (let i = 0; i < a.length; i++) b += (a[i] as number) * ((x[n - 1 - i] as number) - (x[i] as number));
  const w = Math.min(1, (b * b) / ss);
  return { w, p: swPValue(w, n) };
}

/** Royston (1995) AS R94: a normalizing transformation of W, then the normal upper tail. */
export function swPValue(w: number, n: number): number {
  if (n === 3) {
    const p = (6 / Math.PI) * (Math.asin(Math.sqrt(w)) - Math.PI / 3);
    return Math.min(1, Math.max(0, p));
  }
  const w1 = 1 - w;
  if (w1 <= 0) return 1;
  let y = Math.log(w1);
  let mu: number;
  let sigma: number;
  if (n <= 11) {
    const gamma = -2.273 + 0.459 * n;
    if (y >= gamma) return 1e-99;
    y = -Math.log(gamma - y);
    mu = poly(C3, n);
    sigma = Math.exp(poly(C4, n));
  } else {
    const ln = Math.log(n);
    mu = poly(C5, ln);
    sigma = Math.exp(poly(C6, ln));
  }
  return normalUpperTail((y - mu) / sigma);
}
