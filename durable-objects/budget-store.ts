import { migrate, type Migration } from "./migrations";
import { deleteKeys, writeRows } from "./sql-values";
import type * as ledger from "../worker/budget/ledger";
import type * as pool from "../worker/budget/pool";
import type { BudgetStub } from "../worker/clients/budget";

/**
 * BudgetObject's storage: the schema, the object's role, and the row reads and writes
 * of each role's in-memory state. Tables are described in durable-objects/STORAGE.md.
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
  // Cost budgets (docs/budgets.md "Cost"): µUSD charged and reserved per window, reserved per lease.
  [
    "ALTER TABLE budget_counters ADD COLUMN cost INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0)",
    "ALTER TABLE budget_counters ADD COLUMN reserved_cost INTEGER NOT NULL DEFAULT 0 CHECK (reserved_cost >= 0)",
    "ALTER TABLE budget_inflight ADD COLUMN reserve_cost INTEGER NOT NULL DEFAULT 0 CHECK (reserve_cost >= 0)",
  ],
  // Configuration-version leases (budget-tenant.ts): a change is announced only to principals whose lease runs.
  ["ALTER TABLE budget_principals ADD COLUMN version_lease_until INTEGER NOT NULL DEFAULT 0"],
  // The principal's ledger in one table (STORAGE.md): an admission wrote rows into four tables in
  // one commit, and the commit's cost follows the tables written, not the statements
  // (bench/RESULTS.md, "Budget RPCs coalesced": the same rows in one table, ~25% less CPU).
  [
    `CREATE TABLE budget_ledger (k TEXT PRIMARY KEY, a, b, c, d, e, f, g,
       CHECK (substr(k, 1, 2) <> 'c:' OR (a >= 0 AND b >= 0 AND c >= 0 AND d >= 0 AND e >= 0 AND f >= 0)),
       CHECK (substr(k, 1, 2) <> 'i:' OR (c >= 0 AND d >= 0)))`,
    "INSERT INTO budget_ledger (k, a, b) SELECT 'b', level, at_ms FROM budget_bucket",
    "INSERT INTO budget_ledger (k, a, b, c, d, e, f) SELECT 'c:' || win, requests, tokens, reserved, refused, cost, reserved_cost FROM budget_counters",
    "INSERT INTO budget_ledger (k, a, b, c, d, e, f, g) SELECT 'i:' || id, started_ms, expires_ms, reserve, reserve_cost, day, month, taken FROM budget_inflight",
    "INSERT INTO budget_ledger (k, a, b, c, d, e) SELECT 'h:' || res, unused, epoch, pressure_until, remaining, lim FROM budget_held",
    "DROP TABLE budget_bucket",
    "DROP TABLE budget_counters",
    "DROP TABLE budget_inflight",
    "DROP TABLE budget_held",
  ],
];

/**
 * How long a principal object may trust the configuration version it was told without asking its
 * tenant again. The tenant announces a change to principals whose lease still runs; the others
 * ask on their next request (one call to the tenant object, at most once per lease). So a change
 * costs one call per principal active in the last lease, not one per principal ever seen.
 */
export const VERSION_LEASE_MS = 5 * 60_000;
/** The principal stops trusting its lease this much before the tenant stops announcing to it (clock skew between objects). */
export const VERSION_LEASE_MARGIN_MS = 15_000;

export function migrateBudget(sql: SqlStorage): void {
  migrate(sql, SCHEMA);
}

/**
 * How one role reaches the other's objects: BudgetObject hands its roles the client module's
 * addressing (worker/clients/budget.ts), so object names are made in one place.
 */
export interface BudgetPeers {
  principal(tenantId: string, principalId: string): BudgetStub;
  tenant(tenantId: string): BudgetStub;
}

/** Per `<scope>:<limit>`: when a refusal was last audited, and refusals since. */
export type Blocks = Map<string, { lastMs: number; suppressed: number }>;

/** `budget_meta`: which role the object plays, fixed by its first call. */
export class BudgetMeta {
  readonly #sql: SqlStorage;
  readonly #map = new Map<string, string>();

  constructor(sql: SqlStorage) {
    this.#sql = sql;
  }

  load(): void {
    for (const r of this.#sql.exec<{ key: string; value: string }>("SELECT key, value FROM budget_meta")) this.#map.set(r.key, r.value);
  }

  get(key: string): string | undefined {
    return this.#map.get(key);
  }

  set(key: string, value: string): void {
    this.#map.set(key, value);
    this.#sql.exec("INSERT OR REPLACE INTO budget_meta (key, value) VALUES (?, ?)", key, value);
  }

  delete(key: string): void {
    this.#map.delete(key);
    this.#sql.exec("DELETE FROM budget_meta WHERE key = ?", key);
  }

  /** The principal is in its tenant's index, and trusts its configuration version until `until` (ms). */
  leaseVersionUntil(until: number): void {
    this.set("version_until", String(until));
  }

  /** Whether the principal must (re-)register with its tenant before admitting anything. */
  mustRegister(now: number): boolean {
    return Number(this.#map.get("version_until") ?? 0) <= now;
  }

  clear(): void {
    this.#map.clear();
  }

  bind(role: "principal" | "tenant", tenantId: string, principalId?: string): void {
    if (this.#map.get("role") === role) return;
    if (this.#map.has("role")) throw new Error(`budget object is a ${this.#map.get("role")}, not a ${role}`);
    const rows: Array<[string, string]> = [["role", role], ["tenant", tenantId]];
    if (principalId !== undefined) rows.push(["principal", principalId]);
    for (const [k, v] of rows) this.set(k, v);
  }
}

/** The tenant configuration version this object last heard of (TenantObject), or null. */
export function configVersion(meta: BudgetMeta): number | null {
  const v = meta.get("config_version");
  return v === undefined ? null : Number(v);
}

/** A `budget_ledger` row: `k` says what it is (STORAGE.md), `a`–`g` its fields in that kind's order. */
type LedgerRow = {
  k: string;
  a: number;
  b: number;
  c: number;
  d: number;
  e: number | string;
  f: number | string;
  g: string | null;
};

export function loadPrincipal(sql: SqlStorage, p: ledger.PrincipalLedger, blocks: Blocks): void {
  p.bucket = null;
  for (const row of sql.exec<LedgerRow>("SELECT k, a, b, c, d, e, f, g FROM budget_ledger")) {
    const key = row.k.slice(2);
    switch (row.k.slice(0, 2)) {
      case "b":
        p.bucket = { level: row.a, atMs: row.b };
        break;
      case "c:":
        p.counters.set(key, { requests: row.a, tokens: row.b, reserved: row.c, refused: row.d, cost: row.e as number, reservedCost: row.f as number });
        break;
      case "i:":
        p.inflight.set(key, {
          id: key,
          startedMs: row.a,
          expiresMs: row.b,
          reserve: row.c,
          reserveCost: row.d,
          day: row.e as string,
          month: row.f as string,
          taken: JSON.parse(row.g ?? "[]"),
        });
        break;
      case "h:":
        p.held.set(key, { unused: row.a, epoch: row.b, pressureUntil: row.c, remaining: row.d, limit: row.e as number });
        break;
    }
  }
  for (const r of sql.exec<{ kind: string; last_ms: number; suppressed: number }>("SELECT * FROM budget_blocks"))
    blocks.set(r.kind, { lastMs: r.last_ms, suppressed: r.suppressed });
}

export function loadTenant(sql: SqlStorage, t: pool.TenantLedger): void {
  for (const r of sql.exec<{ res: string; lim: number; free: number; at_ms: number; rate: number; epoch: number }>("SELECT * FROM budget_pools"))
    t.pools.set(r.res, { limit: r.lim, free: r.free, atMs: r.at_ms, rate: r.rate, epoch: r.epoch });
  for (const r of sql.exec<{ res: string; holder: string; amount: number; pressure_until: number }>("SELECT * FROM budget_holds")) {
    const m = t.holds.get(r.res) ?? new Map<string, pool.Hold>();
    m.set(r.holder, { amount: r.amount, pressureUntil: r.pressure_until });
    t.holds.set(r.res, m);
  }
}

const LEDGER = ["k", "a", "b", "c", "d", "e", "f", "g"] as const;
const BLOCKS = ["kind", "last_ms", "suppressed"] as const;

/**
 * Writes what the ledger marked dirty, and the refusal bookkeeping in `dirtyBlocks`: every dirty
 * row as it now is, or its deletion when the ledger no longer holds it, all into `budget_ledger` —
 * one multi-row upsert and one delete (sql-values.ts) for an admission's ten-odd rows.
 */
export function flushPrincipal(sql: SqlStorage, p: ledger.PrincipalLedger, blocks: Blocks, dirtyBlocks: Set<string>): void {
  const d = p.dirty;
  const rows: SqlStorageValue[][] = [];
  const gone: string[] = [];
  if (d.bucket) {
    if (p.bucket) rows.push(["b", p.bucket.level, p.bucket.atMs, null, null, null, null, null]);
    else gone.push("b");
  }
  for (const k of d.counters) {
    const c = p.counters.get(k);
    if (c) rows.push([`c:${k}`, c.requests, c.tokens, c.reserved, c.refused, c.cost, c.reservedCost, null]);
    else gone.push(`c:${k}`);
  }
  for (const id of d.inflight) {
    const i = p.inflight.get(id);
    if (i) rows.push([`i:${id}`, i.startedMs, i.expiresMs, i.reserve, i.reserveCost, i.day, i.month, JSON.stringify(i.taken)]);
    else gone.push(`i:${id}`);
  }
  for (const res of d.held) {
    const h = p.held.get(res);
    if (h) rows.push([`h:${res}`, h.unused, h.epoch, h.pressureUntil, h.remaining, h.limit, null, null]);
    else gone.push(`h:${res}`);
  }
  if (rows.length) writeRows(sql, "budget_ledger", LEDGER, rows);
  if (gone.length) deleteKeys(sql, "budget_ledger", "k", gone);
  if (dirtyBlocks.size)
    writeRows(sql, "budget_blocks", BLOCKS, [...dirtyBlocks].map((key) => {
      const b = blocks.get(key)!;
      return [key, b.lastMs, b.suppressed];
    }));
  dirtyBlocks.clear();
  d.bucket = false;
  d.counters.clear();
  d.inflight.clear();
  d.held.clear();
}

/** The tenant role is off the hot path, and its pools hold fractional units: one bound statement per row, exact doubles. */
export function flushTenant(sql: SqlStorage, t: pool.TenantLedger): void {
  for (const res of t.dirty.pools) {
    const p = t.pools.get(res);
    if (p) sql.exec("INSERT OR REPLACE INTO budget_pools (res, lim, free, at_ms, rate, epoch) VALUES (?, ?, ?, ?, ?, ?)", res, p.limit, p.free, p.atMs, p.rate, p.epoch);
    else sql.exec("DELETE FROM budget_pools WHERE res = ?", res);
  }
  for (const key of t.dirty.holds) {
    const [res, holder] = key.split("\n") as [string, string];
    const h = t.holds.get(res)?.get(holder);
    if (h) sql.exec("INSERT OR REPLACE INTO budget_holds (res, holder, amount, pressure_until) VALUES (?, ?, ?, ?)", res, holder, h.amount, h.pressureUntil);
    else sql.exec("DELETE FROM budget_holds WHERE res = ? AND holder = ?", res, holder);
  }
  t.dirty.pools.clear();
  t.dirty.holds.clear();
}
