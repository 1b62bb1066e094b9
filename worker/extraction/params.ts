/**
 * Every constant of the extraction detector in one place (docs/extraction.md explains each).
 * Where each ramp starts (its `zero`) is set from benign traffic: 40 principals of natural digit
 * traffic whose seeds the evaluation does not use (bench/extraction/calibrate.mjs: the highest
 * score any of them reaches is 0.09, against degrade_at 0.6). Which signals exist, and the step
 * ratio, were chosen while looking at the Jacobian attack as well (docs/extraction.md, Limits).
 */

/** Queries remembered per principal (32 float32 each: 128 KiB). Nearest neighbours are searched here. */
export const MEMORY = 1024;
/** Length of the windows of recent distances, flags and answers the signals are computed on. */
export const WINDOW = 256;
/** A windowed signal counts only once its window holds this many entries. */
export const MIN_EVIDENCE = 100;
/**
 * Distances count once the memory holds this many queries: against a nearly empty memory the
 * nearest neighbour is far for any traffic (the first query of each kind of input), which would
 * look like the far mode of a two-humped PRADA set.
 */
export const WARMUP = 20;
/** A new query closer than this to a remembered one is a repeat: same answer, nothing learned, not counted. */
export const DUPLICATE_DISTANCE = 1e-6;

/** Chen et al.: neighbours averaged. */
export const KNN = 5;
/** Chen et al.: a query whose mean distance to its KNN nearest is below this share of the tenant's typical one. */
export const KNN_FRACTION = 0.25;
/** A "step": the nearest earlier query is less than this share of the mean KNN distance away. */
export const STEP_RATIO = 0.5;

/** Locality-sensitive hashing (p-stable, Datar et al. 2004) for coverage: functions per key, bucket width. */
export const LSH_FUNCTIONS = 4;
export const LSH_WIDTH = 4.0;
/** Distinct buckets remembered per principal (least recently seen dropped first). */
export const MAX_BUCKETS = 4096;

/**
 * Off the data: a row whose RMS z-score against the model's reference statistics (the anomaly
 * check's, worker/anomaly/reference.ts) is above this is "far". Chosen on the tuning settings only
 * (bench/extraction/calibrate-far.mjs): 0.5 % of benign digits are above 2.5, all uniform-random and
 * margin-sampled queries are.
 */
export const FAR_Z = 2.5;

/**
 * The uniform-rows window counts from this many rows (not MIN_EVIDENCE): on the tuning data no
 * benign row of 40 principals (15,000 rows) was uniform (KS distance from U(0,1) ≥ 0.33 for 99 %,
 * threshold 0.2), so 30 rows with ≥ 6 uniform ones are already evidence
 * (bench/extraction/calibrate-synthetic.mjs).
 */
export const UNIFORM_EVIDENCE = 30;

/** Boundary probing: an answer whose top two probabilities differ by less than this is "close". */
export const CLOSE_MARGIN = 0.1;

/**
 * Sustained evidence: a principal whose input evidence (a signal that degrades alone: prada,
 * similarity, far, drift, uniform) has stayed saturated for this many answered rows is no longer
 * a borderline case; the `sustained` signal turns on and, with the saturated one, blocks. No benign
 * population of the evaluation ever saturates any of them (docs/extraction.md).
 */
export const SUSTAINED_ROWS = 300;
/** Signals whose saturation counts towards SUSTAINED_ROWS. */
export const EVIDENCE = ["prada", "similarity", "far", "drift", "uniform"] as const;

/** Ramps: a signal is 0 at `zero`, 1 at `one`, linear between (either direction). */
export interface Ramp {
  zero: number;
  one: number;
}

export const RAMPS = {
  /** PRADA: Shapiro–Wilk W of the min-distance window. */
  prada: { zero: 0.88, one: 0.78 },
  /** Chen et al. / steps: share of the recent queries flagged. */
  similarity: { zero: 0.25, one: 0.55 },
  /** Share of recent queries that landed in a bucket never visited before. */
  novelty: { zero: 0.5, one: 0.9 },
  /** Tenant view: share of queries near the union (tenant.ts). */
  near: { zero: 0.3, one: 0.65 },
  /**
   * Share of recent answers with a close top two. On the tuning data (calibrate-synthetic.mjs) no
   * benign principal's share passed 2.4 %; margin sampling over a natural pool sends 8.4 %
   * (uniform pool 8.2 %, Knockoff 4.2 %, random 4.5 %). Weight 0.8: it degrades alone, and is
   * not sustained evidence (an honest client with hard inputs may sit there), so it never blocks alone.
   */
  boundary: { zero: 0.04, one: 0.08 },
  /** Share of recent rows far from the reference data (FAR_Z). */
  far: { zero: 0.2, one: 0.6 },
  /** Share of recent rows that look uniform over the declared input range (synthetic.ts). */
  uniform: { zero: 0.2, one: 0.6 },
  /** Share of recent queries far from the tenant's own reference (self-reference.ts). */
  drift: { zero: 0.2, one: 0.6 },
  /** Rows answered while input evidence stayed saturated (SUSTAINED_ROWS): all or nothing. */
  sustained: { zero: SUSTAINED_ROWS - 1, one: SUSTAINED_ROWS },
  /** log10 of queries in the last hour. */
  volume: { zero: Math.log10(2000), one: Math.log10(20000) },
} satisfies Record<string, Ramp>;

/** Combination weights: score = 1 − Π (1 − weight·signal). */
export const WEIGHTS = { prada: 0.9, similarity: 0.8, far: 0.8, drift: 0.8, uniform: 0.8, sustained: 0.9, novelty: 0.4, boundary: 0.8, volume: 0.3 } as const;

export type SignalName = keyof typeof WEIGHTS;
