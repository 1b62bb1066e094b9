import type { Limits } from "../worker/config/policy";
import { errorFields, log } from "../worker/log";
import { limitSet, isEmpty, refusalCode } from "../worker/budget/limits";
import { refusalHeaders, successHeaders, type PolicyStatus } from "../worker/budget/headers";
import * as ledger from "../worker/budget/ledger";
import type { LimitSets } from "../worker/budget/ledger";
import type * as pool from "../worker/budget/pool";
import { RES_LIMIT, resKind, unitsFor, windowEnd } from "../worker/budget/resources";
import { monthSeconds, windowsAt } from "../worker/budget/windows";
import { configVersion, flushPrincipal, loadPrincipal, VERSION_LEASE_MARGIN_MS, VERSION_LEASE_MS, type BudgetMeta, type BudgetPeers, type Blocks } from "./budget-store";
import type { LeaseResult } from "./budget-tenant";
import type { PendingSettle } from "../worker/budget/settling";
import { BudgetExtraction, type ExtractionNote, type ExtractionStanding } from "./budget-extraction";

/** A lease not settled by then is swept by the alarm: slot freed, its whole reservation charged. */
export const DEFAULT_LEASE_MS = 5 * 60_000;
/** Tenant blocks a principal has not touched for this long go back to the tenant. */
export const IDLE_RETURN_MS = 15_000;
/** Refusal counts not yet written are written by then at the latest. */
export const LAZY_FLUSH_MS = 60_000;
/**
 * A settlement is written behind, within this long (or with the next admission, whichever comes
 * first): the worker does not wait for it, and folding its rows into the next admission's write
 * saves a settle's own statements. A crash in between loses the settlement: its lease is then
 * swept at its deadline and charged its whole reservation (docs/budgets.md, "What a crash can lose").
 */
export const SETTLE_WRITE_MS = 1_000;
/** At most one audit entry per principal and limit in this interval; the rest are counted. */
export const BLOCK_AUDIT_INTERVAL_MS = 60_000;

export interface AcquireInput {
  tenantId: string;
  principalId: string;
  /** The principal's own limits (key record or per-subject), if any. */
  limits: Limits | undefined;
  /** The tenant-wide limits (`policy.limits` without `per_subject`). */
  tenantLimits: Limits;
  reserveTokens: number;
  /** µUSD: the most the request may cost at its model's prices (0 or absent: unpriced). */
  reserveCost?: number;
  leaseMs?: number;
  /**
   * The tenant configuration version the caller authenticated and validated with (its isolate's
   * cache, worker/auth/tenant-cache.ts). Older than the version this object knows: the answer is
   * `stale` and nothing is admitted. `fresh`: read from the TenantObject just now.
   */
  configVersion?: number;
  fresh?: boolean;
  /** Settlements the caller's isolate sent and has not seen answered (worker/budget/settling.ts): applied first. */
  settled?: PendingSettle[];
}

export interface Refused {
  code: "rate_limited" | "quota_exceeded";
  limit: string;
  scope: "tenant" | "principal";
  retryAfterS: number;
  detail: string;
  headers: Record<string, string>;
  /** True for the first refusal of this limit in BLOCK_AUDIT_INTERVAL_MS: worth an audit entry. */
  audit: boolean;
  /** Refusals of this limit not audited since the last entry. */
  suppressed: number;
}

/** `extraction`: the principal's standing when raised (blocked: the caller settles and refuses); absent when normal. */
export type AcquireResult = { ok: true; leaseId: string; headers: Record<string, string>; extraction?: ExtractionStanding } | ({ ok: false } & Refused);
/** `stale`: the caller's tenant configuration is older than this object knows (nothing admitted). */
export type AcquireAnswer = AcquireResult | { ok: false; stale: true };

export type PrincipalUsageRow = ledger.PrincipalUsage & { principal: string };

/** One call in a `batch` (worker/budget/calls.ts): what `acquire` or `settle` takes, tagged. */
export type BudgetCall =
  | { op: "acquire"; input: AcquireInput }
  | { op: "settle"; leaseId: string; totalTokens: number | null; costMicro: number | null };

/** A batch item's own answer: what its call returns, or the message of what it threw (its neighbours are unaffected). */
export type BudgetOutcome =
  | { op: "acquire"; answer: AcquireAnswer }
  | { op: "settle"; settled: boolean }
  | { op: "error"; message: string };

/**
 * The principal role (`p:<tenant>:<principal>`, docs/budgets.md): the principal's exact ledger and
 * the blocks of tenant allowances it holds; the only object on a request's hot path.
 */
export class PrincipalBudget {
  readonly #sql: SqlStorage;
  readonly #meta: BudgetMeta;
  readonly #peers: BudgetPeers;
  readonly #schedule: (at: number | undefined) => void;
  #p = ledger.emptyLedger();
  #blocks: Blocks = new Map();
  #dirtyBlocks = new Set<string>();
  #lastActivity = 0;
  /** Serialises this principal's calls to its tenant, so its reports are never overtaken by its own grants. */
  #tenantQueue: Promise<unknown> = Promise.resolve();
  #registering: Promise<void> | null = null;
  /** Slots sent back to the tenant and not yet acknowledged. */
  #pendingSlots = 0;
  #writeTimer: ReturnType<typeof setTimeout> | null = null;
  readonly #extraction: BudgetExtraction;

  constructor(sql: SqlStorage, meta: BudgetMeta, peers: BudgetPeers, schedule: (at: number | undefined) => void) {
    this.#sql = sql;
    this.#meta = meta;
    this.#peers = peers;
    this.#schedule = schedule;
    this.#extraction = new BudgetExtraction(meta);
  }

  load(): void {
    loadPrincipal(this.#sql, this.#p, this.#blocks);
  }

  /** After a purge: the ledger and refusal bookkeeping start empty. */
  reset(): void {
    this.#p = ledger.emptyLedger();
    this.#blocks.clear();
    // Refusal records waiting to be written point into #blocks: without this, the first write
    // after a purge looks one up that no longer exists.
    this.#dirtyBlocks.clear();
    this.#pendingSlots = 0;
    if (this.#writeTimer) clearTimeout(this.#writeTimer);
    this.#writeTimer = null;
  }

  acquire(input: AcquireInput): Promise<AcquireAnswer> {
    return this.#acquire(input, true);
  }

  /**
   * Calls queued in one isolate behind a call in flight to this object (worker/budget/calls.ts),
   * run in order exactly as separate calls would be — each admission sees the ledger as the items
   * before it left it — but with one write for the whole batch, before the answer: the output
   * gate holds the answer until that write is durable, so every admission in it is committed
   * before its request is forwarded, as for a lone `acquire` (refusals and settlements are
   * written behind, as they are alone). An item that throws answers its
   * error; the items after it still run.
   */
  async batch(calls: readonly BudgetCall[]): Promise<BudgetOutcome[]> {
    const out: BudgetOutcome[] = [];
    let admitted = false;
    for (const call of calls) {
      try {
        if (call.op === "acquire") {
          const answer = await this.#acquire(call.input, false);
          admitted ||= answer.ok;
          out.push({ op: "acquire", answer });
        } else if (call.op === "settle") out.push({ op: "settle", ...(await this.settle(call.leaseId, call.totalTokens, call.costMicro)) });
        else throw new Error("unknown budget call");
      } catch (err) {
        out.push({ op: "error", message: err instanceof Error ? err.message : String(err) });
      }
    }
    // Settlements alone stay written behind (settle's #flushSoon), as when they come one by one.
    if (admitted) this.#flush();
    return out;
  }

  /** `flush`: write the admission now (a lone call); false in a batch, which writes once at its end. */
  async #acquire(input: AcquireInput, flush: boolean): Promise<AcquireAnswer> {
    this.#meta.bind("principal", input.tenantId, input.principalId);
    if (input.settled?.length) {
      // Overtaken by this call on the way here; the settle calls themselves will find nothing to do.
      const now = Date.now();
      for (const s of input.settled) ledger.settle(this.#p, s.leaseId, s.totalTokens, now, s.costMicro);
      // Written with this admission, or behind if it is refused.
      this.#flushSoon();
    }
    if (this.#meta.mustRegister(Date.now())) await this.#register(input.tenantId, input.principalId);
    if (input.configVersion !== undefined && this.#staleConfig(input.configVersion, input.fresh === true)) return { ok: false, stale: true };
    const sets: LimitSets = { principal: limitSet(input.limits), tenant: limitSet(input.tenantLimits) };
    const req = {
      id: crypto.randomUUID(),
      reserve: Math.max(0, Math.ceil(input.reserveTokens)),
      reserveCost: Math.max(0, Math.ceil(input.reserveCost ?? 0)),
      leaseMs: input.leaseMs ?? DEFAULT_LEASE_MS,
    };
    // Each pass either decides or fetches tenant units; another request may take fetched units
    // first, hence the loop. The bound only guards against a livelock; it has not been reached.
    for (let pass = 0; pass < 64; pass++) {
      const now = Date.now();
      this.#lastActivity = now;
      const a = ledger.admit(this.#p, sets, req, now);
      if (a.kind === "admitted") {
        if (flush) this.#flush();
        this.#schedule(ledger.nextExpiry(this.#p));
        if (!isEmpty(sets.tenant)) this.#schedule(now + IDLE_RETURN_MS);
        const extraction = this.#extraction.current(now);
        return { ok: true, leaseId: req.id, headers: successHeaders(a.statuses), ...(extraction.state === "normal" ? {} : { extraction }) };
      }
      if (a.kind === "refused") return this.#refuse(a.refusal);
      const lease = await this.#fetchUnits(input, sets, req.reserve, req.reserveCost);
      if (lease && !lease.ok) {
        const kind = RES_LIMIT[resKind(lease.res)];
        const end = windowEnd(lease.res, now);
        const status: PolicyStatus = {
          kind,
          scope: "tenant",
          quota: kind === "rpm" ? (sets.tenant.rpm?.perMinute ?? lease.limit) : lease.limit,
          ...(kind === "rpm" ? { capacity: lease.limit } : {}),
          remaining: lease.remaining,
          ...(kind === "concurrency" ? {} : { windowS: kind === "rpm" ? 60 : kind === "tokens_month" || kind === "cost_month" ? monthSeconds(now) : 86400 }),
          ...(end === undefined ? {} : { resetS: (end - now) / 1000 }),
        };
        const detail =
          kind === "concurrency" ? "Too many concurrent requests for this tenant."
          : kind === "rpm" ? "Tenant request rate limit exceeded."
          : kind === "cost_day" || kind === "cost_month" ? "Tenant cost quota exhausted."
          : "Tenant quota exhausted.";
        return this.#refuse({ limit: kind, scope: "tenant", retryAfterS: lease.retryAfterS, status, detail });
      }
    }
    return this.#refuse(
      { limit: "concurrency", scope: "tenant", retryAfterS: 1, status: { kind: "concurrency", scope: "tenant", quota: 0, remaining: 0 }, detail: "Too much contention; retry." },
    );
  }

  async settle(leaseId: string, totalTokens: number | null, costMicro: number | null = null): Promise<{ settled: boolean }> {
    const now = Date.now();
    const settled = ledger.settle(this.#p, leaseId, totalTokens, now, costMicro);
    this.#flushSoon();
    await this.#returnPressured(now);
    return { settled };
  }

  extend(leaseId: string, leaseMs: number): boolean {
    const inf = this.#p.inflight.get(leaseId);
    if (!inf) return false;
    inf.expiresMs = Date.now() + leaseMs;
    this.#p.dirty.inflight.add(leaseId);
    this.#flush();
    return true;
  }

  /** The principal's extraction standing changed (worker/pipeline/extraction.ts), or an admin reset it. */
  noteExtraction(note: ExtractionNote): void {
    this.#extraction.note(note, Date.now());
  }

  usage(): PrincipalUsageRow | null {
    const principal = this.#meta.get("principal");
    if (!principal) return null;
    return { principal, ...ledger.usage(this.#p, Date.now()) };
  }

  surrender(input: { resources: string[]; pressureUntil: number }): { returned: pool.Transfer[]; slots?: pool.Transfer } {
    const returned = ledger.takeReturns(this.#p, Date.now(), { resources: input.resources, pressureUntil: input.pressureUntil });
    this.#flush();
    return input.resources.includes("conc") ? { returned, slots: ledger.slotsHeld(this.#p, this.#pendingSlots) } : { returned };
  }

  /** Sweeps expired leases, and hands blocks back when idle or under pressure. */
  async alarm(): Promise<void> {
    const now = Date.now();
    ledger.expire(this.#p, now);
    ledger.prune(this.#p, now);
    this.#flush();
    if (now - this.#lastActivity >= IDLE_RETURN_MS) await this.#sendReturns(ledger.takeReturns(this.#p, now, {}));
    else await this.#returnPressured(now);
    this.#schedule(ledger.nextExpiry(this.#p));
    if ([...this.#p.held.values()].some((h) => h.unused !== 0)) this.#schedule(this.#lastActivity + IDLE_RETURN_MS);
  }

  #flush(): void {
    flushPrincipal(this.#sql, this.#p, this.#blocks, this.#dirtyBlocks);
  }

  /**
   * Writes what is dirty within SETTLE_WRITE_MS, unless an earlier write takes it along (the
   * timer then finds nothing to write: cheaper than clearing it on every admission — a timer
   * call of a Durable Object was measured at a sizeable share of an admission's CPU).
   */
  #flushSoon(): void {
    this.#writeTimer ??= setTimeout(() => {
      this.#writeTimer = null;
      this.#flush();
    }, SETTLE_WRITE_MS);
  }

  /** The tenant's configuration changed: see TenantBudget.setConfigVersion. */
  setConfigVersion(version: number): void {
    if (this.#meta.get("role") !== "principal") return;
    if ((configVersion(this.#meta) ?? -1) < version) this.#meta.set("config_version", String(version));
  }

  /**
   * A caller older than the version known here must re-read the tenant; a caller newer (it read
   * the TenantObject after a change whose notice is still on its way) is right, and teaches this
   * object. With no version known (a tenant configured before versions, or just purged), only a
   * fresh read is believed.
   */
  #staleConfig(version: number, fresh: boolean): boolean {
    const known = configVersion(this.#meta);
    if (known === null ? !fresh : version < known) return true;
    if (known === null || version > known) this.#meta.set("config_version", String(version));
    return false;
  }

  /**
   * Adds this principal to the tenant's index and takes a version lease (budget-store.ts
   * VERSION_LEASE_MS): on its first request, and again on the first request after a lease ran out.
   */
  #register(tenantId: string, principal: string): Promise<void> {
    this.#registering ??= (async () => {
      const asked = Date.now();
      const version = await this.#peers.tenant(tenantId).register({ tenantId, principal });
      if (version !== null) this.setConfigVersion(version);
      this.#meta.leaseVersionUntil(asked + VERSION_LEASE_MS - VERSION_LEASE_MARGIN_MS);
    })().finally(() => (this.#registering = null));
    return this.#registering;
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tenantQueue.then(fn, fn);
    this.#tenantQueue = run.catch(() => undefined);
    return run;
  }

  /** Leases what this request still lacks; null when an earlier lease already covered it. */
  #fetchUnits(input: AcquireInput, sets: LimitSets, reserve: number, reserveCost: number): Promise<LeaseResult | null> {
    return this.#exclusive(async () => {
      const now = Date.now();
      ledger.syncHeld(this.#p, sets.tenant, now);
      const needs = ledger.shortfall(this.#p, unitsFor(sets.tenant, windowsAt(now), reserve, reserveCost));
      if (!needs.length) return null;
      const returns = ledger.takeReturns(this.#p, now, { onlyPressured: true });
      this.#flush();
      const result = await this.#whileReturning(returns, async (): Promise<LeaseResult> =>
        this.#peers.tenant(input.tenantId).lease({
          tenantId: input.tenantId,
          holder: input.principalId,
          limits: input.tenantLimits,
          returns,
          unused: ledger.unusedReport(this.#p),
          needs,
        }),
      );
      if (result.ok) {
        ledger.addGrants(this.#p, result.grants);
        this.#flush();
      }
      return result;
    });
  }

  /** Under pressure, freed units go back to the tenant at once instead of idling here. */
  async #returnPressured(now: number): Promise<void> {
    await this.#sendReturns(ledger.takeReturns(this.#p, now, { onlyPressured: true }));
  }

  /** The ledger has already forgotten `returns`; that is made durable before they are sent. */
  async #sendReturns(returns: pool.Transfer[]): Promise<void> {
    if (!returns.length) return;
    this.#flush();
    const tenantId = this.#meta.get("tenant")!;
    const holder = this.#meta.get("principal")!;
    await this.#whileReturning(returns, () =>
      this.#exclusive(async () => {
        await this.#peers.tenant(tenantId).lease({ tenantId, holder, limits: null, returns, unused: [], needs: [] });
      }),
    );
  }

  /** Slots on their way back still count as held when a surrender asks (see ledger.slotsHeld). */
  async #whileReturning<T>(returns: readonly pool.Transfer[], send: () => Promise<T>): Promise<T> {
    const slots = returns.reduce((n, r) => n + (r.res === "conc" ? Math.max(0, r.amount) : 0), 0);
    this.#pendingSlots += slots;
    try {
      return await send();
    } finally {
      this.#pendingSlots -= slots;
    }
  }

  /**
   * A refusal writes nothing now: its counters and audit bookkeeping stay dirty in memory and go
   * out with the next write or the alarm, so a flood of 429s costs no storage commits. Eviction
   * before then loses only refusal counts (the bucket refill is recomputed from the clock).
   */
  #refuse(r: ledger.Refusal): AcquireResult {
    const now = Date.now();
    ledger.countRefusal(this.#p, now);
    this.#schedule(now + LAZY_FLUSH_MS);
    // Units fetched for a request that a principal limit then refused must not idle here.
    this.#returnPressured(now).catch((err) => log("budget.return_failed", errorFields(err)));
    const key = `${r.scope}:${r.limit}`;
    const b = this.#blocks.get(key) ?? { lastMs: 0, suppressed: 0 };
    const audit = now - b.lastMs >= BLOCK_AUDIT_INTERVAL_MS;
    const suppressed = b.suppressed;
    const next = audit ? { lastMs: now, suppressed: 0 } : { lastMs: b.lastMs, suppressed: b.suppressed + 1 };
    this.#blocks.set(key, next);
    this.#dirtyBlocks.add(key);
    return {
      ok: false,
      code: refusalCode(r.limit),
      limit: r.limit,
      scope: r.scope,
      retryAfterS: Math.max(1, Math.ceil(r.retryAfterS)),
      detail: r.detail,
      headers: refusalHeaders(r.status, r.retryAfterS),
      audit,
      suppressed,
    };
  }
}
