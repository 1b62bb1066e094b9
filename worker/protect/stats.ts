/**
 * Statistics behind the watermark proofs. Every p-value Warden reports is "the chance that a
 * source without the mark does at least this well", so only upper tails are needed:
 * - `binomialTail`: matches out of trials when each trial matches by chance with probability p
 *   (label watermark, text watermark blocks).
 * - `sphereCapTail`: the projection of a fixed unit vector on a uniformly random direction
 *   (embedding watermark: a model that never saw the key is, to the key, a random direction).
 * Tails reach 1e-100 and below, so sums are done in log space.
 */

// Lanczos approximation (g = 7, n = 9), relative error below 1e-15 for x > 0.
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];

export function logGamma(x: number): number {
  if (!(x > 0)) throw new RangeError("logGamma needs x > 0");
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const z = x - 1;
  let sum = LANCZOS[0] as number;
  for (let i = 1; i < 9; i++) sum += (LANCZOS[i] as number) / (z + i);
  const t = z + 7.5;
  return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

function logBinomialPmf(i: number, n: number, logP: number, logQ: number): number {
  return logGamma(n + 1) - logGamma(i + 1) - logGamma(n - i + 1) + i * logP + (n - i) * logQ;
}

/** log(e^a + e^b) without overflow. */
function logAdd(a: number, b: number): number {
  if (a === -Infinity) return b;
  if (b === -Infinity) return a;
  const m = Math.max(a, b);
  return m + Math.log1p(Math.exp(-Math.abs(a - b)));
}

/** log P[X >= k] for X ~ Binomial(n, p). */
export function logBinomialTail(k: number, n: number, p: number): number {
  if (!Number.isInteger(k) || !Number.isInteger(n) || n < 0) throw new RangeError("k and n must be integers, n >= 0");
  if (!(p >= 0 && p <= 1)) throw new RangeError("p must be in [0, 1]");
  if (k <= 0) return 0;
  if (k > n) return -Infinity;
  if (p === 0) return -Infinity;
  if (p === 1) return 0;
  const logP = Math.log(p);
  const logQ = Math.log1p(-p);
  const mode = Math.floor((n + 1) * p);
  if (k > mode) {
    // Terms fall from k on: sum upward until they stop mattering.
    let sum = -Infinity;
    for (let i = k; i <= n; i++) {
      const term = logBinomialPmf(i, n, logP, logQ);
      sum = logAdd(sum, term);
      if (term - sum < -40) break;
    }
    return sum;
  }
  // k at or below the mode: the tail is large, 1 - P[X <= k-1] loses nothing that matters.
  let lower = -Infinity;
  for (let i = k - 1; i >= 0; i--) {
    const term = logBinomialPmf(i, n, logP, logQ);
    lower = logAdd(lower, term);
    if (term - lower < -40) break;
  }
  return Math.log1p(-Math.min(1, Math.exp(lower)));
}

/** P[X >= k] for X ~ Binomial(n, p). Underflows to 0 below ~1e-308; use logBinomialTail there. */
export function binomialTail(k: number, n: number, p: number): number {
  return Math.exp(logBinomialTail(k, n, p));
}

/**
 * Regularized incomplete beta I_x(a, b), by the continued fraction of Numerical Recipes §6.4
 * (modified Lentz), using the symmetry I_x(a,b) = 1 - I_{1-x}(b,a) where it converges faster.
 */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0 && b > 0)) throw new RangeError("a and b must be positive");
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const logFront = a * Math.log(x) + b * Math.log1p(-x) - (logGamma(a) + logGamma(b) - logGamma(a + b));
  if (x < (a + 1) / (a + b + 2)) return Math.exp(logFront) * betaFraction(x, a, b) / a;
  return 1 - Math.exp(logFront) * betaFraction(1 - x, b, a) / b;
}

function betaFraction(x: number, a: number, b: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 100_000; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < 1e-15) return h;
  }
  throw new Error("incompleteBeta did not converge");
}

/**
 * P[<u, v> >= s] for a fixed unit vector v and u uniform on the unit sphere of R^d (d >= 2).
 * <u, v>^2 follows Beta(1/2, (d-1)/2), so for s >= 0 the tail is I_{1-s^2}((d-1)/2, 1/2) / 2.
 */
export function sphereCapTail(d: number, s: number): number {
  if (!Number.isInteger(d) || d < 2) throw new RangeError("d must be an integer >= 2");
  if (s >= 1) return 0;
  if (s <= -1) return 1;
  if (s < 0) return 1 - sphereCapTail(d, -s);
  return 0.5 * incompleteBeta(1 - s * s, (d - 1) / 2, 0.5);
}

/** Bonferroni: the best of `m` candidates is judged against m times its own p-value. */
export function bonferroni(p: number, m: number): number {
  return Math.min(1, p * Math.max(1, m));
}

/** The answer of every watermark verification (CONTRACT §6, `POST …/watermark/verify`). */
export interface Attribution {
  attributed: boolean;
  principal: string | null;
  /** UTC date `YYYY-MM-DD`, where the mark carries one (text). */
  day: string | null;
  /** Chance that a source without the mark does at least as well, corrected for the number of candidates. */
  p_value: number;
  matches: number;
  trials: number;
}

/**
 * Attribution threshold on the corrected p-value. Strict on purpose: a false attribution accuses
 * an account of theft. The p-value is always reported, so operators can apply their own.
 */
export const ATTRIBUTION_ALPHA = 1e-4;

export const NOT_ATTRIBUTED: Attribution = { attributed: false, principal: null, day: null, p_value: 1, matches: 0, trials: 0 };
