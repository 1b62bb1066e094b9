/**
 * One principal's extraction signals, pure and synchronous: the SignalsObject keeps one of these in
 * memory and mirrors its parts to SQLite; the benchmark drives it directly.
 *
 * Per observed query v (a projected vector, features.ts):
 * - neighbours among the last MEMORY queries; a repeat (within DUPLICATE_DISTANCE) teaches an
 *   attacker nothing and is only counted for volume;
 * - PRADA (Juuti et al. 2019): the distance to the nearest earlier query joins the distance window;
 *   W of that window below ~0.88 raises the signal;
 * - similarity (Chen, Carlini & Wagner 2019): the query is flagged when the mean distance to its
 *   KNN nearest is below KNN_FRACTION of the tenant's typical value, or when it is a "step": its
 *   nearest neighbour is much closer than its other neighbours (a small move from one earlier
 *   query — Jacobian augmentation, line search); the signal is the flagged share of the window;
 * - novelty: the query's LSH bucket was never visited before (share of the window);
 * - off the data: share of rows far from the model's reference statistics (when it has them);
 * - synthetic rows: share of rows that look uniform over the declared input range (synthetic.ts);
 * - drift: share of queries far from the tenant's own reference, built from its established
 *   principals' fingerprints (self-reference.ts, handed over in the tenant view);
 * - sustained: input evidence saturated for SUSTAINED_ROWS answered rows (params.ts);
 * - boundary probing: share of answers with a close top two (recordAnswer);
 * - volume: queries in the last hour.
 */
import { DIMS } from "./projection";
import { EVIDENCE, KNN, KNN_FRACTION, MAX_BUCKETS, MEMORY, MIN_EVIDENCE, STEP_RATIO, SUSTAINED_ROWS, UNIFORM_EVIDENCE, WARMUP, WINDOW, CLOSE_MARGIN, type SignalName } from "./params";
import { SELF_FAR_Z, fingerprintZ, type FingerprintStats } from "./self-reference";
import { Ring } from "./ring";
import { nearest, store } from "./neighbors";
import { lshBucket } from "./lsh";
import { Volume } from "./volume";
import { shapiroWilk } from "./shapiro-wilk";
import { combine, rampFor, round4, type Signals } from "./score";

/** What the tenant-wide view last said about this principal (tenant.ts). */
export interface TenantView {
  /** This principal judged against the union of the tenant's recent queries. */
  cross: number;
  /** The tenant's own score. */
  tenant: number;
  /** Typical mean KNN distance of the tenant's queries, the scale Chen's threshold needs; null until known. */
  reference: number | null;
  /** The tenant's own fingerprint statistics (self-reference.ts); absent until it has established principals. */
  stats?: FingerprintStats | null;
}

export const NO_TENANT_VIEW: TenantView = { cross: 0, tenant: 0, reference: null };

export interface Raw {
  /** PRADA's W, null until the window holds MIN_EVIDENCE distances. */
  w: number | null;
  similarity: number | null;
  /** Share of recent rows far from the reference data; null without a reference or evidence. */
  far: number | null;
  /** Share of recent queries far from the tenant's own reference; null until it exists and there is evidence. */
  drift: number | null;
  /** Share of recent rows uniform over the declared range; null without a range or evidence. */
  uniform: number | null;
  /** Answered rows since input evidence saturated. */
  sustained: number;
  novelty: number | null;
  boundary: number | null;
  queries_last_hour: number;
}

export interface Assessment {
  score: number;
  own: number;
  signals: Signals;
  raw: Raw;
  view: TenantView;
}

/** Changes an observation made, for the storage mirror. */
export interface Written {
  slots: number[];
  buckets: string[];
  evicted: string[];
  minute: number | null;
  /** New (unrepeated) queries whose row is uniform over the declared range, of how many carried a flag. */
  uniform: number;
  uniformOf: number;
}

/** Per-query similarity flag (see the module comment). */
export function similarityFlag(knn: readonly number[], reference: number | null): boolean {
  if (knn.length < KNN) return false;
  const mean = knn.reduce((a, b) => a + b, 0) / knn.length;
  if (reference !== null && mean < KNN_FRACTION * reference) return true;
  return (knn[0] as number) < STEP_RATIO * mean;
}

export function pradaW(distances: readonly number[]): number | null {
  return distances.length >= MIN_EVIDENCE ? shapiroWilk(distances).w : null;
}

export function windowShare(ring: Ring, min = MIN_EVIDENCE): number | null {
  return ring.length >= min ? ring.mean() : null;
}

export class PrincipalSignals {
  memory = new Float32Array(MEMORY * DIMS);
  memCount = 0;
  distances = new Ring(WINDOW);
  flags = new Ring(WINDOW);
  novel = new Ring(WINDOW);
  close = new Ring(WINDOW);
  far = new Ring(WINDOW);
  drift = new Ring(WINDOW);
  uniform = new Ring(WINDOW);
  /** Answered rows since input evidence saturated (0 once it falls back below half). */
  sustained = 0;
  /** LSH bucket → last visit (ms); at most MAX_BUCKETS, least recent dropped. */
  buckets = new Map<string, number>();
  volume = new Volume();
  /** Every query ever counted (repeats and unobserved batch rows included). */
  total = 0;

  /**
   * Adds a request's queries; returns what changed. `queries` ≥ vectors.length counts unsampled rows.
   * `uniform[i]` (optional) says whether vector i's row is uniform over the declared range: it
   * enters the uniform window only when the vector is not a repeat of a remembered query, so a row
   * asked again — in the same batch or any later request while it is among the last MEMORY
   * distinct queries — counts once.
   */
  observe(vectors: readonly number[][], queries: number, nowMs: number, reference: number | null, stats: FingerprintStats | null = null, uniform: readonly boolean[] | null = null): Written {
    const written: Written = { slots: [], buckets: [], evicted: [], minute: null, uniform: 0, uniformOf: 0 };
    this.total += Math.max(queries, vectors.length);
    written.minute = this.volume.add(Math.max(queries, vectors.length), nowMs);
    for (const [i, v] of vectors.entries()) {
      const filled = Math.min(this.memCount, MEMORY);
      const nb = nearest(this.memory, filled, v, KNN);
      if (nb.duplicate) continue;
      const flag = uniform?.[i];
      if (flag !== undefined) {
        this.uniform.push(flag ? 1 : 0);
        written.uniformOf++;
        if (flag) written.uniform++;
      }
      if (filled >= WARMUP) {
        this.distances.push(nb.distances[0] as number);
        this.flags.push(similarityFlag(nb.distances, reference) ? 1 : 0);
      }
      if (stats) this.drift.push(fingerprintZ(v, stats) > SELF_FAR_Z ? 1 : 0);
      const bucket = lshBucket(v);
      this.novel.push(this.buckets.has(bucket) ? 0 : 1);
      this.buckets.delete(bucket);
      this.buckets.set(bucket, nowMs);
      written.buckets.push(bucket);
      while (this.buckets.size > MAX_BUCKETS) {
        const oldest = this.buckets.keys().next().value as string;
        this.buckets.delete(oldest);
        written.evicted.push(oldest);
      }
      const slot = this.memCount % MEMORY;
      store(this.memory, slot, v);
      this.memCount++;
      written.slots.push(slot);
    }
    return written;
  }

  /** Rows of a request far from / near the reference data (pipeline: anomaly scores over FAR_Z). */
  recordFar(far: number, of: number): void {
    const n = Math.min(of, WINDOW);
    const ones = of > 0 ? Math.round((far / of) * n) : 0;
    for (let i = 0; i < n; i++) this.far.push(i < ones ? 1 : 0);
  }

  /** Rows of a request uniform over the declared range (synthetic.ts uniformRows). */
  recordUniform(uniform: number, of: number): void {
    const n = Math.min(of, WINDOW);
    const ones = of > 0 ? Math.round((uniform / of) * n) : 0;
    for (let i = 0; i < n; i++) this.uniform.push(i < ones ? 1 : 0);
  }

  /**
   * Counts `rows` answered while some input evidence is saturated; resets once all of it has
   * fallen below half (hysteresis: a few natural rows interleaved do not restart the count).
   * Returns true when the count changed.
   */
  noteEvidence(signals: Signals, rows: number): boolean {
    const top = Math.max(...EVIDENCE.map((k) => signals[k]));
    if (top >= 1 && rows > 0) {
      this.sustained += rows;
      return true;
    }
    if (top < 0.5 && this.sustained > 0) {
      this.sustained = 0;
      return true;
    }
    return false;
  }

  recordMargins(margins: readonly number[]): void {
    for (const m of margins) if (Number.isFinite(m)) this.close.push(m < CLOSE_MARGIN ? 1 : 0);
  }

  /** Clears the windows (not the query memory): a principal coming back from a block starts over. */
  clearWindows(): void {
    this.distances.clear();
    this.flags.clear();
    this.novel.clear();
    this.close.clear();
    this.far.clear();
    this.drift.clear();
    this.uniform.clear();
    this.sustained = 0;
  }

  assess(nowMs: number, view: TenantView): Assessment {
    const w = pradaW(this.distances.values());
    const raw: Raw = {
      w: w === null ? null : round4(w),
      similarity: nullable4(windowShare(this.flags)),
      far: nullable4(windowShare(this.far)),
      drift: nullable4(windowShare(this.drift)),
      uniform: nullable4(windowShare(this.uniform, UNIFORM_EVIDENCE)),
      sustained: this.sustained,
      novelty: nullable4(windowShare(this.novel)),
      boundary: nullable4(windowShare(this.close)),
      queries_last_hour: this.volume.last(60, nowMs),
    };
    const signals: Signals = {
      prada: w === null ? 0 : rampFor("prada", w),
      similarity: raw.similarity === null ? 0 : rampFor("similarity", raw.similarity),
      far: raw.far === null ? 0 : rampFor("far", raw.far),
      drift: raw.drift === null ? 0 : rampFor("drift", raw.drift),
      uniform: raw.uniform === null ? 0 : rampFor("uniform", raw.uniform),
      sustained: this.sustained >= SUSTAINED_ROWS ? 1 : 0,
      novelty: raw.novelty === null ? 0 : rampFor("novelty", raw.novelty),
      boundary: raw.boundary === null ? 0 : rampFor("boundary", raw.boundary),
      volume: raw.queries_last_hour > 0 ? rampFor("volume", Math.log10(raw.queries_last_hour)) : 0,
    };
    for (const k of Object.keys(signals) as SignalName[]) signals[k] = round4(signals[k]);
    const own = combine(signals);
    return { score: Math.max(own, view.cross), own, signals, raw, view };
  }
}

function nullable4(x: number | null): number | null {
  return x === null ? null : round4(x);
}
