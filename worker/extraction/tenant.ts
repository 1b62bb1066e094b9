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
 */
import { DIMS } from "./projection";
import { KNN, MIN_EVIDENCE, RAMPS, WARMUP, WEIGHTS, WINDOW } from "./params";
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

export class PrincipalTrack {
  dist = new Ring(PRINCIPAL_WINDOW);
  knn = new Ring(64);
  seen = 0;
  lastMs = 0;
}

export interface TenantAssessment {
  score: number;
  signals: { prada: number; near: number };
  raw: { w: number | null; near: number | null };
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

  track(principal: string): PrincipalTrack {
    let t = this.tracks.get(principal);
    if (t) this.tracks.delete(principal);
    else t = new PrincipalTrack();
    this.tracks.set(principal, t);
    return t;
  }

  /** Adds one principal's queries to the union; returns the memory slots written and the tracks dropped. */
  ingest(principal: string, vectors: readonly number[][], nowMs: number): { slots: number[]; dropped: string[] } {
    const t = this.track(principal);
    t.lastMs = nowMs;
    const out = { slots: [] as number[], dropped: [] as string[] };
    for (const v of vectors) {
      const filled = Math.min(this.memCount, TENANT_MEMORY);
      const nb = nearest(this.memory, filled, v, KNN);
      if (nb.duplicate) continue;
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
    };
  }

  /** What the principal's object folds into its score (module comment). */
  viewFor(principal: string, tenant: TenantAssessment = this.assess()): TenantView {
    const t = this.tracks.get(principal);
    const base = { tenant: tenant.score, reference: tenant.referenceKnn };
    if (!t || t.dist.length < MIN_PARTICIPATION) return { cross: 0, ...base };
    const values = t.dist.values();
    const w = t.dist.length >= MIN_EVIDENCE ? pradaW(values) : null;
    const prada = w === null ? 0 : rampFor("prada", w);
    const share = nearShare(values, tenant.referenceD1);
    const near = share === null ? 0 : ramp(share, RAMPS.near);
    const cross = 1 - (1 - WEIGHTS.prada * prada) * (1 - WEIGHTS.similarity * near) * (1 - TENANT_WEIGHT * tenant.score * near);
    return { cross: round4(cross), ...base };
  }
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}
