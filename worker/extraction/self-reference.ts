/**
 * The tenant's own reference statistics, built from what the tenant object sees (issue 9: the
 * `far` signal needs statistics the operator uploads; most never do). Per dimension of the query
 * fingerprint (projection.ts), the mean and spread of the fingerprints sent by the tenant's
 * established principals; a query is "far" when its RMS z-score against them is above SELF_FAR_Z.
 *
 * Robust to one heavy principal: each established principal contributes its own per-dimension
 * mean and variance, and the reference is the median over principals (so no principal, however
 * many queries it sends, moves it more than any other), with the spread widened by the
 * between-principal spread of the means.
 */
import { DIMS } from "./projection";

export interface FingerprintStats {
  mean: number[];
  std: number[];
}

/** Running per-dimension sums of one principal's fingerprints (Welford). */
export class Moments {
  n = 0;
  mean = new Float64Array(DIMS);
  m2 = new Float64Array(DIMS);

  add(v: readonly number[]): void {
    this.n++;
    for (let i = 0; i < DIMS; i++) {
      const x = v[i] as number;
      const d = x - (this.mean[i] as number);
      this.mean[i] = (this.mean[i] as number) + d / this.n;
      this.m2[i] = (this.m2[i] as number) + d * (x - (this.mean[i] as number));
    }
  }

  variance(i: number): number {
    return this.n > 1 ? (this.m2[i] as number) / (this.n - 1) : 0;
  }

  toJSON(): { n: number; mean: number[]; m2: number[] } {
    return { n: this.n, mean: Array.from(this.mean), m2: Array.from(this.m2) };
  }

  static from(j: { n: number; mean: number[]; m2: number[] } | null | undefined): Moments {
    const m = new Moments();
    if (j && j.mean?.length === DIMS && j.m2?.length === DIMS) {
      m.n = j.n;
      m.mean.set(j.mean);
      m.m2.set(j.m2);
    }
    return m;
  }
}

/** A fingerprint further than this (RMS z) from the tenant's reference is "far": on the tuning data 0.8 % of benign
 * queries, 92 % of uniform-random and 91 % of uniform-pool margin-sampled ones (calibrate-synthetic.mjs). */
export const SELF_FAR_Z = 1.6;

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

/** The reference from several principals' moments (module comment); null with fewer than 3. */
export function referenceFrom(principals: readonly Moments[]): FingerprintStats | null {
  if (principals.length < 3) return null;
  const mean: number[] = [];
  const std: number[] = [];
  for (let i = 0; i < DIMS; i++) {
    const means = principals.map((p) => p.mean[i] as number);
    const m = median(means);
    const within = median(principals.map((p) => p.variance(i)));
    const between = median(means.map((x) => (x - m) ** 2));
    mean.push(m);
    std.push(Math.sqrt(within + between));
  }
  return { mean, std };
}

/** Reference from plain rows (calibration, tests): one "principal". */
export function fingerprintStats(rows: readonly (readonly number[])[]): FingerprintStats {
  const m = new Moments();
  for (const r of rows) m.add(r);
  return { mean: Array.from(m.mean), std: Array.from({ length: DIMS }, (_, i) => Math.sqrt(m.variance(i))) };
}

export function fingerprintZ(v: readonly number[], ref: FingerprintStats): number {
  const spread = ref.std.reduce((a, b) => a + b, 0) / DIMS;
  const floor = Math.max(spread * 0.05, 1e-9);
  let s = 0;
  for (let i = 0; i < DIMS; i++) {
    const z = ((v[i] as number) - (ref.mean[i] as number)) / Math.max(ref.std[i] as number, floor);
    s += z * z;
  }
  return Math.sqrt(s / DIMS);
}
