/**
 * The tenant-wide view (object `signals:<tenant>:*`), because real extraction campaigns spread over
 * many accounts: a Jacobian-augmentation child queried through key B is a small step from its parent
 * queried through key A, which B's own memory never saw.
 *
 * It keeps the union of the tenant's last TENANT_MEMORY queries (any principal) and, per principal,
 * the distances of that principal's queries to their nearest neighbours in the union. From these:
 * - cross_p: PRADA and similarity computed for principal p against the union memory (the same
 *   ramps and weights as the principal's own signals);
 * - the tenant score T: PRADA, similarity and novelty of the union stream itself;
 * - the reference: the median over principals of their median mean-KNN distance — the typical
 *   spacing of this tenant's queries, which Chen's threshold is a fraction of.
 *
 * How it raises a principal (returned as `cross` and applied as score_p = max(own_p, cross)):
 *
 *   cross = max( combine(prada_p, similarity_p),  T · min(1, stepShare_p / PARTICIPATION) )
 *
 * The second term reaches accounts too small to be judged alone (a campaign over a thousand keys
 * with a few dozen queries each): while the tenant as a whole looks like an extraction, an account
 * whose queries are mostly small steps from the tenant's other queries carries the tenant's score.
 * It needs only MIN_PARTICIPATION flagged-or-not observations, not MIN_EVIDENCE.
 * Benign accounts flag 5–15 % of their queries as steps, which caps their raise at T/3.
 */
import { DIMS } from "./projection";
import { KNN, WINDOW } from "./params";
import { Ring } from "./ring";
import { nearest, store } from "./neighbors";
import { lshBucket } from "./lsh";
import { pradaW, similarityFlag, windowShare, type TenantView } from "./principal";
import { combine, rampFor, round4 } from "./score";

export const TENANT_MEMORY = 2048;
/** Principals tracked (least recently seen dropped); each costs ~1.3 KiB. */
export const TENANT_PRINCIPALS = 1024;
export const PRINCIPAL_WINDOW = 128;
export const TENANT_BUCKETS = 16384;
export const PARTICIPATION = 0.5;
export const MIN_PARTICIPATION = 5;

export class PrincipalTrack {
  dist = new Ring(PRINCIPAL_WINDOW);
  flags = new Ring(PRINCIPAL_WINDOW);
  knn = new Ring(64);
  lastMs = 0;
}

export interface TenantAssessment {
  score: number;
  signals: { prada: number; similarity: number; novelty: number };
  raw: { w: number | null; similarity: number | null; novelty: number | null };
  reference: number | null;
  principals: number;
}

export class TenantSignals {
  memory = new Float32Array(TENANT_MEMORY * DIMS);
  owners: string[] = new Array<string>(TENANT_MEMORY).fill("");
  memCount = 0;
  distances = new Ring(WINDOW);
  flags = new Ring(WINDOW);
  novel = new Ring(WINDOW);
  buckets = new Map<string, number>();
  tracks = new Map<string, PrincipalTrack>();
  #reference: number | null = null;
  #referenceAt = -1;

  track(principal: string): PrincipalTrack {
    let t = this.tracks.get(principal);
    if (t) this.tracks.delete(principal);
    else t = new PrincipalTrack();
    this.tracks.set(principal, t);
    return t;
  }

  /** Adds one principal's queries to the union; returns the slots written and tracks dropped. */
  ingest(principal: string, vectors: readonly number[][], nowMs: number): { slots: number[]; dropped: string[]; buckets: string[]; evicted: string[] } {
    const reference = this.reference();
    const t = this.track(principal);
    t.lastMs = nowMs;
    const out = { slots: [] as number[], dropped: [] as string[], buckets: [] as string[], evicted: [] as string[] };
    for (const v of vectors) {
      const nb = nearest(this.memory, Math.min(this.memCount, TENANT_MEMORY), v, KNN);
      if (nb.duplicate) continue;
      const d1 = nb.distances[0];
      if (d1 !== undefined) {
        this.distances.push(d1);
        t.dist.push(d1);
      }
      if (nb.distances.length >= KNN) {
        const flag = similarityFlag(nb.distances, reference) ? 1 : 0;
        this.flags.push(flag);
        t.flags.push(flag);
        t.knn.push(nb.distances.reduce((a, b) => a + b, 0) / nb.distances.length);
      }
      const bucket = lshBucket(v);
      this.novel.push(this.buckets.has(bucket) ? 0 : 1);
      this.buckets.delete(bucket);
      this.buckets.set(bucket, nowMs);
      out.buckets.push(bucket);
      while (this.buckets.size > TENANT_BUCKETS) {
        const oldest = this.buckets.keys().next().value as string;
        this.buckets.delete(oldest);
        out.evicted.push(oldest);
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

  /** Median over principals (with ≥ 20 KNN entries) of their median mean-KNN distance; cached per ingest count. */
  reference(): number | null {
    if (this.#referenceAt === this.memCount) return this.#reference;
    const medians: number[] = [];
    for (const t of this.tracks.values()) if (t.knn.length >= 20) medians.push(median(t.knn.values()));
    this.#reference = medians.length >= 3 ? median(medians) : null;
    this.#referenceAt = this.memCount;
    return this.#reference;
  }

  assess(): TenantAssessment {
    const w = pradaW(this.distances.values());
    const similarity = windowShare(this.flags);
    const novelty = windowShare(this.novel);
    const signals = {
      prada: w === null ? 0 : round4(rampFor("prada", w)),
      similarity: similarity === null ? 0 : round4(rampFor("similarity", similarity)),
      novelty: novelty === null ? 0 : round4(rampFor("novelty", novelty)),
    };
    return {
      score: combine(signals),
      signals,
      raw: { w: w === null ? null : round4(w), similarity: nullable4(similarity), novelty: nullable4(novelty) },
      reference: this.reference(),
      principals: this.tracks.size,
    };
  }

  /** What the principal's object should fold into its score (module comment). */
  viewFor(principal: string, tenant: TenantAssessment = this.assess()): TenantView {
    const t = this.tracks.get(principal);
    if (!t) return { cross: 0, tenant: tenant.score, reference: tenant.reference };
    const w = pradaW(t.dist.values());
    const share = windowShare(t.flags);
    const own = combine({ prada: w === null ? 0 : rampFor("prada", w), similarity: share === null ? 0 : rampFor("similarity", share) });
    const participation = t.flags.length >= MIN_PARTICIPATION ? Math.min(1, t.flags.mean() / PARTICIPATION) : 0;
    return { cross: round4(Math.max(own, tenant.score * participation)), tenant: tenant.score, reference: tenant.reference };
  }
}

function median(values: number[]): number {
  const s = values.slice().sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? (s[m] as number) : ((s[m - 1] as number) + (s[m] as number)) / 2;
}

function nullable4(x: number | null): number | null {
  return x === null ? null : round4(x);
}
