import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../worker/env";
import type { Limits } from "../worker/config/policy";
import { migrate, type Migration } from "./migrations";
import { limitSet, isEmpty, refusalCode } from "../worker/budget/limits";
import { refusalHeaders, successHeaders, type PolicyStatus } from "../worker/budget/headers";
import * as ledger from "../worker/budget/ledger";
import type { LimitSets } from "../worker/budget/ledger";
import * as pool from "../worker/budget/pool";
import { RES_LIMIT, resKind, unitsFor, windowEnd } from "../worker/budget/resources";
import { monthSeconds, windowsAt } from "../worker/budget/windows";

/**
 * One class, two roles, told apart by the object's name (docs/budgets.md):
 * - `p:<tenant>:<principal>` — a principal's exact ledger; the only object on a request's hot path.
 * - `t:<tenant>` — the tenant's pools of tenant-wide allowances, leased to principal objects in
 *   blocks, and the index of the tenant's principals.
 * Tables are described in durable-objects/STORAGE.md.
 */
const SCHEMA: readonly Migration[] = [
  [
    "CREATE TABLE budget_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    `CREATE TABLE budget_counters (win TEXT PRIMARY KEY, requests INTEGER NOT NULL CHECK (requests >= 0),
       tokens INTEGER NOT NULL CHECK (tokens >= 0), reserved INTEGER NOT NULL CHECK (reserved >= 0),
       refused INTEGER NOT NULL CHECK (refused >= 0))`,
    "CREATE TABLE budget_bucket (id INTEGER PRIMARY KEY CHECK (id = 1), level REAL NOT NULL, at_ms INTEGER NOT NULL)",
    `CREATE TABLE budget_inflight (id TEXT PRIMARY KEY, started_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL,
       reserve INTEGER NOT NULL CHECK (reserve >= 0), day TEXT NOT NULL, month TEXT NOT NULL, taken TEXT NOT NULL)`,
    `CREATE TABLE budget_held (res TEXT PRIMARY KEY, unused INTEGER NOT NULL, epoch INTEGER NOT NULL,
       pressure_until INTEGER NOT NULL, remaining REAL NOT NULL, lim REAL NOT NULL)`,
    "CREATE TABLE budget_blocks (kind TEXT PRIMARY KEY, last_ms INTEGER NOT NULL, suppressed INTEGER NOT NULL CHECK (suppressed >= 0))",
    `CREATE TABLE budget_pools (res TEXT PRIMARY KEY, lim REAL NOT NULL, free REAL NOT NULL, at_ms INTEGER NOT NULL,
       rate REAL NOT NULL, epoch INTEGER NOT NULL)`,
    `CREATE TABLE budget_holds (res TEXT NOT NULL, holder TEXT NOT NULL, amount INTEGER NOT NULL CHECK (amount >= 0),
       pressure_until INTEGER NOT NULL, PRIMARY KEY (res, holder))`,
    "CREATE TABLE budget_principals (principal TEXT PRIMARY KEY, first_seen_ms INTEGER NOT NULL)",
  ],
];

/** A lease not settled by then is swept by the alarm: slot freed, nothing charged. */
export const DEFAULT_LEASE_MS = 5 * 60_000;
/** Tenant blocks a principal has not touched for this long go back to the tenant. */
export const IDLE_RETURN_MS = 15_000;
/** Refusal counts not yet written are written by then at the latest. */
export const LAZY_FLUSH_MS = 60_000;
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
  leaseMs?: number;
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

export type AcquireResult = { ok: true; leaseId: string; headers: Record<string, string> } | ({ ok: false } & Refused);

export interface LeaseInput {
  tenantId: string;
  holder: string;
  /** The tenant-wide limits as configured now; null on a call that only returns units. */
  limits: Limits | null;
  returns: pool.Transfer[];
  unused: pool.Transfer[];
  needs: Array<{ res: string; min: number }>;
}

export type LeaseResult =
  | { ok: true; grants: pool.Grant[] }
  | { ok: false; res: string; limit: number; remaining: number; retryAfterS: number };

export type PrincipalUsageRow = ledger.PrincipalUsage & { principal: string };

export function principalObjectName(tenantId: string, principalId: string): string {
  return `p:${tenantId}:${principalId}`;
}
export function tenantObjectName(tenantId: string): string {
  return `t:${tenantId}`;
}

export class BudgetObject extends DurableObject<Bindings> {
  #sql: SqlStorage;
  #meta = new Map<string, string>();
  #p = ledger.emptyLedger();
  #t = pool.emptyTenantLedger();
  #blocks = new Map<string, { lastMs: number; suppressed: number }>();
  #dirtyBlocks = new Set<string>();
  #alarmAt: number | null = null;
  #lastActivity = 0;
  /** Serialises this principal's calls to its tenant, so its reports are never overtaken by its own grants. */
  #tenantQueue: Promise<unknown> = Promise.resolve();
  #registering: Promise<void> | null = null;
  #reclaiming: Promise<void> | null = null;
  /** Tenant role: grants per holder, to tell whether a grant crossed a surrender. */
  #grantSeq = new Map<string, number>();
  /** Principal role: slots sent back to the tenant and not yet acknowledged. */
  #pendingSlots = 0;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => {
      migrate(this.#sql, SCHEMA);
      this.#load();
      this.#alarmAt = await ctx.storage.getAlarm();
    });
  }

  // ─── principal role ────────────────────────────────────────────────────────────────────────

  async acquire(input: AcquireInput): Promise<AcquireResult> {
    this.#bind("principal", input.tenantId, input.principalId);
    if (this.#meta.get("registered") !== "1") await this.#register(input.tenantId, input.principalId);
    const sets: LimitSets = { principal: limitSet(input.limits), tenant: limitSet(input.tenantLimits) };
    const req = { id: crypto.randomUUID(), reserve: Math.max(0, Math.ceil(input.reserveTokens)), leaseMs: input.leaseMs ?? DEFAULT_LEASE_MS };
    // Each pass either decides or fetches tenant units; another request may take fetched units
    // first, hence the loop. The bound only guards against a livelock; it has not been reached.
    for (let pass = 0; pass < 64; pass++) {
      const now = Date.now();
      this.#lastActivity = now;
      const a = ledger.admit(this.#p, sets, req, now);
      if (a.kind === "admitted") {
        this.#flushPrincipal();
        this.#schedule(ledger.nextExpiry(this.#p));
        if (!isEmpty(sets.tenant)) this.#schedule(now + IDLE_RETURN_MS);
        return { ok: true, leaseId: req.id, headers: successHeaders(a.statuses) };
      }
      if (a.kind === "refused") return this.#refuse(a.refusal);
      const lease = await this.#fetchUnits(input, sets, req.reserve);
      if (lease && !lease.ok) {
        const kind = RES_LIMIT[resKind(lease.res)];
        const end = windowEnd(lease.res, now);
        const status: PolicyStatus = {
          kind,
          scope: "tenant",
          quota: kind === "rpm" ? (sets.tenant.rpm?.perMinute ?? lease.limit) : lease.limit,
          ...(kind === "rpm" ? { capacity: lease.limit } : {}),
          remaining: lease.remaining,
          ...(kind === "concurrency" ? {} : { windowS: kind === "rpm" ? 60 : kind === "tokens_month" ? monthSeconds(now) : 86400 }),
          ...(end === undefined ? {} : { resetS: (end - now) / 1000 }),
        };
        const detail = kind === "concurrency" ? "Too many concurrent requests for this tenant." : kind === "rpm" ? "Tenant request rate limit exceeded." : "Tenant quota exhausted.";
        return this.#refuse({ limit: kind, scope: "tenant", retryAfterS: lease.retryAfterS, status, detail });
      }
    }
    return this.#refuse(
      { limit: "concurrency", scope: "tenant", retryAfterS: 1, status: { kind: "concurrency", scope: "tenant", quota: 0, remaining: 0 }, detail: "Too much contention; retry." },
    );
  }

  /** Ends a request: `totalTokens` from the origin's usage, or null when it failed (nothing charged). */
  async settle(leaseId: string, totalTokens: number | null): Promise<{ settled: boolean }> {
    const now = Date.now();
    const settled = ledger.settle(this.#p, leaseId, totalTokens, now);
    this.#flushPrincipal();
    await this.#returnPressured(now);
    return { settled };
  }

  /** Pushes a long stream's lease expiry out to `leaseMs` from now. */
  async extend(leaseId: string, leaseMs: number): Promise<boolean> {
    const inf = this.#p.inflight.get(leaseId);
    if (!inf) return false;
    inf.expiresMs = Date.now() + leaseMs;
    this.#p.dirty.inflight.add(leaseId);
    this.#flushPrincipal();
    return true;
  }

  usage(): PrincipalUsageRow | null {
    const principal = this.#meta.get("principal");
    if (!principal) return null;
    return { principal, ...ledger.usage(this.#p, Date.now()) };
  }

  /** Called by the tenant object: hand back unspent units of `resources` and enter pressure mode. */
  surrender(input: { resources: string[]; pressureUntil: number }): { returned: pool.Transfer[]; slots?: pool.Transfer } {
    const returned = ledger.takeReturns(this.#p, Date.now(), { resources: input.resources, pressureUntil: input.pressureUntil });
    this.#flushPrincipal();
    return input.resources.includes("conc") ? { returned, slots: ledger.slotsHeld(this.#p, this.#pendingSlots) } : { returned };
  }

  // ─── tenant role ───────────────────────────────────────────────────────────────────────────

  register(input: { tenantId: string; principal: string }): void {
    this.#bind("tenant", input.tenantId);
    this.#sql.exec("INSERT OR IGNORE INTO budget_principals (principal, first_seen_ms) VALUES (?, ?)", input.principal, Date.now());
  }

  principals(): string[] {
    return this.#sql.exec<{ principal: string }>("SELECT principal FROM budget_principals ORDER BY principal").toArray().map((r) => r.principal);
  }

  /** Grants blocks of tenant-wide allowances (all or nothing) and takes back returned units. */
  async lease(input: LeaseInput): Promise<LeaseResult> {
    this.#bind("tenant", input.tenantId);
    let now = Date.now();
    if (input.limits) pool.syncPools(this.#t, limitSet(input.limits), windowsAt(now), now);
    pool.applyReturns(this.#t, input.holder, input.returns);
    pool.applyUnused(this.#t, input.holder, input.unused);
    for (let round = 0; ; round++) {
      now = Date.now();
      const g = pool.grant(this.#t, input.holder, input.needs, now);
      this.#flushTenant();
      if (g.ok) {
        if (g.grants.length) this.#grantSeq.set(input.holder, (this.#grantSeq.get(input.holder) ?? 0) + 1);
        return { ok: true, grants: g.grants };
      }
      const targets = pool.reclaimTargets(this.#t, g.failing, input.holder, now);
      if (round >= 4 || (targets.size === 0 && !this.#reclaiming)) {
        const res = g.failing[0]!;
        const p = this.#t.pools.get(res)!;
        const min = input.needs.find((n) => n.res === res)!.min;
        return { ok: false, res, limit: p.limit, remaining: Math.max(0, Math.floor(p.free)), retryAfterS: pool.retryAfter(this.#t, res, min, now) };
      }
      await this.#reclaim(input.tenantId, targets);
    }
  }

  /** Tenant-wide pools: free units and units out on lease, per resource. */
  pools(): Array<{ res: string; limit: number; free: number; leased: number }> {
    return [...this.#t.pools].map(([res, p]) => ({
      res,
      limit: p.limit,
      free: Math.floor(p.free),
      leased: [...(this.#t.holds.get(res)?.values() ?? [])].reduce((s, h) => s + h.amount, 0),
    }));
  }

  /** Deletes this object's state; the tenant object first deletes every principal object it knows. */
  async purge(): Promise<void> {
    if (this.#meta.get("role") === "tenant") {
      const tenantId = this.#meta.get("tenant")!;
      await Promise.all(this.principals().map((p) => this.#stub(principalObjectName(tenantId, p)).purge()));
    }
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    migrate(this.#sql, SCHEMA);
    this.#meta.clear();
    this.#p = ledger.emptyLedger();
    this.#t = pool.emptyTenantLedger();
    this.#blocks.clear();
    this.#alarmAt = null;
  }

  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    if (this.#meta.get("role") !== "principal") return;
    const now = Date.now();
    ledger.expire(this.#p, now);
    ledger.prune(this.#p, now);
    this.#flushPrincipal();
    if (now - this.#lastActivity >= IDLE_RETURN_MS) await this.#sendReturns(ledger.takeReturns(this.#p, now, {}));
    else await this.#returnPressured(now);
    this.#schedule(ledger.nextExpiry(this.#p));
    if ([...this.#p.held.values()].some((h) => h.unused !== 0)) this.#schedule(this.#lastActivity + IDLE_RETURN_MS);
  }

  // ─── private ───────────────────────────────────────────────────────────────────────────────

  #bind(role: "principal" | "tenant", tenantId: string, principalId?: string): void {
    if (this.#meta.get("role") === role) return;
    if (this.#meta.has("role")) throw new Error(`budget object is a ${this.#meta.get("role")}, not a ${role}`);
    const rows: Array<[string, string]> = [["role", role], ["tenant", tenantId]];
    if (principalId !== undefined) rows.push(["principal", principalId]);
    for (const [k, v] of rows) {
      this.#meta.set(k, v);
      this.#sql.exec("INSERT OR REPLACE INTO budget_meta (key, value) VALUES (?, ?)", k, v);
    }
  }

  #stub(name: string): DurableObjectStub<BudgetObject> {
    return this.env.BUDGETS.get(this.env.BUDGETS.idFromName(name));
  }

  /** Adds this principal to the tenant's index, once in the object's life. */
  #register(tenantId: string, principal: string): Promise<void> {
    this.#registering ??= (async () => {
      await this.#stub(tenantObjectName(tenantId)).register({ tenantId, principal });
      this.#meta.set("registered", "1");
      this.#sql.exec("INSERT OR REPLACE INTO budget_meta (key, value) VALUES ('registered', '1')");
    })().finally(() => (this.#registering = null));
    return this.#registering;
  }

  #exclusive<T>(fn: () => Promise<T>): Promise<T> {
    const run = this.#tenantQueue.then(fn, fn);
    this.#tenantQueue = run.catch(() => undefined);
    return run;
  }

  /** Leases what this request still lacks; null when an earlier lease already covered it. */
  #fetchUnits(input: AcquireInput, sets: LimitSets, reserve: number): Promise<LeaseResult | null> {
    return this.#exclusive(async () => {
      const now = Date.now();
      ledger.syncHeld(this.#p, sets.tenant, now);
      const needs = ledger.shortfall(this.#p, unitsFor(sets.tenant, windowsAt(now), reserve));
      if (!needs.length) return null;
      const returns = ledger.takeReturns(this.#p, now, { onlyPressured: true });
      this.#flushPrincipal();
      const result = await this.#whileReturning(returns, async (): Promise<LeaseResult> =>
        this.#stub(tenantObjectName(input.tenantId)).lease({
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
        this.#flushPrincipal();
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
    this.#flushPrincipal();
    const tenantId = this.#meta.get("tenant")!;
    const holder = this.#meta.get("principal")!;
    await this.#whileReturning(returns, () =>
      this.#exclusive(async () => {
        await this.#stub(tenantObjectName(tenantId)).lease({ tenantId, holder, limits: null, returns, unused: [], needs: [] });
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
    this.#returnPressured(now).catch((err) => console.warn("budget: return failed", err));
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

  async #reclaim(tenantId: string, targets: Map<string, string[]>): Promise<void> {
    if (this.#reclaiming) return this.#reclaiming;
    this.#reclaiming = (async () => {
      const until = Date.now() + pool.PRESSURE_MS;
      await Promise.all(
        [...targets].map(async ([holder, resources]) => {
          try {
            const seq = this.#grantSeq.get(holder) ?? 0;
            const answer = await this.#stub(principalObjectName(tenantId, holder)).surrender({ resources, pressureUntil: until });
            const crossed = (this.#grantSeq.get(holder) ?? 0) !== seq;
            pool.applySurrender(this.#t, holder, resources, answer.returned, until, crossed ? undefined : answer.slots);
          } catch (err) {
            // An unreachable holder keeps its units: the tenant under-uses, never overspends.
            console.warn("budget: surrender failed", holder, err);
          }
        }),
      );
      this.#flushTenant();
    })().finally(() => (this.#reclaiming = null));
    return this.#reclaiming;
  }

  #schedule(at: number | undefined): void {
    if (at === undefined || (this.#alarmAt !== null && this.#alarmAt <= at)) return;
    this.#alarmAt = at;
    void this.ctx.storage.setAlarm(at);
  }

  #load(): void {
    for (const r of this.#sql.exec<{ key: string; value: string }>("SELECT key, value FROM budget_meta")) this.#meta.set(r.key, r.value);
    const p = this.#p;
    for (const r of this.#sql.exec<{ win: string; requests: number; tokens: number; reserved: number; refused: number }>("SELECT * FROM budget_counters"))
      p.counters.set(r.win, { requests: r.requests, tokens: r.tokens, reserved: r.reserved, refused: r.refused });
    const b = this.#sql.exec<{ level: number; at_ms: number }>("SELECT level, at_ms FROM budget_bucket").toArray()[0];
    p.bucket = b ? { level: b.level, atMs: b.at_ms } : null;
    for (const r of this.#sql.exec<{ id: string; started_ms: number; expires_ms: number; reserve: number; day: string; month: string; taken: string }>(
      "SELECT * FROM budget_inflight",
    ))
      p.inflight.set(r.id, { id: r.id, startedMs: r.started_ms, expiresMs: r.expires_ms, reserve: r.reserve, day: r.day, month: r.month, taken: JSON.parse(r.taken) });
    for (const r of this.#sql.exec<{ res: string; unused: number; epoch: number; pressure_until: number; remaining: number; lim: number }>("SELECT * FROM budget_held"))
      p.held.set(r.res, { unused: r.unused, epoch: r.epoch, pressureUntil: r.pressure_until, remaining: r.remaining, limit: r.lim });
    for (const r of this.#sql.exec<{ kind: string; last_ms: number; suppressed: number }>("SELECT * FROM budget_blocks"))
      this.#blocks.set(r.kind, { lastMs: r.last_ms, suppressed: r.suppressed });
    const t = this.#t;
    for (const r of this.#sql.exec<{ res: string; lim: number; free: number; at_ms: number; rate: number; epoch: number }>("SELECT * FROM budget_pools"))
      t.pools.set(r.res, { limit: r.lim, free: r.free, atMs: r.at_ms, rate: r.rate, epoch: r.epoch });
    for (const r of this.#sql.exec<{ res: string; holder: string; amount: number; pressure_until: number }>("SELECT * FROM budget_holds")) {
      const m = t.holds.get(r.res) ?? new Map<string, pool.Hold>();
      m.set(r.holder, { amount: r.amount, pressureUntil: r.pressure_until });
      t.holds.set(r.res, m);
    }
  }

  #flushPrincipal(): void {
    const p = this.#p;
    const d = p.dirty;
    if (d.bucket) {
      if (p.bucket) this.#sql.exec("INSERT OR REPLACE INTO budget_bucket (id, level, at_ms) VALUES (1, ?, ?)", p.bucket.level, p.bucket.atMs);
      else this.#sql.exec("DELETE FROM budget_bucket");
    }
    for (const k of d.counters) {
      const c = p.counters.get(k);
      if (c)
        this.#sql.exec(
          "INSERT OR REPLACE INTO budget_counters (win, requests, tokens, reserved, refused) VALUES (?, ?, ?, ?, ?)",
          k,
          c.requests,
          c.tokens,
          c.reserved,
          c.refused,
        );
      else this.#sql.exec("DELETE FROM budget_counters WHERE win = ?", k);
    }
    for (const id of d.inflight) {
      const i = p.inflight.get(id);
      if (i)
        this.#sql.exec(
          "INSERT OR REPLACE INTO budget_inflight (id, started_ms, expires_ms, reserve, day, month, taken) VALUES (?, ?, ?, ?, ?, ?, ?)",
          id,
          i.startedMs,
          i.expiresMs,
          i.reserve,
          i.day,
          i.month,
          JSON.stringify(i.taken),
        );
      else this.#sql.exec("DELETE FROM budget_inflight WHERE id = ?", id);
    }
    for (const res of d.held) {
      const h = p.held.get(res);
      if (h)
        this.#sql.exec(
          "INSERT OR REPLACE INTO budget_held (res, unused, epoch, pressure_until, remaining, lim) VALUES (?, ?, ?, ?, ?, ?)",
          res,
          h.unused,
          h.epoch,
          h.pressureUntil,
          h.remaining,
          h.limit,
        );
      else this.#sql.exec("DELETE FROM budget_held WHERE res = ?", res);
    }
    for (const key of this.#dirtyBlocks) {
      const b = this.#blocks.get(key)!;
      this.#sql.exec("INSERT OR REPLACE INTO budget_blocks (kind, last_ms, suppressed) VALUES (?, ?, ?)", key, b.lastMs, b.suppressed);
    }
    this.#dirtyBlocks.clear();
    d.bucket = false;
    d.counters.clear();
    d.inflight.clear();
    d.held.clear();
  }

  #flushTenant(): void {
    const t = this.#t;
    for (const res of t.dirty.pools) {
      const p = t.pools.get(res);
      if (p)
        this.#sql.exec(
          "INSERT OR REPLACE INTO budget_pools (res, lim, free, at_ms, rate, epoch) VALUES (?, ?, ?, ?, ?, ?)",
          res,
          p.limit,
          p.free,
          p.atMs,
          p.rate,
          p.epoch,
        );
      else this.#sql.exec("DELETE FROM budget_pools WHERE res = ?", res);
    }
    for (const key of t.dirty.holds) {
      const [res, holder] = key.split("\n") as [string, string];
      const h = t.holds.get(res)?.get(holder);
      if (h)
        this.#sql.exec(
          "INSERT OR REPLACE INTO budget_holds (res, holder, amount, pressure_until) VALUES (?, ?, ?, ?)",
          res,
          holder,
          h.amount,
          h.pressureUntil,
        );
      else this.#sql.exec("DELETE FROM budget_holds WHERE res = ? AND holder = ?", res, holder);
    }
    t.dirty.pools.clear();
    t.dirty.holds.clear();
  }
}
