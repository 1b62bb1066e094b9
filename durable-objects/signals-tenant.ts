import { WINDOW } from "../worker/extraction/params";
import type { TenantView } from "../worker/extraction/principal";
import { TenantSignals, TENANT_MEMORY, PrincipalTrack, type TenantAssessment } from "../worker/extraction/tenant";
import { Ring } from "../worker/extraction/ring";
import { Moments } from "../worker/extraction/self-reference";
import { lapse, isoOrNull, type ExtractionState } from "../worker/extraction/state";
import { loadMemory, loadWindows, parseJson, type SignalsWrites } from "./signals-store";
import { wellFormed } from "./signals-principal";

export interface IngestInput {
  tenant: string;
  principal: string;
  features: number[][];
  /** Rows of `features` uniform over the declared range, of how many scored (optional). */
  uniform?: number;
  uniformOf?: number;
  /** The principal's outcome, for the usage index. */
  outcome: { score: number; state: ExtractionState; until: string | null; cooldown_s: number };
}

export interface TenantStatus {
  role: "tenant";
  tenant: string;
  assessment: TenantAssessment;
  remembered: number;
  /** `ingest` calls since this object was loaded (coalescing is observable: issue 11). */
  ingests: number;
}

export interface PrincipalExtraction {
  principal: string;
  score: number;
  state: ExtractionState;
  until: string | null;
}

/**
 * The tenant role (`signals:<tenant>:*`): the union of the tenant's recent queries, a track per
 * principal (worker/extraction/tenant.ts) and the usage index of every principal's standing.
 */
export class TenantRole {
  readonly #writes: SignalsWrites;
  readonly #sql: SqlStorage;
  #t: TenantSignals | null = null;
  #ingests = 0;

  constructor(sql: SqlStorage, writes: SignalsWrites) {
    this.#sql = sql;
    this.#writes = writes;
  }

  /** For the write-behind (signals-store.ts). */
  get signals(): TenantSignals | null {
    return this.#t;
  }

  /** This role's `sig_meta` values as of now (signals-store.ts reads them when it writes). */
  metaValues(): Record<string, string> {
    const t = this.#t;
    return t ? { mem_count: String(t.memCount), synthetic_rows: String(t.syntheticRows), synthetic_ms: String(t.syntheticMs) } : {};
  }

  /** Adds a principal's queries to the union and returns what that principal should fold in. */
  ingest(input: IngestInput): TenantView {
    const t = (this.#t ??= new TenantSignals());
    const nowMs = Date.now();
    this.#ingests++;
    const out = t.ingest(input.principal, wellFormed(input.features), nowMs, { uniform: input.uniform, uniformOf: input.uniformOf, state: input.outcome.state });
    for (const slot of out.slots) this.#writes.slot(slot);
    for (const dropped of out.dropped) this.#writes.drop(dropped);
    if (t.tracks.has(input.principal)) this.#writes.track(input.principal);
    this.#writes.window("union");
    this.#writes.touchMeta();
    const o = input.outcome;
    const changed = this.#writes.principalRow(input.principal, { score: o.score, state: o.state, untilMs: o.until === null ? null : Date.parse(o.until), cooldownS: o.cooldown_s, updatedMs: nowMs });
    // A changed state reaches the usage index at once; the union, tracks and scores follow within WRITE_BEHIND_MS.
    if (changed) this.#writes.flushNow();
    else this.#writes.later();
    return t.viewFor(input.principal);
  }

  /** Every principal's latest extraction standing (CONTRACT §7 usage view), expired states lapsed. */
  principals(): PrincipalExtraction[] {
    this.#writes.flushNow();
    const nowMs = Date.now();
    const rows = this.#sql.exec<{ principal: string; score: number; state: ExtractionState; until_ms: number | null; cooldown_s: number }>(
      "SELECT principal, score, state, until_ms, cooldown_s FROM sig_principals ORDER BY principal",
    );
    return [...rows].map((r) => {
      const s = lapse({ state: r.state, untilMs: r.until_ms }, nowMs, { degrade_at: 1, block_at: 1, cooldown_s: r.cooldown_s }).standing;
      return { principal: r.principal, score: r.score, state: s.state, until: isoOrNull(s.untilMs) };
    });
  }

  /** Drops a principal from the tenant view (its admin reset). */
  forget(principal: string): void {
    this.#t?.tracks.delete(principal);
    this.#writes.drop(principal);
    this.#sql.exec("DELETE FROM sig_tracks WHERE principal = ?", principal);
    this.#sql.exec("DELETE FROM sig_principals WHERE principal = ?", principal);
  }

  status(meta: ReadonlyMap<string, string>): TenantStatus | null {
    if (!this.#t) return null;
    return { role: "tenant", tenant: meta.get("tenant") ?? "", assessment: this.#t.assess(), remembered: Math.min(this.#t.memCount, TENANT_MEMORY), ingests: this.#ingests };
  }

  load(meta: ReadonlyMap<string, string>): void {
    const sql = this.#sql;
    const t = new TenantSignals();
    loadMemory(sql, t.memory, TENANT_MEMORY, t.owners);
    t.memCount = Number(meta.get("mem_count") ?? 0);
    const union = loadWindows(sql).get("union");
    t.distances = new Ring(WINDOW, union?.data ?? null, union?.count ?? 0);
    t.syntheticRows = Number(meta.get("synthetic_rows") ?? 0);
    t.syntheticMs = Number(meta.get("synthetic_ms") ?? 0);
    type TrackRow = {
      principal: string; dist: ArrayBuffer; dist_count: number; knn: ArrayBuffer; knn_count: number; seen: number; last_ms: number;
      synthetic: ArrayBuffer | null; synthetic_count: number; moments: string | null; escalated: number;
    };
    for (const r of sql.exec<TrackRow>("SELECT * FROM sig_tracks ORDER BY last_ms")) {
      const track = new PrincipalTrack();
      track.dist = new Ring(track.dist.capacity, new Uint8Array(r.dist), r.dist_count);
      track.knn = new Ring(track.knn.capacity, new Uint8Array(r.knn), r.knn_count);
      track.synthetic = new Ring(track.synthetic.capacity, r.synthetic ? new Uint8Array(r.synthetic) : null, r.synthetic_count);
      track.moments = Moments.from(parseJson(r.moments ?? undefined));
      track.escalated = r.escalated === 1;
      track.seen = r.seen;
      track.lastMs = r.last_ms;
      t.tracks.set(r.principal, track);
    }
    this.#t = t;
  }

  reset(): void {
    this.#t = null;
  }
}
