/**
 * The tenant-wide view (object `signals:<tenant>:*`), because real extraction campaigns spread over
 * many accounts: a Jacobian-augmentation child queried through key B is a small step from its parent
 * queried through key A, which B's own memory never saw, and a campaign over 40 keys gives each key
 * too few queries (50 of 2,000) for its own windows to say anything.
 *
 * It keeps the union of the tenant's last TENANT_MEMORY queries (any principal) and, per principal,
 * the distance from each of its queries to the nearest earlier query of the union. Established
 * principals (≥ MIN_EVIDENCE queries seen here) set the tenant's typical spacing:
 *   referenceD1  = median over established principals of their median nearest-union distance,
 *   referenceKnn = the same for the mean distance to the KNN nearest (Chen's threshold is a
 *                  fraction of it; the principal objects receive it).
 * Requiring an established history keeps a swarm of fresh accounts from setting the reference.
 *
 * Per principal p:  near_p = share of p's recent queries closer than NEAR_FRACTION · referenceD1
 *                   to a query already in the union (from ≥ MIN_PARTICIPATION queries on);
 * for the tenant:   T = combine(PRADA of the union distance window, near share of that window).
 * What it returns to p's object, which scores max(own score, cross):
 *
 *   cross = 1 − (1 − 0.9·prada_p)(1 − 0.8·nearRamp(near_p))(1 − 0.6·T·nearRamp(near_p))
 *
 * so an account whose queries are mostly small steps from the tenant's other queries is degraded
 * on its own evidence and blocked when the tenant as a whole looks like an extraction; an account
 * that does not take part (nearRamp 0) is never raised by T.
 *
 * Synthetic inputs, tenant-wide (issue 9): the tenant builds its own reference statistics from its
 * established, never-escalated principals' fingerprints (self-reference.ts) and hands them to every
 * principal object (`stats`, the `drift` signal). Per principal it keeps the share of its rows that
 * are synthetic (far from that reference, or uniform over the declared range as the principal's
 * object reported), from MIN_PARTICIPATION rows on — 20, not the 100 a principal's own window
 * needs, so 10 or 40 keys of 50–500 queries each are seen. Rows of principals whose share is
 * saturated are counted for the tenant (`syntheticRows`, forgotten after an hour without any):
 *
 *   cross_syn = 1 − (1 − 0.8·synRamp(syn_p))(1 − 0.9·[syntheticRows ≥ SUSTAINED_ROWS]·synRamp(syn_p))
 *
 * so a key taking part in a synthetic campaign is degraded on 20 rows, and blocked once the tenant
 * as a whole has answered SUSTAINED_ROWS saturated synthetic rows, however they were spread.
 */
import { DIMS } from "./projection";
import { KNN, MIN_EVIDENCE, RAMPS, SUSTAINED_ROWS, WARMUP, WEIGHTS, WINDOW } from "./params";
import { Moments, SELF_FAR_Z, fingerprintZ, referenceFrom, type FingerprintStats } from "./self-reference";
import { Ring } from "./ring";
import { nearest, store } from "./neighbors";
import { pradaW, type TenantView } from "./principal";
import { ramp, rampFor, round4 } from "./score";

export const TENANT_MEMORY = 2048;
/** Principals tracked (least recently seen dropped); each costs ~0.8 KiB. */
export const TENANT_PRINCIPALS = 1024;
export const PRINCIPAL_WINDOW = 128;
/** "Near": closer to the union than this share of the tenant's typical nearest distance. */
export const NEAR_FRACTION = 0.7;
export const MIN_PARTICIPATION = 20;
/** Weight of the tenant score for a participating principal. */
export const TENANT_WEIGHT = 0.6;

/** Synthetic rows of the tenant are forgotten after this long without any. */
export const SYNTHETIC_MEMORY_MS = 3_600_000;

export class PrincipalTrack {
  dist = new Ring(PRINCIPAL_WINDOW);
  knn = new Ring(64);
  /** 1 per row that was synthetic (drift or uniform), 0 otherwise. */
  synthetic = new Ring(PRINCIPAL_WINDOW);
  /** The principal's fingerprint moments, for the self-built reference. */
  moments = new Moments();
  /** Ever escalated: never part of the reference again (until an admin reset). */
  escalated = false;
  seen = 0;
  lastMs = 0;
}

/** Evidence from the principal's object about the rows it forwards. */
export interface IngestEvidence {
  /** Rows uniform over the declared range, of how many scored (synthetic.ts). */
  uniform?: number;
  uniformOf?: number;
  /** The principal's standing: anything but normal keeps it out of the reference. */
  state?: "normal" | "degraded" | "blocked";
}

export interface TenantAssessment {
  score: number;
  signals: { prada: number; near: number };
  raw: { w: number | null; near: number | null };
  /** Saturated synthetic rows answered in the last SYNTHETIC_MEMORY_MS (module comment). */
  syntheticRows: number;
  referenceD1: number | null;
  referenceKnn: number | null;
  principals: number;
}

export function nearShare(values: readonly number[], referenceD1: number | null): number | null {
  if (referenceD1 === null || values.length === 0) return null;
  const limit = NEAR_FRACTION * referenceD1;
  let n = 0;
  for (const v of values) if (v < limit) n++;
  return n / values.length;
}

export class TenantSignals {
  memory = new Float32Array(TENANT_MEMORY * DIMS);
  owners: string[] = new Array<string>(TENANT_MEMORY).fill("");
  memCount = 0;
  distances = new Ring(WINDOW);
  tracks = new Map<string, PrincipalTrack>();
  #references: { d1: number | null; knn: number | null } = { d1: null, knn: null };
  #referencesAt = -1;
  #stats: FingerprintStats | null = null;
  #statsAt = -1;
  syntheticRows = 0;
  syntheticMs = 0;

  track(principal: string): PrincipalTrack {
    let t = this.tracks.get(principal);
    if (t) this.tracks.delete(principal);
    else t = new PrincipalTrack();
    this.tracks.set(principal, t);
    return t;
  }

  /** Adds one principal's queries to the union; returns the memory slots written and the tracks dropped. */
  ingest(principal: string, vectors: readonly number[][], nowMs: number, evidence: IngestEvidence = {}): { slots: number[]; dropped: string[] } {
    const t = this.track(principal);
    t.lastMs = nowMs;
    if (evidence.state && evidence.state !== "normal") t.escalated = true;
    const out = { slots: [] as number[], dropped: [] as string[] };
    const stats = this.stats();
    const uniformShare = evidence.uniformOf ? (evidence.uniform ?? 0) / evidence.uniformOf : 0;
    let k = 0;
    let synthetic = 0;
    for (const v of vectors) {
      const filled = Math.min(this.memCount, TENANT_MEMORY);
      const nb = nearest(this.memory, filled, v, KNN);
      if (nb.duplicate) continue;
      // The first round(share·n) rows carry the request's uniform rows (only the count is known).
      const flag = (stats !== null && fingerprintZ(v, stats) > SELF_FAR_Z) || k++ < Math.round(uniformShare * vectors.length);
      t.synthetic.push(flag ? 1 : 0);
      if (flag) synthetic++;
      t.moments.add(v);
      if (filled >= WARMUP) {
        const d1 = nb.distances[0] as number;
        this.distances.push(d1);
        t.dist.push(d1);
        t.seen++;
        t.knn.push(nb.distances.reduce((a, b) => a + b, 0) / nb.distances.length);
      }
      const slot = this.memCount % TENANT_MEMORY;
      store(this.memory, slot, v);
      this.owners[slot] = principal;
      this.memCount++;
      out.slots.push(slot);
    }
    if (nowMs - this.syntheticMs > SYNTHETIC_MEMORY_MS) this.syntheticRows = 0;
    if (synthetic > 0 && t.synthetic.length >= MIN_PARTICIPATION && ramp(t.synthetic.mean(), RAMPS.uniform) >= 1) {
      this.syntheticRows += synthetic;
      this.syntheticMs = nowMs;
    }
    while (this.tracks.size > TENANT_PRINCIPALS) {
      const oldest = this.tracks.keys().next().value as string;
      this.tracks.delete(oldest);
      out.dropped.push(oldest);
    }
    return out;
  }

  /** The tenant's typical spacing, from established principals only (module comment); cached per memory count. */
  references(): { d1: number | null; knn: number | null } {
    if (this.#referencesAt === this.memCount) return this.#references;
    const d1: number[] = [];
    const knn: number[] = [];
    for (const t of this.tracks.values()) {
      if (t.seen < MIN_EVIDENCE) continue;
      d1.push(median(t.dist.values()));
      if (t.knn.length >= 20) knn.push(median(t.knn.values()));
    }
    this.#references = { d1: d1.length >= 3 ? median(d1) : null, knn: knn.length >= 3 ? median(knn) : null };
    this.#referencesAt = this.memCount;
    return this.#references;
  }

  /**
   * The self-built reference (self-reference.ts) from established principals that were never
   * escalated and whose own rows are not mostly synthetic; cached per memory count.
   */
  stats(): FingerprintStats | null {
    if (this.#statsAt === this.memCount) return this.#stats;
    const moments: Moments[] = [];
    for (const t of this.tracks.values()) {
      if (t.escalated || t.moments.n < MIN_EVIDENCE) continue;
      if (t.synthetic.length > 0 && t.synthetic.mean() >= RAMPS.uniform.zero) continue;
      moments.push(t.moments);
    }
    this.#stats = referenceFrom(moments);
    this.#statsAt = this.memCount;
    return this.#stats;
  }

  assess(): TenantAssessment {
    const refs = this.references();
    const values = this.distances.values();
    const w = pradaW(values);
    const near = values.length >= MIN_EVIDENCE ? nearShare(values, refs.d1) : null;
    const signals = { prada: w === null ? 0 : round4(rampFor("prada", w)), near: near === null ? 0 : round4(ramp(near, RAMPS.near)) };
    const score = round4(1 - (1 - WEIGHTS.prada * signals.prada) * (1 - WEIGHTS.similarity * signals.near));
    return {
      score,
      signals,
      raw: { w: w === null ? null : round4(w), near: near === null ? null : round4(near) },
      referenceD1: refs.d1,
      referenceKnn: refs.knn,
      principals: this.tracks.size,
      syntheticRows: this.syntheticRows,
    };
  }

  /** What the principal's object folds into its score (module comment). */
  viewFor(principal: string, tenant: TenantAssessment = this.assess()): TenantView {
    const t = this.tracks.get(principal);
    const base = { tenant: tenant.score, reference: tenant.referenceKnn, stats: this.stats() };
    if (!t || t.synthetic.length < MIN_PARTICIPATION) return { cross: 0, ...base };
    const syn = ramp(t.synthetic.mean(), RAMPS.uniform);
    const campaign = tenant.syntheticRows >= SUSTAINED_ROWS ? 1 : 0;
    const crossSyn = 1 - (1 - WEIGHTS.uniform * syn) * (1 - WEIGHTS.sustained * campaign * syn);
    if (t.dist.length < MIN_PARTICIPATION) return { cross: round4(crossSyn), ...base };
    const values = t.dist.values();
    const w = t.dist.length >= MIN_EVIDENCE ? pradaW(values) : null;
    const prada = w === null ? 0 : rampFor("prada", w);
    const share = nearShare(values, tenant.referenceD1);
    const near = share === null ? 0 : ramp(share, RAMPS.near);
    const cross = 1 - (1 - WEIGHTS.prada * prada) * (1 - WEIGHTS.similarity * near) * (1 - TENANT_WEIGHT * tenant.score * near) * (1 - crossSyn);
    return { cross: round4(cross), ...base };
  }
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
