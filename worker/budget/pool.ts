import { refill, type BucketSpec } from "./bucket";
import type { LimitSet } from "./limits";
import { resKind, resLimit, resourcesFor, windowEnd } from "./resources";
import type { Windows } from "./windows";
import { ANY_EPOCH } from "./ledger";

/**
 * The tenant's pools of tenant-wide allowances, leased to principal objects in blocks.
 *
 * Invariant (what makes leasing exact): for every resource, the units free in the pool plus the
 * units out on lease never exceed the limit. For counters (requests/day, tokens/day, tokens/month)
 * a unit is either free, leased and unspent, or spent; for concurrency a leased slot is either
 * idle at its holder or in use; for the rpm bucket the pool's level is capped at
 * `capacity − leased`, so pool plus leased tokens behave as one bucket of the configured size.
 * A holder spends only units it holds, so the tenant total is never exceeded, whatever the
 * interleaving. When the pool cannot cover a request, the tenant asks the other holders to
 * surrender their unspent units before refusing, so a refusal means the allowance is really used.
 */
export interface Pool {
  limit: number;
  /** Free units (for rpm: the bucket level, fractional). */
  free: number;
  atMs: number;
  /** rpm only: tokens per second. */
  rate: number;
  /** Changes when a pool is re-created, so stale blocks of an older pool are ignored. */
  epoch: number;
}

export interface Hold {
  /** Units this holder may have unspent: leased slots for conc, the unspent block otherwise. */
  amount: number;
  /** Both sides treat the holder as "returns at once, takes only what it needs" until then. */
  pressureUntil: number;
}

export interface TenantLedger {
  pools: Map<string, Pool>;
  /** res → holder → hold */
  holds: Map<string, Map<string, Hold>>;
  dirty: { pools: Set<string>; holds: Set<string> };
}

export interface Grant {
  res: string;
  amount: number;
  epoch: number;
  pressureUntil: number;
  /** Free units left in the pool after this grant. */
  remaining: number;
  limit: number;
}

export interface Transfer {
  res: string;
  amount: number;
  epoch: number;
}

/** A pool is "under pressure" when less than this share of its limit would stay free. */
export const PRESSURE_SHARE = 0.25;
/** How long a holder stays in pressure mode after the tenant says so. */
export const PRESSURE_MS = 10_000;
/** The tenant stops trusting a holder's pressure mode this long before the holder leaves it (clock skew). */
export const PRESSURE_SKEW_MS = 2_000;
/** A block is at most 1/(BLOCK_DIVISOR · active holders) of the free units. */
export const BLOCK_DIVISOR = 4;

export const holdKey = (res: string, holder: string) => `${res}\n${holder}`;

export function emptyTenantLedger(): TenantLedger {
  return { pools: new Map(), holds: new Map(), dirty: { pools: new Set(), holds: new Set() } };
}

function holdsOf(t: TenantLedger, res: string): Map<string, Hold> {
  let m = t.holds.get(res);
  if (!m) t.holds.set(res, (m = new Map()));
  return m;
}

function hold(t: TenantLedger, res: string, holder: string): Hold {
  const m = holdsOf(t, res);
  let h = m.get(holder);
  if (!h) m.set(holder, (h = { amount: 0, pressureUntil: 0 }));
  t.dirty.holds.add(holdKey(res, holder));
  return h;
}

function leased(t: TenantLedger, res: string): number {
  let sum = 0;
  for (const h of t.holds.get(res)?.values() ?? []) sum += h.amount;
  return sum;
}

function bucketOf(p: Pool): BucketSpec {
  return { rate: p.rate, capacity: p.limit };
}

/** Refills the rpm pool, never above what is not out on lease. */
function refillPool(t: TenantLedger, res: string, p: Pool, nowMs: number): void {
  if (resKind(res) !== "rpm") return;
  const state = { level: p.free, atMs: p.atMs };
  refill(state, bucketOf(p), nowMs, p.limit - leased(t, res));
  p.free = state.level;
  p.atMs = state.atMs;
  t.dirty.pools.add(res);
}

/**
 * Brings the pools in line with the limits the request carried: new windows start full, a
 * changed limit moves the free units by the difference (possibly below zero), and pools of
 * limits that were removed or windows that ended are dropped with their holds.
 */
export function syncPools(t: TenantLedger, set: LimitSet, w: Windows, nowMs: number): void {
  const wanted = new Set(resourcesFor(set, w));
  for (const res of [...t.pools.keys()]) {
    if (wanted.has(res)) continue;
    t.pools.delete(res);
    t.dirty.pools.add(res);
    for (const holder of t.holds.get(res)?.keys() ?? []) t.dirty.holds.add(holdKey(res, holder));
    t.holds.delete(res);
  }
  for (const res of wanted) {
    const limit = resLimit(set, resKind(res))!;
    const rate = resKind(res) === "rpm" ? set.rpm!.rate : 0;
    const p = t.pools.get(res);
    if (!p) {
      t.pools.set(res, { limit, free: limit, atMs: nowMs, rate, epoch: nowMs });
      t.dirty.pools.add(res);
      continue;
    }
    if (p.limit !== limit || p.rate !== rate) {
      refillPool(t, res, p, nowMs);
      p.free += limit - p.limit;
      p.limit = limit;
      p.rate = rate;
      t.dirty.pools.add(res);
    }
  }
}

/** Units a holder hands back (surrendered, idle, or freed under pressure); negative = debt. */
export function applyReturns(t: TenantLedger, holder: string, returns: readonly Transfer[]): void {
  for (const r of returns) {
    const p = t.pools.get(r.res);
    if (!p || p.epoch !== r.epoch || r.amount === 0) continue;
    p.free += r.amount;
    t.dirty.pools.add(r.res);
    const h = hold(t, r.res, holder);
    h.amount = Math.max(0, h.amount - Math.max(0, r.amount));
  }
}

/** What a holder says it has unspent; slots are tracked by lease and return alone. */
export function applyUnused(t: TenantLedger, holder: string, unused: readonly Transfer[]): void {
  for (const u of unused) {
    const p = t.pools.get(u.res);
    if (!p || p.epoch !== u.epoch || resKind(u.res) === "conc") continue;
    const amount = Math.max(0, u.amount);
    if (t.holds.get(u.res)?.get(holder)?.amount === amount) continue;
    hold(t, u.res, holder).amount = amount;
  }
}

export function setPressure(t: TenantLedger, holder: string, resources: readonly string[], until: number): void {
  for (const res of resources) if (t.pools.has(res)) hold(t, res, holder).pressureUntil = until;
}

export type GrantResult = { ok: true; grants: Grant[] } | { ok: false; failing: string[] };

/**
 * All or nothing: either every need is covered (each with at least `min`, usually a larger
 * block) or nothing is granted. Resources the tenant does not limit are granted as asked.
 */
export function grant(t: TenantLedger, holder: string, needs: ReadonlyArray<{ res: string; min: number }>, nowMs: number): GrantResult {
  const failing: string[] = [];
  for (const n of needs) {
    const p = t.pools.get(n.res);
    if (!p) continue;
    refillPool(t, n.res, p, nowMs);
    if (p.free + 1e-9 < n.min) failing.push(n.res);
  }
  if (failing.length) return { ok: false, failing };
  const grants: Grant[] = [];
  for (const n of needs) {
    const p = t.pools.get(n.res);
    if (!p) {
      grants.push({ res: n.res, amount: n.min, epoch: 0, pressureUntil: 0, remaining: Number.MAX_SAFE_INTEGER, limit: Number.MAX_SAFE_INTEGER });
      continue;
    }
    const others = [...(t.holds.get(n.res) ?? new Map<string, Hold>())].filter(([id, h]) => id !== holder && h.amount > 0).length;
    const free = Math.floor(p.free + 1e-9);
    const pressured = free - n.min < p.limit * PRESSURE_SHARE;
    const block = pressured ? n.min : Math.min(free, Math.max(n.min, Math.floor(free / (BLOCK_DIVISOR * (others + 1)))));
    p.free -= block;
    t.dirty.pools.add(n.res);
    const h = hold(t, n.res, holder);
    h.amount += block;
    if (pressured) h.pressureUntil = nowMs + PRESSURE_MS;
    grants.push({ res: n.res, amount: block, epoch: p.epoch, pressureUntil: h.pressureUntil, remaining: Math.max(0, Math.floor(p.free)), limit: p.limit });
  }
  return { ok: true, grants };
}

/**
 * Holders that may be sitting on unspent units of `resources`: every holder with a hold, except
 * the asking one and those the tenant trusts to be in pressure mode (they hold nothing idle).
 */
export function reclaimTargets(t: TenantLedger, resources: readonly string[], except: string, nowMs: number): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const res of resources) {
    for (const [holder, h] of t.holds.get(res) ?? []) {
      if (holder === except || h.amount <= 0 || h.pressureUntil - PRESSURE_SKEW_MS > nowMs) continue;
      const list = out.get(holder) ?? [];
      list.push(res);
      out.set(holder, list);
    }
  }
  return out;
}

/**
 * After a surrender the holder holds nothing idle of those resources (slots in use stay leased).
 * `slots`, when given, is what the holder says it really holds of the concurrency pool; the
 * caller passes it only if no grant to this holder crossed the surrender, so the books can be set
 * to it: slots the holder lost (a crash between its commit and ours) come back to the pool.
 */
export function applySurrender(
  t: TenantLedger,
  holder: string,
  resources: readonly string[],
  returned: readonly Transfer[],
  until: number,
  slots?: Transfer,
): void {
  applyReturns(t, holder, returned);
  for (const res of resources) {
    const p = t.pools.get(res);
    if (!p) continue;
    const h = hold(t, res, holder);
    if (resKind(res) !== "conc") h.amount = 0;
    else if (slots && (slots.epoch === p.epoch || slots.epoch === ANY_EPOCH)) {
      p.free += h.amount - slots.amount;
      h.amount = slots.amount;
      t.dirty.pools.add(res);
    }
    h.pressureUntil = until;
  }
}

/** Seconds until a refused need could be met. */
export function retryAfter(t: TenantLedger, res: string, min: number, nowMs: number): number {
  const p = t.pools.get(res);
  const end = windowEnd(res, nowMs);
  if (end !== undefined) return (end - nowMs) / 1000;
  if (p && resKind(res) === "rpm" && p.rate > 0 && min <= p.limit) return Math.max(1, (min - p.free) / p.rate);
  return 1;
}
