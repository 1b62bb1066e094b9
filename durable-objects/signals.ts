import { DurableObject } from "cloudflare:workers";
import { errorFields, log } from "../worker/log";
import type { Bindings } from "../worker/env";
import { migrate, type Migration } from "./migrations";
import { DIMS, PROJECTION_VERSION } from "../worker/extraction/projection";
import { MEMORY, WINDOW } from "../worker/extraction/params";
import { PrincipalSignals, NO_TENANT_VIEW, type Assessment, type Raw, type TenantView, type Written } from "../worker/extraction/principal";
import { TenantSignals, TENANT_MEMORY, PrincipalTrack, type TenantAssessment } from "../worker/extraction/tenant";
import { observeStep, type ObserveOutcome } from "../worker/extraction/observe";
import { Ring } from "../worker/extraction/ring";
import { Volume } from "../worker/extraction/volume";
import { Moments } from "../worker/extraction/self-reference";
import { lapse, isoOrNull, NORMAL, type ExtractionPolicy, type ExtractionState, type QuerySurface, type Standing } from "../worker/extraction/state";
import type { Signals } from "../worker/extraction/score";
import { SignalsWrites } from "./signals-store";
import { signalsHooks } from "./test-hooks";

/**
 * Extraction signals (CONTRACT §5, docs/extraction.md). One class, two roles, told apart by the
 * method called and fixed by the first call:
 * - `signals:<tenant>:<principal>` — a principal's detector; `observe` is on the request path
 *   (one round trip, called before forwarding), `recordAnswer` after the answer.
 * - `signals:<tenant>:*` — the tenant-wide view. Principal objects forward their queries to it
 *   without waiting (`ingest`) and fold its answer into their next observation; it also keeps the
 *   latest score and state of every principal for the admin usage view (`principals`).
 * Tables and memory bounds: durable-objects/STORAGE.md, "SignalsObject".
 */
const SCHEMA: readonly Migration[] = [
  [
    "CREATE TABLE sig_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    `CREATE TABLE sig_memory (slot INTEGER PRIMARY KEY CHECK (slot >= 0 AND slot < ${TENANT_MEMORY}), vec BLOB NOT NULL,
       principal TEXT NOT NULL DEFAULT '')`,
    "CREATE TABLE sig_windows (name TEXT PRIMARY KEY, data BLOB NOT NULL, count INTEGER NOT NULL CHECK (count >= 0))",
    "CREATE TABLE sig_buckets (bucket TEXT PRIMARY KEY, last_ms INTEGER NOT NULL)",
    "CREATE TABLE sig_volume (minute INTEGER PRIMARY KEY, queries INTEGER NOT NULL CHECK (queries >= 0))",
    `CREATE TABLE sig_tracks (principal TEXT PRIMARY KEY, dist BLOB NOT NULL, dist_count INTEGER NOT NULL, knn BLOB NOT NULL,
       knn_count INTEGER NOT NULL, seen INTEGER NOT NULL, last_ms INTEGER NOT NULL)`,
    `CREATE TABLE sig_principals (principal TEXT PRIMARY KEY, score REAL NOT NULL, state TEXT NOT NULL
       CHECK (state IN ('normal', 'degraded', 'blocked')), until_ms INTEGER, cooldown_s INTEGER NOT NULL, updated_ms INTEGER NOT NULL)`,
  ],
  // Issue 9: synthetic-row share, fingerprint moments (the self-built reference) and escalation per track.
  [
    "ALTER TABLE sig_tracks ADD COLUMN synthetic BLOB",
    "ALTER TABLE sig_tracks ADD COLUMN synthetic_count INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE sig_tracks ADD COLUMN moments TEXT",
    "ALTER TABLE sig_tracks ADD COLUMN escalated INTEGER NOT NULL DEFAULT 0",
  ],
];

/** Queries forwarded to the tenant object per call; more wait for the next call. */
const FORWARD_BATCH = 256;
/**
 * Least time between two `ingest` calls from one principal (issue 11): each call writes several
 * tenant rows, so observations arriving faster are coalesced into one call. The first after a
 * quiet spell goes at once; `#flush()` (reset, test hooks) and a full batch do not wait either.
 */
export const FORWARD_INTERVAL_MS = 100;
/** Observations pending that start the next call at once, whatever the interval says. */
const FORWARD_PENDING = 32;

export function signalsObjectName(tenantId: string, principalId: string): string {
  return `signals:${tenantId}:${principalId}`;
}
export function tenantSignalsName(tenantId: string): string {
  return `signals:${tenantId}:*`;
}

export interface ObserveInput {
  tenant: string;
  principal: string;
  /** One projected vector per query (worker/extraction/features.ts: oipQueryFeatures, textQueryFeatures). */
  features: number[][];
  /** Queries in the request (≥ features.length when a large batch was sampled); defaults to features.length. */
  queries?: number;
  policy: ExtractionPolicy;
  /** Text queries raise a principal no higher than `policy.text` allows (state.ts, ceilingFor). Default tabular. */
  surface?: QuerySurface;
  /**
   * Per-row input evidence of an OIP request (worker/extraction/far.ts farRows): rows far from the
   * model's reference statistics, of how many; rows uniform over the declared range, of how many
   * (both optional: older callers send only the first pair).
   */
  far?: { far: number; of: number; uniform?: number; uniformOf?: number } | null;
  /** Per feature vector, whether its row is uniform over the declared range (features.ts `uniform`); preferred to `far.uniform`: repeats count once. */
  uniform?: boolean[];
}

export type ObserveResult = ObserveOutcome;

export interface RecordAnswerInput {
  tenant: string;
  principal: string;
  /** Top-two margins of the origin's answer, one per row (features.ts: outputMargins). */
  margins: number[];
}

export interface PrincipalStatus {
  role: "principal";
  tenant: string;
  principal: string;
  score: number;
  state: ExtractionState;
  until: string | null;
  signals: Signals;
  raw: Raw;
  view: TenantView;
  own: number;
  queries: number;
  remembered: number;
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

export class SignalsObject extends DurableObject<Bindings> {
  #sql: SqlStorage;
  /** Rows written behind (durable-objects/signals-store.ts); `meta` is the in-memory sig_meta. */
  #writes: SignalsWrites;
  get #meta(): Map<string, string> {
    return this.#writes.meta;
  }
  #p: PrincipalSignals | null = null;
  #t: TenantSignals | null = null;
  #standing: Standing = NORMAL;
  #lastScore = 0;
  #view: TenantView = NO_TENANT_VIEW;
  #pending: IngestInput[] = [];
  #forwarding: Promise<void> | null = null;
  #forwardTimer: ReturnType<typeof setTimeout> | null = null;
  #lastForwardMs = -Infinity;
  #ingests = 0;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#writes = new SignalsWrites(this.#sql, {
      memory: () => (this.#t ? { memory: this.#t.memory, owners: this.#t.owners } : this.#p ? { memory: this.#p.memory } : null),
      window: (name) => (name === "union" ? this.#t?.distances : this.#p ? principalWindows(this.#p)[name] : undefined),
      volume: (minute) => this.#p?.volume.minutes.get(minute),
      track: (principal) => this.#t?.tracks.get(principal),
    });
    signalsHooks.register(this, { flush: () => this.#flush(), status: async () => this.#status() });
    void ctx.blockConcurrencyWhile(async () => {
      migrate(this.#sql, SCHEMA);
      for (const r of this.#sql.exec<{ key: string; value: string }>("SELECT key, value FROM sig_meta")) this.#writes.meta.set(r.key, r.value);
      if (this.#meta.has("projection") && this.#meta.get("projection") !== PROJECTION_VERSION) this.#wipe();
      if (this.#meta.get("role") === "principal") this.#loadPrincipal();
      if (this.#meta.get("role") === "tenant") this.#loadTenant();
    });
  }

  // ─── principal role ────────────────────────────────────────────────────────────────────────

  /** Records a request's queries and says how to treat it. Call before forwarding. */
  async observe(input: ObserveInput): Promise<ObserveResult> {
    if (input.policy.mode === "off") return { score: 0, state: "normal", until: null, escalated: null };
    const p = this.#principal(input.tenant, input.principal);
    const nowMs = Date.now();
    const vectors = wellFormed(input.features);
    const step = observeStep(p, this.#standing, {
      vectors,
      queries: input.queries ?? vectors.length,
      nowMs,
      policy: input.policy,
      view: this.#view,
      lastScore: this.#lastScore,
      surface: input.surface ?? "tabular",
      far: input.far ?? null,
      uniform: Array.isArray(input.uniform) ? input.uniform.map((b) => b === true) : null,
    });
    const changed = step.standing.state !== this.#standing.state || step.outcome.escalated !== null;
    this.#standing = step.standing;
    this.#lastScore = step.outcome.score;
    this.#writes.setMeta({
      standing: JSON.stringify(this.#standing),
      score: String(this.#lastScore),
      cooldown_s: String(input.policy.cooldown_s),
      total: String(p.total),
      mem_count: String(p.memCount),
      sustained: String(p.sustained),
    });
    if (step.windowsCleared || step.written) for (const name of WINDOW_NAMES) this.#writes.window(name, step.windowsCleared);
    if (step.written) {
      for (const slot of step.written.slots) this.#writes.slot(slot);
      for (const b of step.written.buckets) this.#writes.bucket(b, nowMs);
      for (const b of step.written.evicted) this.#writes.bucket(b, null);
      if (step.written.minute !== null) this.#writes.volume(step.written.minute, p.volume.expired(nowMs));
    }
    // A changed standing is written in this turn (the reply waits for it); the rest within WRITE_BEHIND_MS.
    if (changed) this.#writes.flushNow();
    else this.#writes.later();
    // The tenant view also indexes every principal's standing, so forward even refused requests' outcome.
    this.#forward({
      tenant: input.tenant,
      principal: input.principal,
      features: step.written ? vectors : [],
      ...uniformEvidence(step.written, input),
      outcome: { score: step.outcome.score, state: step.outcome.state, until: step.outcome.until, cooldown_s: input.policy.cooldown_s },
    });
    return step.outcome;
  }

  /** Boundary probing: margins of the answer the origin gave. Call after the answer (waitUntil). */
  async recordAnswer(input: RecordAnswerInput): Promise<void> {
    const p = this.#principal(input.tenant, input.principal);
    p.recordMargins(input.margins.slice(0, WINDOW));
    this.#writes.window("close");
    this.#writes.later();
  }

  /** Clears a principal's signals, state and cooldown (admin reset), here and in the tenant view. */
  async reset(): Promise<void> {
    const tenant = this.#meta.get("tenant");
    const principal = this.#meta.get("principal");
    const role = this.#meta.get("role");
    await this.#flush();
    this.#wipe();
    if (role === "principal" && tenant && principal) await this.#tenantStub(tenant).forget(principal);
  }

  /** Waits until every forwarded observation has reached the tenant object, and writes what waits behind (reset; tests through test-hooks.ts). */
  async #flush(): Promise<void> {
    while (this.#forwarding || this.#pending.length > 0) {
      if (!this.#forwarding) this.#startForward();
      await this.#forwarding;
    }
    this.#writes.flushNow();
  }

  /** The object's signals as tests see them (test-hooks.ts); not an RPC method. */
  #status(): PrincipalStatus | TenantStatus | null {
    const nowMs = Date.now();
    if (this.#t) return { role: "tenant", tenant: this.#meta.get("tenant") ?? "", assessment: this.#t.assess(), remembered: Math.min(this.#t.memCount, TENANT_MEMORY), ingests: this.#ingests };
    if (!this.#p) return null;
    const a: Assessment = this.#p.assess(nowMs, this.#view);
    const standing = lapse(this.#standing, nowMs, { degrade_at: 1, block_at: 1, cooldown_s: Number(this.#meta.get("cooldown_s") ?? 0) }).standing;
    return {
      role: "principal",
      tenant: this.#meta.get("tenant") ?? "",
      principal: this.#meta.get("principal") ?? "",
      score: this.#lastScore,
      state: standing.state,
      until: isoOrNull(standing.untilMs),
      signals: a.signals,
      raw: a.raw,
      view: this.#view,
      own: a.own,
      queries: this.#p.total,
      remembered: Math.min(this.#p.memCount, MEMORY),
    };
  }

  // ─── tenant role ───────────────────────────────────────────────────────────────────────────

  /** Adds a principal's queries to the union and returns what that principal should fold in. */
  async ingest(input: IngestInput): Promise<TenantView> {
    const t = this.#tenant(input.tenant);
    const nowMs = Date.now();
    this.#ingests++;
    const out = t.ingest(input.principal, wellFormed(input.features), nowMs, { uniform: input.uniform, uniformOf: input.uniformOf, state: input.outcome.state });
    for (const slot of out.slots) this.#writes.slot(slot);
    for (const dropped of out.dropped) this.#writes.drop(dropped);
    if (t.tracks.has(input.principal)) this.#writes.track(input.principal);
    this.#writes.window("union");
    this.#writes.setMeta({ mem_count: String(t.memCount), synthetic_rows: String(t.syntheticRows), synthetic_ms: String(t.syntheticMs) });
    const o = input.outcome;
    const changed = this.#writes.principalRow(input.principal, { score: o.score, state: o.state, untilMs: o.until === null ? null : Date.parse(o.until), cooldownS: o.cooldown_s, updatedMs: nowMs });
    // A changed state reaches the usage index at once; the union, tracks and scores follow within WRITE_BEHIND_MS.
    if (changed) this.#writes.flushNow();
    else this.#writes.later();
    return t.viewFor(input.principal);
  }

  /** Every principal's latest extraction standing (CONTRACT §7 usage view), expired states lapsed. */
  async principals(): Promise<PrincipalExtraction[]> {
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
  async forget(principal: string): Promise<void> {
    this.#t?.tracks.delete(principal);
    this.#writes.drop(principal);
    this.#sql.exec("DELETE FROM sig_tracks WHERE principal = ?", principal);
    this.#sql.exec("DELETE FROM sig_principals WHERE principal = ?", principal);
  }

  // ─── helpers ───────────────────────────────────────────────────────────────────────────────

  #bind(role: "principal" | "tenant", tenant: string, principal: string | null): void {
    const current = this.#meta.get("role");
    if (current && current !== role) throw new Error(`SignalsObject: a ${current} object was called as a ${role} object`);
    if (current && this.#meta.get("tenant") !== tenant) throw new Error("SignalsObject: tenant mismatch");
    if (!current) {
      const meta: Record<string, string> = { role, tenant, projection: PROJECTION_VERSION };
      if (principal !== null) meta.principal = principal;
      this.#writes.setMeta(meta);
      this.#writes.flushNow();
    }
  }

  #principal(tenant: string, principal: string): PrincipalSignals {
    this.#bind("principal", tenant, principal);
    this.#p ??= new PrincipalSignals();
    return this.#p;
  }

  #tenant(tenant: string): TenantSignals {
    this.#bind("tenant", tenant, null);
    this.#t ??= new TenantSignals();
    return this.#t;
  }

  #tenantStub(tenant: string): DurableObjectStub<SignalsObject> {
    return this.env.SIGNALS.get(this.env.SIGNALS.idFromName(tenantSignalsName(tenant)));
  }

  /**
   * Queues an observation for the tenant object. One call at a time, at most one per
   * FORWARD_INTERVAL_MS: what queues meanwhile is coalesced into the next call.
   */
  #forward(item: IngestInput): void {
    this.#pending.push(item);
    this.#scheduleForward();
  }

  #scheduleForward(): void {
    if (this.#forwarding || this.#forwardTimer || this.#pending.length === 0) return;
    const wait = this.#lastForwardMs + FORWARD_INTERVAL_MS - Date.now();
    const full = this.#pending.length >= FORWARD_PENDING || this.#pending.reduce((n, i) => n + i.features.length, 0) >= FORWARD_BATCH;
    if (wait <= 0 || full) this.#startForward();
    else this.#forwardTimer = setTimeout(() => this.#startForward(), wait);
  }

  #startForward(): void {
    if (this.#forwardTimer) clearTimeout(this.#forwardTimer);
    this.#forwardTimer = null;
    this.#lastForwardMs = Date.now();
    this.#forwarding = this.#sendPending().finally(() => {
      this.#forwarding = null;
      this.#scheduleForward();
    });
  }

  /** Sends the oldest pending observations, up to FORWARD_BATCH rows, as one `ingest`. */
  async #sendPending(): Promise<void> {
    const items = takeBatch(this.#pending);
    if (items.length === 0) return;
    const last = items[items.length - 1]!;
    const features = items.flatMap((i) => i.features);
    // Coalesced requests: the uniform rows are summed, as a share they apply to the rows sent.
    const uniformOf = items.reduce((n, i) => n + (i.uniformOf ?? 0), 0);
    const uniform = items.reduce((n, i) => n + (i.uniform ?? 0), 0);
    try {
      // The latest outcome wins: it is the principal's standing as of the rows sent.
      this.#view = await this.#tenantStub(last.tenant).ingest({ ...last, features, ...(uniformOf > 0 ? { uniform, uniformOf } : {}) });
      this.#writes.setMeta({ view: JSON.stringify(this.#view) });
      this.#writes.later();
    } catch (err) {
      // The tenant view is advisory: without it the principal is judged on its own signals.
      log("signals.tenant_view_unavailable", errorFields(err));
    }
  }

  #windows(): Map<string, { data: Uint8Array; count: number }> {
    const out = new Map<string, { data: Uint8Array; count: number }>();
    for (const r of this.#sql.exec<{ name: string; data: ArrayBuffer; count: number }>("SELECT name, data, count FROM sig_windows")) {
      out.set(r.name, { data: new Uint8Array(r.data), count: r.count });
    }
    return out;
  }

  #loadMemory(memory: Float32Array, capacity: number, owners?: string[]): void {
    for (const r of this.#sql.exec<{ slot: number; vec: ArrayBuffer; principal: string }>("SELECT slot, vec, principal FROM sig_memory")) {
      if (r.slot >= capacity || r.vec.byteLength !== DIMS * 4) continue;
      memory.set(new Float32Array(r.vec), r.slot * DIMS);
      if (owners) owners[r.slot] = r.principal;
    }
  }

  #loadPrincipal(): void {
    const p = new PrincipalSignals();
    this.#loadMemory(p.memory, MEMORY);
    p.memCount = Number(this.#meta.get("mem_count") ?? 0);
    p.total = Number(this.#meta.get("total") ?? 0);
    const w = this.#windows();
    const ring = (name: string) => new Ring(WINDOW, w.get(name)?.data ?? null, w.get(name)?.count ?? 0);
    p.distances = ring("distances");
    p.flags = ring("flags");
    p.novel = ring("novel");
    p.close = ring("close");
    p.far = ring("far");
    p.drift = ring("drift");
    p.uniform = ring("uniform");
    p.sustained = Number(this.#meta.get("sustained") ?? 0);
    for (const r of this.#sql.exec<{ bucket: string; last_ms: number }>("SELECT bucket, last_ms FROM sig_buckets ORDER BY last_ms")) p.buckets.set(r.bucket, r.last_ms);
    p.volume = new Volume([...this.#sql.exec<{ minute: number; queries: number }>("SELECT minute, queries FROM sig_volume")].map((r) => [r.minute, r.queries] as [number, number]));
    this.#p = p;
    this.#standing = parseJson<Standing>(this.#meta.get("standing")) ?? NORMAL;
    this.#lastScore = Number(this.#meta.get("score") ?? 0);
    this.#view = parseJson<TenantView>(this.#meta.get("view")) ?? NO_TENANT_VIEW;
  }

  #loadTenant(): void {
    const t = new TenantSignals();
    this.#loadMemory(t.memory, TENANT_MEMORY, t.owners);
    t.memCount = Number(this.#meta.get("mem_count") ?? 0);
    const union = this.#windows().get("union");
    t.distances = new Ring(WINDOW, union?.data ?? null, union?.count ?? 0);
    t.syntheticRows = Number(this.#meta.get("synthetic_rows") ?? 0);
    t.syntheticMs = Number(this.#meta.get("synthetic_ms") ?? 0);
    type TrackRow = {
      principal: string; dist: ArrayBuffer; dist_count: number; knn: ArrayBuffer; knn_count: number; seen: number; last_ms: number;
      synthetic: ArrayBuffer | null; synthetic_count: number; moments: string | null; escalated: number;
    };
    for (const r of this.#sql.exec<TrackRow>("SELECT * FROM sig_tracks ORDER BY last_ms")) {
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

  #wipe(): void {
    for (const table of ["sig_meta", "sig_memory", "sig_windows", "sig_buckets", "sig_volume", "sig_tracks", "sig_principals"]) this.#sql.exec(`DELETE FROM ${table}`);
    this.#writes.clear();
    this.#p = null;
    this.#t = null;
    this.#standing = NORMAL;
    this.#lastScore = 0;
    this.#view = NO_TENANT_VIEW;
    this.#pending = [];
  }
}

const WINDOW_NAMES = ["distances", "flags", "novel", "close", "far", "drift", "uniform"] as const;

/** A principal's windows by their row name in sig_windows. */
function principalWindows(p: PrincipalSignals): Record<string, Ring> {
  return { distances: p.distances, flags: p.flags, novel: p.novel, close: p.close, far: p.far, drift: p.drift, uniform: p.uniform };
}

/**
 * Removes and returns the oldest pending items whose rows fit one call (FORWARD_BATCH; always at
 * least one item, whose rows `wellFormed` already capped), so no coalesced row is dropped.
 */
function takeBatch(pending: IngestInput[]): IngestInput[] {
  let rows = 0;
  let n = 0;
  while (n < pending.length && (n === 0 || rows + pending[n]!.features.length <= FORWARD_BATCH)) rows += pending[n++]!.features.length;
  return pending.splice(0, n);
}

/** At most FORWARD_BATCH vectors of DIMS finite numbers: a malformed vector would poison every distance. */
/** What the tenant view counts of this request's uniform rows: the unrepeated ones when flags came, else the request's counts. */
function uniformEvidence(written: Written | null, input: ObserveInput): { uniform?: number; uniformOf?: number } {
  if (!written) return {};
  if (written.uniformOf > 0) return { uniform: written.uniform, uniformOf: written.uniformOf };
  if (Array.isArray(input.uniform)) return {};
  return input.far?.uniformOf ? { uniform: input.far.uniform ?? 0, uniformOf: input.far.uniformOf } : {};
}

function wellFormed(features: readonly number[][]): number[][] {
  return features.filter((v) => Array.isArray(v) && v.length === DIMS && v.every(Number.isFinite)).slice(0, FORWARD_BATCH);
}

function parseJson<T>(text: string | undefined): T | null {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}
