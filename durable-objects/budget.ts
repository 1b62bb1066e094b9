import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../worker/env";
import type * as pool from "../worker/budget/pool";
import { PrincipalBudget, type AcquireAnswer, type AcquireInput, type BudgetCall, type BudgetOutcome, type PrincipalUsageRow } from "./budget-principal";
import { BudgetMeta, migrateBudget, type BudgetPeers } from "./budget-store";
import { principalBudget, tenantBudget } from "../worker/clients/budget";
import { TenantBudget, type LeaseInput, type LeaseResult } from "./budget-tenant";
import type { ExtractionNote } from "./budget-extraction";
import { budgetHooks } from "./test-hooks";

export {
  BLOCK_AUDIT_INTERVAL_MS,
  DEFAULT_LEASE_MS,
  IDLE_RETURN_MS,
  LAZY_FLUSH_MS,
  SETTLE_WRITE_MS,
  type AcquireAnswer,
  type AcquireInput,
  type AcquireResult,
  type BudgetCall,
  type BudgetOutcome,
  type PrincipalUsageRow,
  type Refused,
} from "./budget-principal";
export type { LeaseInput, LeaseResult } from "./budget-tenant";
export type { ExtractionNote, ExtractionStanding } from "./budget-extraction";

/**
 * One class, two roles, told apart by the object's name (docs/budgets.md):
 * - `p:<tenant>:<principal>` — a principal's exact ledger (durable-objects/budget-principal.ts);
 *   the only object on a request's hot path.
 * - `t:<tenant>` — the tenant's pools of tenant-wide allowances, leased to principal objects in
 *   blocks, and the index of the tenant's principals (durable-objects/budget-tenant.ts).
 * This class is the RPC surface and owns what both roles share: the schema and role
 * (durable-objects/budget-store.ts), the alarm and purge. Tables: durable-objects/STORAGE.md.
 * Both names are made, and the objects addressed, in worker/clients/budget.ts.
 */
export class BudgetObject extends DurableObject<Bindings> {
  #sql: SqlStorage;
  #meta: BudgetMeta;
  /** The other objects of both roles, addressed through the client module (worker/clients/budget.ts). */
  #peers: BudgetPeers;
  #principal: PrincipalBudget;
  #tenant: TenantBudget;
  #alarmAt: number | null = null;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#meta = new BudgetMeta(this.#sql);
    this.#peers = { principal: (tenantId, principalId) => principalBudget(env, tenantId, principalId), tenant: (tenantId) => tenantBudget(env, tenantId) };
    this.#principal = new PrincipalBudget(this.#sql, this.#meta, this.#peers, (at) => this.#schedule(at));
    this.#tenant = new TenantBudget(this.#sql, this.#meta, this.#peers);
    budgetHooks.register(this, { pools: () => this.#tenant.pools() });
    void ctx.blockConcurrencyWhile(async () => {
      migrateBudget(this.#sql);
      this.#meta.load();
      this.#principal.load();
      this.#tenant.load();
      this.#alarmAt = await ctx.storage.getAlarm();
    });
  }

  // ─── principal role ────────────────────────────────────────────────────────────────────────

  /** From the tenant role's fan-out (TenantBudget.setConfigVersion). */
  setPrincipalConfigVersion(version: number): void {
    this.#principal.setConfigVersion(version);
  }

  acquire(input: AcquireInput): Promise<AcquireAnswer> {
    return this.#principal.acquire(input);
  }

  /** Calls one isolate queued behind a call in flight here, run in order, one write (worker/budget/calls.ts). */
  batch(calls: BudgetCall[]): Promise<BudgetOutcome[]> {
    return this.#principal.batch(calls);
  }

  /** Ends a request: `totalTokens` and `costMicro` µUSD it cost (capped at its reservation), or null when the origin failed (nothing charged). */
  settle(leaseId: string, totalTokens: number | null, costMicro: number | null = null): Promise<{ settled: boolean }> {
    return this.#principal.settle(leaseId, totalTokens, costMicro);
  }

  /** Pushes a long stream's lease expiry out to `leaseMs` from now. */
  async extend(leaseId: string, leaseMs: number): Promise<boolean> {
    return this.#principal.extend(leaseId, leaseMs);
  }

  usage(): PrincipalUsageRow | null {
    return this.#principal.usage();
  }

  /** The principal's extraction standing, reported off the request path; see budget-extraction.ts. */
  noteExtraction(note: ExtractionNote): void {
    this.#principal.noteExtraction(note);
  }

  /** Called by the tenant object: hand back unspent units of `resources` and enter pressure mode. */
  surrender(input: { resources: string[]; pressureUntil: number }): { returned: pool.Transfer[]; slots?: pool.Transfer } {
    return this.#principal.surrender(input);
  }

  // ─── tenant role ───────────────────────────────────────────────────────────────────────────

  register(input: { tenantId: string; principal: string }): number | null {
    return this.#tenant.register(input);
  }

  /** Called by the TenantObject on every configuration change; fans out to the principals. */
  setConfigVersion(tenantId: string, version: number): Promise<void> {
    return this.#tenant.setConfigVersion(tenantId, version);
  }

  principals(): string[] {
    return this.#tenant.principals();
  }

  /** Grants blocks of tenant-wide allowances (all or nothing) and takes back returned units. */
  lease(input: LeaseInput): Promise<LeaseResult> {
    return this.#tenant.lease(input);
  }

  // ─── both ──────────────────────────────────────────────────────────────────────────────────

  /** Deletes this object's state; the tenant object first deletes every principal object it knows. */
  async purge(): Promise<void> {
    if (this.#meta.get("role") === "tenant") {
      const tenantId = this.#meta.get("tenant")!;
      await Promise.all(this.#tenant.principals().map((p) => this.#peers.principal(tenantId, p).purge()));
    }
    await this.ctx.storage.deleteAlarm();
    await this.ctx.storage.deleteAll();
    migrateBudget(this.#sql);
    this.#meta.clear();
    this.#principal.reset();
    this.#tenant.reset();
    this.#alarmAt = null;
  }

  override async alarm(): Promise<void> {
    this.#alarmAt = null;
    if (this.#meta.get("role") !== "principal") return;
    await this.#principal.alarm();
  }

  #schedule(at: number | undefined): void {
    if (at === undefined || (this.#alarmAt !== null && this.#alarmAt <= at)) return;
    this.#alarmAt = at;
    void this.ctx.storage.setAlarm(at);
  }
}
