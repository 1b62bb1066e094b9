import { errorFields, log } from "../worker/log";
import { DIMS } from "../worker/extraction/projection";
import { MEMORY, WINDOW } from "../worker/extraction/params";
import { PrincipalSignals, NO_TENANT_VIEW, type Raw, type TenantView, type Written } from "../worker/extraction/principal";
import { observeStep, type ObserveOutcome } from "../worker/extraction/observe";
import { Ring } from "../worker/extraction/ring";
import { Volume } from "../worker/extraction/volume";
import { lapse, isoOrNull, NORMAL, type ExtractionPolicy, type ExtractionState, type QuerySurface, type Standing } from "../worker/extraction/state";
import type { Signals } from "../worker/extraction/score";
import { loadMemory, loadWindows, parseJson, type SignalsWrites } from "./signals-store";
import type { IngestInput } from "./signals-tenant";

/** Queries forwarded to the tenant object per call; more wait for the next call. */
export const FORWARD_BATCH = 256;
/**
 * Least time between two `ingest` calls from one principal (issue 11): each call costs the tenant
 * object a nearest-neighbour scan per row, a rescoring and several rows, and both objects an RPC,
 * so observations arriving faster are coalesced into one call. The first after a quiet spell goes
 * at once; FORWARD_ROWS rows or FORWARD_PENDING observations pending, a changed state, `flush()`
 * (reset, test hooks) do not wait either. docs/extraction.md, "The tenant-wide view", bounds the lag.
 */
export const FORWARD_INTERVAL_MS = 1_000;
/**
 * Rows pending that start the next call at once: the tenant view is never more than this many rows
 * of a principal behind, and an OIP batch of this many rows or more goes at once, as with no
 * coalescing. Small on purpose: a campaign spread over keys gives each key few rows (10 keys of 60
 * rows each are blocked through the tenant view, test/integration/extraction/no-reference.test.ts),
 * and a lag of 32 rows there left keys unblocked; what is coalesced is the one-row requests.
 */
export const FORWARD_ROWS = 8;
/** Observations pending (rows or not: a refused request forwards its outcome) that start the next call at once. */
export const FORWARD_PENDING = 32;

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
  /** Margins of this principal's earlier answers not yet recorded (worker/extraction/answers.ts), one array per answer: recorded first, as recordAnswer would have. */
  answers?: number[][];
  /**
   * When the Worker observed the request (Date.now()). An observation from before the object's last
   * reset (admin reset, tenant deletion) that arrives after it, still in flight or coalesced, is
   * dropped: it would bring the wiped principal back. Absent: never dropped.
   */
  atMs?: number;
}

export type ObserveResult = ObserveOutcome;

/** One observation of a batch: an ObserveInput without what the batch says once (its policy unless it differs). */
export type ObserveItem = Omit<ObserveInput, "tenant" | "principal" | "policy"> & { policy?: ExtractionPolicy };

/**
 * Observations of one principal coalesced by the Worker (worker/extraction/observe-batch.ts),
 * oldest first: run in order, each exactly as its own `observe` call would have been.
 */
export interface ObserveBatchInput {
  tenant: string;
  principal: string;
  /** The policy of every item that carries none. */
  policy: ExtractionPolicy;
  items: ObserveItem[];
}

export interface ObserveBatchResult {
  /** The standing after the last item (what its own call would have answered). */
  score: number;
  state: ExtractionState;
  until: string | null;
  /** Every escalation in the batch, by item index (each is audited with its request's id). */
  escalations: Array<{ index: number; until: string | null; escalated: NonNullable<ObserveOutcome["escalated"]> }>;
}

export interface RecordAnswerInput {
  tenant: string;
  principal: string;
  /** Top-two margins of the origin's answer, one per row (features.ts: outputMargins). */
  margins: number[];
  /** Margins of several answers, oldest first, one array per answer (worker/extraction/answers.ts): recorded before `margins`. */
  answers?: number[][];
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
  /** `observe`/`observeBatch` calls since the object was loaded (a batch counts once): tests count coalescing with it. */
  calls: number;
}

/** What the principal role needs of the object around it. */
export interface PrincipalHost {
  writes: SignalsWrites;
  /** Binds the object to the principal role (first call) or checks it is one. */
  bind(tenant: string, principal: string): void;
  /** Sends coalesced observations to the tenant object. */
  ingest(input: IngestInput): Promise<TenantView>;
}

const OFF: ObserveResult = { score: 0, state: "normal", until: null, escalated: null };
/** `sig_meta` key: when the object was last reset (ms); kept through the wipe (signals.ts reset). */
export const RESET_AT = "reset_at";
const WINDOW_NAMES = ["distances", "flags", "novel", "close", "far", "drift", "uniform"] as const;

/**
 * The principal role (`signals:<tenant>:<principal>`): one principal's detector. `observe` runs
 * one request's queries through it (off the request's critical path: worker/pipeline/extraction.ts)
 * and queues them for the tenant object, which is sent coalesced (FORWARD_INTERVAL_MS).
 */
export class PrincipalRole {
  readonly #host: PrincipalHost;
  #p: PrincipalSignals | null = null;
  #standing: Standing = NORMAL;
  #lastScore = 0;
  #cooldownS = 0;
  #view: TenantView = NO_TENANT_VIEW;
  #pending: IngestInput[] = [];
  #pendingRows = 0;
  /**
   * Pending observations, from the oldest, through the last one that changed the standing (0: none):
   * the usage index and the reference should know of it at once, also when it queued behind more
   * rows than one call carries (takeBatch), so it stays urgent until a call took it.
   */
  #urgentThrough = 0;
  #forwarding: Promise<void> | null = null;
  #forwardTimer: ReturnType<typeof setTimeout> | null = null;
  #lastForwardMs = -Infinity;
  #calls = 0;

  constructor(host: PrincipalHost) {
    this.#host = host;
  }

  /** For the write-behind (signals-store.ts): the fingerprint memory and windows by row name. */
  get signals(): PrincipalSignals | null {
    return this.#p;
  }

  /** This role's `sig_meta` values as of now (signals-store.ts reads them when it writes). */
  metaValues(): Record<string, string> {
    const p = this.#p;
    if (!p) return {};
    return {
      standing: JSON.stringify(this.#standing),
      score: String(this.#lastScore),
      cooldown_s: String(this.#cooldownS),
      total: String(p.total),
      mem_count: String(p.memCount),
      sustained: String(p.sustained),
    };
  }

  window(name: string): Ring | undefined {
    return this.#p ? principalWindows(this.#p)[name] : undefined;
  }

  observe(input: ObserveInput): ObserveResult {
    this.#calls++;
    return this.#observeOne(input);
  }

  /** A coalesced batch: each item in order, as its own `observe` call; the last standing and every escalation. */
  observeBatch(input: ObserveBatchInput): ObserveBatchResult {
    this.#calls++;
    let last: ObserveResult = OFF;
    const escalations: ObserveBatchResult["escalations"] = [];
    const items = Array.isArray(input.items) ? input.items : [];
    for (let index = 0; index < items.length; index++) {
      const item = items[index]!;
      last = this.#observeOne({ ...item, tenant: input.tenant, principal: input.principal, policy: item.policy ?? input.policy });
      if (last.escalated) escalations.push({ index, until: last.until, escalated: last.escalated });
    }
    return { score: last.score, state: last.state, until: last.until, escalations };
  }

  #observeOne(input: ObserveInput): ObserveResult {
    if (input.policy.mode === "off") return OFF;
    if (typeof input.atMs === "number" && input.atMs < Number(this.#host.writes.meta.get(RESET_AT) ?? 0)) {
      return { score: this.#lastScore, state: this.#standing.state, until: isoOrNull(this.#standing.untilMs), escalated: null };
    }
    this.#host.bind(input.tenant, input.principal);
    const p = (this.#p ??= new PrincipalSignals());
    const writes = this.#host.writes;
    if (Array.isArray(input.answers)) for (const margins of input.answers) if (Array.isArray(margins)) this.#recordMargins(p, margins);
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
    this.#cooldownS = input.policy.cooldown_s;
    // Read (metaValues) and compared when the rows are written, not formatted per observation.
    writes.touchMeta();
    if (step.windowsCleared || step.written) for (const name of WINDOW_NAMES) writes.window(name, step.windowsCleared);
    if (step.written) {
      for (const slot of step.written.slots) writes.slot(slot);
      for (const b of step.written.buckets) writes.bucket(b, nowMs);
      for (const b of step.written.evicted) writes.bucket(b, null);
      if (step.written.minute !== null) writes.volume(step.written.minute, p.volume.expired(nowMs));
    }
    // A changed standing is written in this turn (the reply waits for it); the rest within WRITE_BEHIND_MS.
    if (changed) writes.flushNow();
    else writes.later();
    // The tenant view also indexes every principal's standing, so forward even refused requests' outcome.
    this.#forward(
      {
        tenant: input.tenant,
        principal: input.principal,
        features: step.written ? vectors : [],
        ...uniformEvidence(step.written, input),
        outcome: { score: step.outcome.score, state: step.outcome.state, until: step.outcome.until, cooldown_s: input.policy.cooldown_s },
      },
      changed,
    );
    return step.outcome;
  }

  /** Boundary probing: margins of the answer the origin gave. */
  recordAnswer(input: RecordAnswerInput): void {
    // Margins only add to what an observation started. None here means the object was reset or its
    // tenant deleted since that answer's request was observed (the margins' timer can fire up to
    // ANSWERS_CARRY_MS after the answer): recording them would bring a wiped principal back.
    const p = this.#p;
    if (!p) return;
    this.#host.bind(input.tenant, input.principal);
    if (Array.isArray(input.answers)) for (const margins of input.answers) if (Array.isArray(margins)) this.#recordMargins(p, margins);
    this.#recordMargins(p, input.margins);
    this.#host.writes.later();
  }

  #recordMargins(p: PrincipalSignals, margins: readonly number[]): void {
    p.recordMargins(margins.slice(0, WINDOW));
    this.#host.writes.window("close");
  }

  /** Sends every pending observation now and waits until all reached the tenant object. */
  async flush(): Promise<void> {
    while (this.#forwarding || this.#pending.length > 0) {
      if (!this.#forwarding) this.#startForward();
      await this.#forwarding;
    }
  }

  status(meta: ReadonlyMap<string, string>): PrincipalStatus | null {
    if (!this.#p) return null;
    const nowMs = Date.now();
    const a = this.#p.assess(nowMs, this.#view);
    const standing = lapse(this.#standing, nowMs, { degrade_at: 1, block_at: 1, cooldown_s: this.#cooldownS }).standing;
    return {
      role: "principal",
      tenant: meta.get("tenant") ?? "",
      principal: meta.get("principal") ?? "",
      score: this.#lastScore,
      state: standing.state,
      until: isoOrNull(standing.untilMs),
      signals: a.signals,
      raw: a.raw,
      view: this.#view,
      own: a.own,
      queries: this.#p.total,
      remembered: Math.min(this.#p.memCount, MEMORY),
      calls: this.#calls,
    };
  }

  load(sql: SqlStorage, meta: ReadonlyMap<string, string>): void {
    const p = new PrincipalSignals();
    loadMemory(sql, p.memory, MEMORY);
    p.memCount = Number(meta.get("mem_count") ?? 0);
    p.total = Number(meta.get("total") ?? 0);
    const w = loadWindows(sql);
    const ring = (name: string) => new Ring(WINDOW, w.get(name)?.data ?? null, w.get(name)?.count ?? 0);
    p.distances = ring("distances");
    p.flags = ring("flags");
    p.novel = ring("novel");
    p.close = ring("close");
    p.far = ring("far");
    p.drift = ring("drift");
    p.uniform = ring("uniform");
    p.sustained = Number(meta.get("sustained") ?? 0);
    for (const r of sql.exec<{ bucket: string; last_ms: number }>("SELECT bucket, last_ms FROM sig_buckets ORDER BY last_ms")) p.buckets.set(r.bucket, r.last_ms);
    p.volume = new Volume([...sql.exec<{ minute: number; queries: number }>("SELECT minute, queries FROM sig_volume")].map((r): [number, number] => [r.minute, r.queries]));
    this.#p = p;
    this.#standing = parseJson<Standing>(meta.get("standing")) ?? NORMAL;
    this.#lastScore = Number(meta.get("score") ?? 0);
    this.#cooldownS = Number(meta.get("cooldown_s") ?? 0);
    this.#view = parseJson<TenantView>(meta.get("view")) ?? NO_TENANT_VIEW;
  }

  /** Forgets everything (the object's rows were wiped); what waited for the tenant object is dropped. */
  reset(): void {
    if (this.#forwardTimer) clearTimeout(this.#forwardTimer);
    this.#forwardTimer = null;
    this.#p = null;
    this.#standing = NORMAL;
    this.#lastScore = 0;
    this.#cooldownS = 0;
    this.#view = NO_TENANT_VIEW;
    this.#pending = [];
    this.#pendingRows = 0;
    this.#urgentThrough = 0;
  }

  /**
   * Queues an observation for the tenant object. One call at a time, at most one per
   * FORWARD_INTERVAL_MS unless `urgent` or enough is pending: what queues meanwhile is coalesced.
   */
  #forward(item: IngestInput, urgent: boolean): void {
    this.#pending.push(item);
    this.#pendingRows += item.features.length;
    if (urgent) this.#urgentThrough = this.#pending.length;
    this.#scheduleForward();
  }

  #scheduleForward(): void {
    if (this.#forwarding || this.#pending.length === 0) return;
    const wait = this.#lastForwardMs + FORWARD_INTERVAL_MS - Date.now();
    const full = this.#pending.length >= FORWARD_PENDING || this.#pendingRows >= FORWARD_ROWS;
    if (wait <= 0 || full || this.#urgentThrough > 0) this.#startForward();
    else
      this.#forwardTimer ??= setTimeout(() => {
        this.#forwardTimer = null; // fired: nothing to clear (a timer call is not cheap in a Durable Object)
        this.#startForward();
      }, wait);
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
    this.#urgentThrough = Math.max(0, this.#urgentThrough - items.length);
    if (items.length === 0) return;
    const last = items[items.length - 1]!;
    const features = items.length === 1 ? last.features : items.flatMap((i) => i.features);
    this.#pendingRows -= features.length;
    // The tenant view flags round(share · rows) of a call's rows as uniform. Coalesced requests: each
    // request's share applies to its own rows only (a text request's rows have none), so the call
    // carries the rows each would have flagged alone, over all the rows sent.
    let uniform = 0;
    let evidence = false;
    for (const i of items) {
      if (!i.uniformOf) continue;
      evidence = true;
      uniform += Math.round(((i.uniform ?? 0) / i.uniformOf) * i.features.length);
    }
    try {
      // The latest outcome wins: it is the principal's standing as of the rows sent.
      const evidenceOf = evidence && features.length > 0 ? { uniform, uniformOf: features.length } : {};
      this.#view = await this.#host.ingest({ tenant: last.tenant, principal: last.principal, outcome: last.outcome, features, ...evidenceOf });
      this.#host.writes.setMeta({ view: JSON.stringify(this.#view) });
      this.#host.writes.later();
    } catch (err) {
      // The tenant view is advisory: without it the principal is judged on its own signals.
      log("signals.tenant_view_unavailable", errorFields(err));
    }
  }
}

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

/** What the tenant view counts of this request's uniform rows: the unrepeated ones when flags came, else the request's counts. */
function uniformEvidence(written: Written | null, input: ObserveInput): { uniform?: number; uniformOf?: number } {
  if (!written) return {};
  if (written.uniformOf > 0) return { uniform: written.uniform, uniformOf: written.uniformOf };
  if (Array.isArray(input.uniform)) return {};
  return input.far?.uniformOf ? { uniform: input.far.uniform ?? 0, uniformOf: input.far.uniformOf } : {};
}

/** At most FORWARD_BATCH vectors of DIMS finite numbers: a malformed vector would poison every distance. */
export function wellFormed(features: readonly number[][]): number[][] {
  return features.filter((v) => Array.isArray(v) && v.length === DIMS && v.every(Number.isFinite)).slice(0, FORWARD_BATCH);
}
