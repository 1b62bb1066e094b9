import type { Limits } from "../worker/config/policy";
import { errorFields, log } from "../worker/log";
import { limitSet } from "../worker/budget/limits";
import * as pool from "../worker/budget/pool";
import { windowsAt } from "../worker/budget/windows";
import { configVersion, flushTenant, loadTenant, VERSION_LEASE_MS, type BudgetMeta, type BudgetPeers } from "./budget-store";

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

/**
 * The tenant role (`t:<tenant>`, docs/budgets.md): pools of tenant-wide allowances, leased to
 * principal objects in blocks, and the index of the tenant's principals.
 */
export class TenantBudget {
  readonly #sql: SqlStorage;
  readonly #meta: BudgetMeta;
  readonly #peers: BudgetPeers;
  #t = pool.emptyTenantLedger();
  #reclaiming: Promise<void> | null = null;
  /** Grants per holder, to tell whether a grant crossed a surrender. */
  #grantSeq = new Map<string, number>();

  constructor(sql: SqlStorage, meta: BudgetMeta, peers: BudgetPeers) {
    this.#sql = sql;
    this.#meta = meta;
    this.#peers = peers;
  }

  load(): void {
    loadTenant(this.#sql, this.#t);
  }

  /** After a purge: the pools start empty. */
  reset(): void {
    this.#t = pool.emptyTenantLedger();
  }

  /**
   * Adds a principal to the index (or finds it there) and leases it the configuration version for
   * VERSION_LEASE_MS: changes in that time are announced to it. Answers the version, if known.
   */
  register(input: { tenantId: string; principal: string }): number | null {
    this.#meta.bind("tenant", input.tenantId);
    const now = Date.now();
    this.#sql.exec(
      "INSERT INTO budget_principals (principal, first_seen_ms, version_lease_until) VALUES (?, ?, ?) ON CONFLICT (principal) DO UPDATE SET version_lease_until = excluded.version_lease_until",
      input.principal, now, now + VERSION_LEASE_MS,
    );
    return configVersion(this.#meta);
  }

  /**
   * The tenant's configuration changed (TenantObject): every principal object holding a version
   * lease learns the new version before this returns, so any isolate still holding the old
   * configuration is told so by the next admission it asks for; a principal without a running
   * lease asks here before it admits anything (PrincipalBudget.acquire). The version is stored
   * before the index is read: a principal registering meanwhile is either in the list or gets the
   * new version from `register`.
   */
  async setConfigVersion(tenantId: string, version: number): Promise<void> {
    this.#meta.bind("tenant", tenantId);
    if ((configVersion(this.#meta) ?? -1) < version) this.#meta.set("config_version", String(version));
    const principals = this.#sql
      .exec<{ principal: string }>("SELECT principal FROM budget_principals WHERE version_lease_until > ?", Date.now())
      .toArray()
      .map((r) => r.principal);
    for (let i = 0; i < principals.length; i += 50) {
      await Promise.all(principals.slice(i, i + 50).map((p) => this.#peers.principal(tenantId, p).setPrincipalConfigVersion(version)));
    }
  }

  principals(): string[] {
    return this.#sql.exec<{ principal: string }>("SELECT principal FROM budget_principals ORDER BY principal").toArray().map((r) => r.principal);
  }

  async lease(input: LeaseInput): Promise<LeaseResult> {
    this.#meta.bind("tenant", input.tenantId);
    let now = Date.now();
    if (input.limits) pool.syncPools(this.#t, limitSet(input.limits), windowsAt(now), now);
    pool.applyReturns(this.#t, input.holder, input.returns);
    pool.applyUnused(this.#t, input.holder, input.unused);
    for (let round = 0; ; round++) {
      now = Date.now();
      const g = pool.grant(this.#t, input.holder, input.needs, now);
      this.#flush();
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

  pools(): Array<{ res: string; limit: number; free: number; leased: number }> {
    return [...this.#t.pools].map(([res, p]) => ({
      res,
      limit: p.limit,
      free: Math.floor(p.free),
      leased: [...(this.#t.holds.get(res)?.values() ?? [])].reduce((s, h) => s + h.amount, 0),
    }));
  }

  #flush(): void {
    flushTenant(this.#sql, this.#t);
  }

  async #reclaim(tenantId: string, targets: Map<string, string[]>): Promise<void> {
    if (this.#reclaiming) return this.#reclaiming;
    this.#reclaiming = (async () => {
      const until = Date.now() + pool.PRESSURE_MS;
      await Promise.all(
        [...targets].map(async ([holder, resources]) => {
          try {
            const seq = this.#grantSeq.get(holder) ?? 0;
            const answer = await this.#peers.principal(tenantId, holder).surrender({ resources, pressureUntil: until });
            const crossed = (this.#grantSeq.get(holder) ?? 0) !== seq;
            pool.applySurrender(this.#t, holder, resources, answer.returned, until, crossed ? undefined : answer.slots);
          } catch (err) {
            // An unreachable holder keeps its units: the tenant under-uses, never overspends.
            log("budget.surrender_failed", { principal: holder, ...errorFields(err) });
          }
        }),
      );
      this.#flush();
    })().finally(() => (this.#reclaiming = null));
    return this.#reclaiming;
  }
}
