import { migrate, type Migration } from "./migrations";
import { deleteKeys, writeRows } from "./sql-values";
import type * as ledger from "../worker/budget/ledger";
import type * as pool from "../worker/budget/pool";
import type { BudgetObject } from "./budget";

/**
 * BudgetObject's storage: the schema, the object's names and role, and the row reads and writes
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

export function principalObjectName(tenantId: string, principalId: string): string {
  return `p:${tenantId}:${principalId}`;
}
export function tenantObjectName(tenantId: string): string {
  return `t:${tenantId}`;
}

export type BudgetStub = DurableObjectStub<BudgetObject>;

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

export function loadPrincipal(sql: SqlStorage, p: ledger.PrincipalLedger, blocks: Blocks): void {
  for (const r of sql.exec<{ win: string; requests: number; tokens: number; reserved: number; refused: number; cost: number; reserved_cost: number }>(
    "SELECT * FROM budget_counters",
  ))
    p.counters.set(r.win, { requests: r.requests, tokens: r.tokens, reserved: r.reserved, refused: r.refused, cost: r.cost, reservedCost: r.reserved_cost });
  const b = sql.exec<{ level: number; at_ms: number }>("SELECT level, at_ms FROM budget_bucket").toArray()[0];
  p.bucket = b ? { level: b.level, atMs: b.at_ms } : null;
  for (const r of sql.exec<{ id: string; started_ms: number; expires_ms: number; reserve: number; reserve_cost: number; day: string; month: string; taken: string }>(
    "SELECT * FROM budget_inflight",
  ))
    p.inflight.set(r.id, {
      id: r.id,
      startedMs: r.started_ms,
      expiresMs: r.expires_ms,
      reserve: r.reserve,
      reserveCost: r.reserve_cost,
      day: r.day,
      month: r.month,
      taken: JSON.parse(r.taken),
    });
  for (const r of sql.exec<{ res: string; unused: number; epoch: number; pressure_until: number; remaining: number; lim: number }>("SELECT * FROM budget_held"))
    p.held.set(r.res, { unused: r.unused, epoch: r.epoch, pressureUntil: r.pressure_until, remaining: r.remaining, limit: r.lim });
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

/**
 * For each dirty key: the row as it now is, or its deletion when the ledger no longer holds it;
 * all of a table's upserts in one statement and its deletions in another (sql-values.ts: an
 * admission touches three counters and a block per tenant resource, and a statement per row
 * was most of the object's CPU per request).
 */
function syncRows<K, V>(
  sql: SqlStorage,
  keys: Iterable<K>,
  get: (key: K) => V | undefined,
  table: string,
  cols: readonly string[],
  row: (key: K, value: V) => SqlStorageValue[],
  id: (key: K) => SqlStorageValue,
): void {
  const upserts: SqlStorageValue[][] = [];
  const deletions: SqlStorageValue[] = [];
  for (const key of keys) {
    const value = get(key);
    if (value) upserts.push(row(key, value));
    else deletions.push(id(key));
  }
  if (upserts.length) writeRows(sql, table, cols, upserts);
  if (deletions.length) deleteKeys(sql, table, cols[0]!, deletions);
}

const COUNTERS = ["win", "requests", "tokens", "reserved", "refused", "cost", "reserved_cost"] as const;
const INFLIGHT = ["id", "started_ms", "expires_ms", "reserve", "reserve_cost", "day", "month", "taken"] as const;
const HELD = ["res", "unused", "epoch", "pressure_until", "remaining", "lim"] as const;
const BLOCKS = ["kind", "last_ms", "suppressed"] as const;

/** Writes what the ledger marked dirty, and the refusal bookkeeping in `dirtyBlocks`. */
export function flushPrincipal(sql: SqlStorage, p: ledger.PrincipalLedger, blocks: Blocks, dirtyBlocks: Set<string>): void {
  const d = p.dirty;
  if (d.bucket) {
    if (p.bucket) sql.exec("INSERT OR REPLACE INTO budget_bucket (id, level, at_ms) VALUES (1, ?, ?)", p.bucket.level, p.bucket.atMs);
    else sql.exec("DELETE FROM budget_bucket");
  }
  syncRows(sql, d.counters, (k) => p.counters.get(k), "budget_counters", COUNTERS,
    (k, c) => [k, c.requests, c.tokens, c.reserved, c.refused, c.cost, c.reservedCost], (k) => k);
  syncRows(sql, d.inflight, (id) => p.inflight.get(id), "budget_inflight", INFLIGHT,
    (id, i) => [id, i.startedMs, i.expiresMs, i.reserve, i.reserveCost, i.day, i.month, JSON.stringify(i.taken)], (id) => id);
  syncRows(sql, d.held, (res) => p.held.get(res), "budget_held", HELD,
    (res, h) => [res, h.unused, h.epoch, h.pressureUntil, h.remaining, h.limit], (res) => res);
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
