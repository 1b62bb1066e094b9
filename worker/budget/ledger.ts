import { newBucket, refill, secondsToRefill, take, wholeTokens, type BucketState } from "./bucket";
import type { PolicyStatus } from "./headers";
import type { LimitKind, LimitSet, Scope } from "./limits";
import { isCost, isRefundable, resKind, unitsFor, windowEnd, RES_LIMIT } from "./resources";
import { toUsd } from "./cost";
import { monthSeconds, nextDayStart, nextMonthStart, windowsAt, type Windows } from "./windows";

/**
 * A principal's ledger: the exact state of one key or subject, held by its own BudgetObject.
 * Every function here is synchronous and mutates the ledger in place, marking what it touched
 * in `dirty` for the object to write back; a decision and its effects therefore happen in one
 * turn of the event loop, which is what makes concurrent admissions exact.
 */
export interface Counter {
  requests: number;
  tokens: number;
  /** Tokens reserved by requests still in flight. */
  reserved: number;
  refused: number;
  /** µUSD charged, and reserved by requests still in flight. */
  cost: number;
  reservedCost: number;
}

/** A tenant unit taken from a held block for one request, remembered so settle can give it back. */
export type Transfer = Taken;
/** "Whatever the pool's incarnation": said by a principal that holds no block of it at all. */
export const ANY_EPOCH = -1;
export interface Taken {
  res: string;
  amount: number;
  epoch: number;
}

export interface Inflight {
  id: string;
  startedMs: number;
  expiresMs: number;
  reserve: number;
  /** µUSD reserved. */
  reserveCost: number;
  day: string;
  month: string;
  taken: Taken[];
}

/** A block of a tenant resource leased to this principal. */
export interface Held {
  /** Units not yet spent (negative: spent beyond the block, owed to the tenant). */
  unused: number;
  /** Which incarnation of the tenant pool granted it (a pool re-created after a limit change has another). */
  epoch: number;
  /** Until then, return freed units at once and take no more than needed (the tenant is nearly out). */
  pressureUntil: number;
  /** The tenant pool's free units at the last grant, for headers; an estimate. */
  remaining: number;
  limit: number;
}

export interface PrincipalLedger {
  bucket: BucketState | null;
  counters: Map<string, Counter>;
  inflight: Map<string, Inflight>;
  held: Map<string, Held>;
  dirty: { bucket: boolean; counters: Set<string>; inflight: Set<string>; held: Set<string> };
}

export interface LimitSets {
  principal: LimitSet;
  tenant: LimitSet;
}

export interface AdmitRequest {
  id: string;
  reserve: number;
  /** µUSD: the most this request may cost (worker/budget/cost.ts reserveCost); default 0. */
  reserveCost?: number;
  leaseMs: number;
}

export interface Refusal {
  limit: LimitKind;
  scope: Scope;
  retryAfterS: number;
  status: PolicyStatus;
  detail: string;
}

export type Admission =
  | { kind: "admitted"; statuses: PolicyStatus[] }
  | { kind: "refused"; refusal: Refusal }
  /** The principal's own limits pass but its tenant blocks are short by `min` units of `res`. */
  | { kind: "short"; needs: Array<{ res: string; min: number }> };

export function emptyLedger(): PrincipalLedger {
  return {
    bucket: null,
    counters: new Map(),
    inflight: new Map(),
    held: new Map(),
    dirty: { bucket: false, counters: new Set(), inflight: new Set(), held: new Set() },
  };
}

export const counterKeys = (w: Windows) => ({ minute: `m:${w.minute}`, day: `d:${w.day}`, month: `M:${w.month}` });

function counter(l: PrincipalLedger, key: string): Counter {
  let c = l.counters.get(key);
  if (!c) {
    c = emptyCounter();
    l.counters.set(key, c);
  }
  l.dirty.counters.add(key);
  return c;
}

function peek(l: PrincipalLedger, key: string): Counter {
  return l.counters.get(key) ?? emptyCounter();
}

export function emptyCounter(): Counter {
  return { requests: 0, tokens: 0, reserved: 0, refused: 0, cost: 0, reservedCost: 0 };
}

function syncBucket(l: PrincipalLedger, set: LimitSet, nowMs: number): BucketState | null {
  if (!set.rpm) {
    if (l.bucket) {
      l.bucket = null;
      l.dirty.bucket = true;
    }
    return null;
  }
  if (!l.bucket) l.bucket = newBucket(set.rpm, nowMs);
  refill(l.bucket, set.rpm, nowMs);
  l.dirty.bucket = true;
  return l.bucket;
}

/** Drops blocks of tenant resources the tenant no longer limits or whose window has passed. */
export function syncHeld(l: PrincipalLedger, tenant: LimitSet, nowMs: number): void {
  const wanted = new Set(unitsFor(tenant, windowsAt(nowMs), 1, 1).keys());
  for (const res of l.held.keys()) {
    if (!wanted.has(res)) {
      l.held.delete(res);
      l.dirty.held.add(res);
    }
  }
}

/** The principal's own limits, exactly, after admitting `reserve` more tokens (or before, for refusals). */
export function principalStatuses(l: PrincipalLedger, set: LimitSet, nowMs: number, reserve = 0, reserveCost = 0): PolicyStatus[] {
  const w = windowsAt(nowMs);
  const k = counterKeys(w);
  const day = peek(l, k.day);
  const month = peek(l, k.month);
  const toDay = (nextDayStart(nowMs) - nowMs) / 1000;
  const toMonth = (nextMonthStart(nowMs) - nowMs) / 1000;
  const out: PolicyStatus[] = [];
  const scope = "principal";
  if (set.maxConcurrency !== undefined)
    out.push({ kind: "concurrency", scope, quota: set.maxConcurrency, remaining: set.maxConcurrency - l.inflight.size });
  if (set.rpm && l.bucket)
    out.push({
      kind: "rpm",
      scope,
      quota: set.rpm.perMinute,
      capacity: set.rpm.capacity,
      windowS: 60,
      remaining: wholeTokens(l.bucket),
      resetS: wholeTokens(l.bucket) >= 1 ? 0 : secondsToRefill(l.bucket, set.rpm),
    });
  if (set.requestsPerDay !== undefined)
    out.push({ kind: "requests_day", scope, quota: set.requestsPerDay, windowS: 86400, remaining: set.requestsPerDay - day.requests, resetS: toDay });
  // Tokens and cost (µUSD) are the same kind of quota over the same two windows: used, reserved, and what this request would reserve.
  const windows = [
    { unit: "day", quota: { tokens: set.tokensPerDay, cost: set.costPerDay }, used: day, windowS: 86400, resetS: toDay },
    { unit: "month", quota: { tokens: set.tokensPerMonth, cost: set.costPerMonth }, used: month, windowS: monthSeconds(nowMs), resetS: toMonth },
  ] as const;
  for (const resource of ["tokens", "cost"] as const) {
    for (const win of windows) {
      const quota = win.quota[resource];
      if (quota === undefined) continue;
      const taken = resource === "tokens" ? win.used.tokens + win.used.reserved + reserve : win.used.cost + win.used.reservedCost + reserveCost;
      out.push({ kind: `${resource}_${win.unit}`, scope, quota, windowS: win.windowS, remaining: quota - taken, resetS: win.resetS });
    }
  }
  for (const s of out) s.remaining = Math.max(0, s.remaining);
  return out;
}

/** Tenant-wide limits as this principal last saw them: an estimate between leases. */
export function tenantStatuses(l: PrincipalLedger, set: LimitSet, nowMs: number): PolicyStatus[] {
  const out: PolicyStatus[] = [];
  for (const [res, h] of l.held) {
    const limit = RES_LIMIT[resKind(res)];
    const end = windowEnd(res, nowMs);
    out.push({
      kind: limit,
      scope: "tenant",
      quota: limit === "rpm" ? (set.rpm?.perMinute ?? h.limit) : h.limit,
      ...(limit === "rpm" ? { windowS: 60, capacity: h.limit } : limit === "concurrency" ? {} : { windowS: limit === "tokens_month" || limit === "cost_month" ? monthSeconds(nowMs) : 86400 }),
      remaining: Math.max(0, h.remaining + Math.max(0, h.unused)),
      ...(end === undefined ? {} : { resetS: (end - nowMs) / 1000 }),
    });
  }
  return out;
}

function principalRefusals(l: PrincipalLedger, set: LimitSet, reserve: number, reserveCost: number, nowMs: number): Refusal[] {
  const w = windowsAt(nowMs);
  const k = counterKeys(w);
  const day = peek(l, k.day);
  const month = peek(l, k.month);
  // Statuses are attached at the end, only when something was refused: an admission (the usual
  // case) computes them once, in admit. No closures here: every admission ran this.
  const out: Array<Omit<Refusal, "status">> = [];
  if (set.maxConcurrency !== undefined && l.inflight.size >= set.maxConcurrency)
    out.push({ limit: "concurrency", scope: "principal", retryAfterS: 1, detail: "Too many concurrent requests." });
  if (set.rpm && l.bucket && wholeTokens(l.bucket) < 1)
    out.push({ limit: "rpm", scope: "principal", retryAfterS: secondsToRefill(l.bucket, set.rpm), detail: "Request rate limit exceeded." });
  const toDay = (nextDayStart(nowMs) - nowMs) / 1000;
  if (set.requestsPerDay !== undefined && day.requests >= set.requestsPerDay)
    out.push({ limit: "requests_day", scope: "principal", retryAfterS: toDay, detail: "Daily request quota exhausted." });
  if (set.tokensPerDay !== undefined && day.tokens + day.reserved + reserve > set.tokensPerDay)
    out.push({ limit: "tokens_day", scope: "principal", retryAfterS: toDay, detail: tooBig("Daily", reserve, set.tokensPerDay - day.tokens - day.reserved) });
  if (set.tokensPerMonth !== undefined && month.tokens + month.reserved + reserve > set.tokensPerMonth)
    out.push({ limit: "tokens_month", scope: "principal", retryAfterS: (nextMonthStart(nowMs) - nowMs) / 1000, detail: tooBig("Monthly", reserve, set.tokensPerMonth - month.tokens - month.reserved) });
  if (set.costPerDay !== undefined && day.cost + day.reservedCost + reserveCost > set.costPerDay)
    out.push({ limit: "cost_day", scope: "principal", retryAfterS: toDay, detail: tooDear("Daily", reserveCost, set.costPerDay - day.cost - day.reservedCost) });
  if (set.costPerMonth !== undefined && month.cost + month.reservedCost + reserveCost > set.costPerMonth)
    out.push({ limit: "cost_month", scope: "principal", retryAfterS: (nextMonthStart(nowMs) - nowMs) / 1000, detail: tooDear("Monthly", reserveCost, set.costPerMonth - month.cost - month.reservedCost) });
  if (out.length === 0) return [];
  const statuses = principalStatuses(l, set, nowMs);
  return out.map((r) => ({ ...r, status: statuses.find((s) => s.kind === r.limit)! }));
}

// Say how much the request asked for: a request larger than the whole quota never fits, and
// its client should lower max_tokens or shorten the prompt rather than wait.
function tooBig(period: string, reserve: number, left: number): string {
  return `${period} token quota: this request reserves up to ${reserve} tokens (max_tokens × choices + prompt bound); ${Math.max(0, left)} are left.`;
}

function usd(micro: number): string {
  return `$${toUsd(Math.max(0, micro)).toFixed(6)}`;
}

function tooDear(period: string, reserveCost: number, left: number): string {
  return `${period} cost quota: this request may cost up to ${usd(reserveCost)} (prompt bound and max_tokens × choices at the model's prices); ${usd(left)} is left.`;
}

/** Of several failing limits, report the one that lasts longest: retrying earlier cannot succeed. */
export function worst(refusals: readonly Refusal[]): Refusal | undefined {
  let w: Refusal | undefined;
  for (const r of refusals) if (!w || r.retryAfterS > w.retryAfterS) w = r;
  return w;
}

/** Tenant units missing from the held blocks to cover `units` (a debt must be covered too). */
export function shortfall(l: PrincipalLedger, units: ReadonlyMap<string, number>): Array<{ res: string; min: number }> {
  const needs: Array<{ res: string; min: number }> = [];
  for (const [res, n] of units) {
    const have = l.held.get(res)?.unused ?? 0;
    if (have < n) needs.push({ res, min: n - have });
  }
  return needs;
}

/** Counts a refusal in the usage view. */
export function countRefusal(l: PrincipalLedger, nowMs: number): void {
  const k = counterKeys(windowsAt(nowMs));
  for (const key of [k.minute, k.day, k.month]) counter(l, key).refused++;
}

/**
 * Decides one request. Principal limits are checked first and exactly; tenant-wide units come
 * from the blocks this principal holds. On "admitted" every counter and block is charged.
 */
export function admit(l: PrincipalLedger, sets: LimitSets, ask: AdmitRequest, nowMs: number): Admission {
  const req = { ...ask, reserveCost: ask.reserveCost ?? 0 };
  const bucket = syncBucket(l, sets.principal, nowMs);
  syncHeld(l, sets.tenant, nowMs);
  const refused = worst(principalRefusals(l, sets.principal, req.reserve, req.reserveCost, nowMs));
  if (refused) return { kind: "refused", refusal: refused };

  const w = windowsAt(nowMs);
  const units = unitsFor(sets.tenant, w, req.reserve, req.reserveCost);
  const needs = shortfall(l, units);
  if (needs.length) return { kind: "short", needs };

  if (bucket) take(bucket, 1);
  const k = counterKeys(w);
  for (const key of [k.minute, k.day, k.month]) counter(l, key).requests++;
  counter(l, k.day).reserved += req.reserve;
  counter(l, k.month).reserved += req.reserve;
  counter(l, k.day).reservedCost += req.reserveCost;
  counter(l, k.month).reservedCost += req.reserveCost;
  const taken: Taken[] = [];
  for (const [res, n] of units) {
    const h = l.held.get(res)!;
    h.unused -= n;
    l.dirty.held.add(res);
    taken.push({ res, amount: n, epoch: h.epoch });
  }
  l.inflight.set(req.id, {
    id: req.id,
    startedMs: nowMs,
    expiresMs: nowMs + req.leaseMs,
    reserve: req.reserve,
    reserveCost: req.reserveCost,
    day: w.day,
    month: w.month,
    taken,
  });
  l.dirty.inflight.add(req.id);
  return { kind: "admitted", statuses: [...principalStatuses(l, sets.principal, nowMs), ...tenantStatuses(l, sets.tenant, nowMs)] };
}

/**
 * Ends a request: frees its slot, releases its reservation and charges `totalTokens` and
 * `costMicro` µUSD (null: the origin failed before generating anything; nothing is charged),
 * never more than was reserved — the reservation is the most the request was allowed to spend.
 * Charges go to the windows the reservation was made in, so a stream that crosses midnight is
 * billed to the day it started. A lease that is no longer open (it expired and was charged its
 * whole reservation, or it never existed) is charged nothing more. Returns whether the lease was
 * still open.
 */
export function settle(l: PrincipalLedger, id: string, totalTokens: number | null, nowMs: number, costMicro: number | null = null): boolean {
  const inf = l.inflight.get(id);
  if (!inf) return false;
  // A count that is not a number is unknown, and an unknown cost is the reservation.
  const spent = totalTokens === null ? 0 : Number.isNaN(totalTokens) ? inf.reserve : Math.min(inf.reserve, Math.max(0, Math.round(totalTokens)));
  const spentCost = totalTokens === null || costMicro === null ? 0 : Number.isNaN(costMicro) ? inf.reserveCost : Math.min(inf.reserveCost, Math.max(0, Math.round(costMicro)));
  const minute = counter(l, counterKeys(windowsAt(nowMs)).minute);
  minute.tokens += spent;
  minute.cost += spentCost;
  const day = counter(l, `d:${inf.day}`);
  const month = counter(l, `M:${inf.month}`);
  day.reserved = Math.max(0, day.reserved - inf.reserve);
  month.reserved = Math.max(0, month.reserved - inf.reserve);
  day.reservedCost = Math.max(0, day.reservedCost - inf.reserveCost);
  month.reservedCost = Math.max(0, month.reservedCost - inf.reserveCost);
  day.tokens += spent;
  month.tokens += spent;
  day.cost += spentCost;
  month.cost += spentCost;
  for (const t of inf.taken) {
    const kind = resKind(t.res);
    const h = l.held.get(t.res);
    if (!isRefundable(kind) || !h || h.epoch !== t.epoch) continue;
    h.unused += kind === "conc" ? t.amount : t.amount - (isCost(kind) ? spentCost : spent);
    l.dirty.held.add(t.res);
  }
  l.inflight.delete(id);
  l.dirty.inflight.add(id);
  return true;
}

/**
 * Expired leases (a worker that never settled: its isolate died, or it lost its client and could
 * not say so): slot freed and the whole reservation charged — what the request may have spent is
 * unknown, and charging nothing would make a vanished client free. Returns how many.
 */
export function expire(l: PrincipalLedger, nowMs: number): number {
  let n = 0;
  for (const inf of [...l.inflight.values()]) {
    if (inf.expiresMs <= nowMs) {
      settle(l, inf.id, inf.reserve, nowMs, inf.reserveCost);
      n++;
    }
  }
  return n;
}

export function nextExpiry(l: PrincipalLedger): number | undefined {
  let next: number | undefined;
  for (const inf of l.inflight.values()) if (next === undefined || inf.expiresMs < next) next = inf.expiresMs;
  return next;
}

/** Adds blocks the tenant granted. A grant from a re-created pool replaces the old block. */
export function addGrants(
  l: PrincipalLedger,
  grants: ReadonlyArray<{ res: string; amount: number; epoch: number; pressureUntil: number; remaining: number; limit: number }>,
): void {
  for (const g of grants) {
    const h = l.held.get(g.res);
    const unused = h && h.epoch === g.epoch ? h.unused + g.amount : g.amount;
    l.held.set(g.res, { unused, epoch: g.epoch, pressureUntil: g.pressureUntil, remaining: g.remaining, limit: g.limit });
    l.dirty.held.add(g.res);
  }
}

/**
 * Units to hand back to the tenant: everything unspent (and any debt) of the listed resources,
 * or — with `onlyPressured` — of the resources the tenant is short of. The ledger forgets them
 * before they are sent, so a lost message can only under-use the tenant's allowance, never
 * overspend it.
 */
export function takeReturns(
  l: PrincipalLedger,
  nowMs: number,
  opts: { resources?: readonly string[]; onlyPressured?: boolean; pressureUntil?: number },
): Taken[] {
  const out: Taken[] = [];
  for (const [res, h] of l.held) {
    if (opts.resources && !opts.resources.includes(res)) continue;
    if (opts.onlyPressured && h.pressureUntil <= nowMs) continue;
    if (opts.pressureUntil !== undefined) h.pressureUntil = Math.max(h.pressureUntil, opts.pressureUntil);
    if (h.unused !== 0) out.push({ res, amount: h.unused, epoch: h.epoch });
    h.unused = 0;
    l.dirty.held.add(res);
  }
  return out;
}

/**
 * Concurrency slots of the tenant's current pool this principal really holds: idle in its block,
 * in use by open leases, or on their way back (`pending`). The tenant reconciles its books with
 * this after a surrender, so a slot lost in a crash between the two objects' commits is not
 * lost to the tenant for good.
 */
export function slotsHeld(l: PrincipalLedger, pending: number): Transfer {
  const h = l.held.get("conc");
  if (!h) return { res: "conc", amount: pending, epoch: ANY_EPOCH };
  let inUse = 0;
  for (const inf of l.inflight.values()) for (const t of inf.taken) if (t.res === "conc" && t.epoch === h.epoch) inUse += t.amount;
  return { res: "conc", amount: Math.max(0, h.unused) + inUse + pending, epoch: h.epoch };
}

/** Units unspent per held resource, reported with each lease so the tenant knows whom to ask back. */
export function unusedReport(l: PrincipalLedger): Taken[] {
  return [...l.held].map(([res, h]) => ({ res, amount: h.unused, epoch: h.epoch }));
}

/** Drops counters no one can read or charge any more: past minutes, days and months not in flight. */
export function prune(l: PrincipalLedger, nowMs: number): void {
  const w = windowsAt(nowMs);
  const k = counterKeys(w);
  const yesterday = windowsAt(nowMs - 86_400_000);
  const keep = new Set([k.minute, k.day, k.month, `d:${yesterday.day}`, `M:${yesterday.month}`]);
  for (const inf of l.inflight.values()) keep.add(`d:${inf.day}`).add(`M:${inf.month}`);
  for (const key of l.counters.keys()) {
    if (!keep.has(key)) {
      l.counters.delete(key);
      l.dirty.counters.add(key);
    }
  }
}

export interface PrincipalUsage {
  requests: { minute: number; day: number; month: number };
  tokens: { minute: number; day: number; month: number };
  reserved_tokens: { day: number; month: number };
  /** USD (counted in µUSD, converted here for display). */
  cost: { minute: number; day: number; month: number };
  reserved_cost: { day: number; month: number };
  refused: { minute: number; day: number; month: number };
  in_flight: number;
}

export function usage(l: PrincipalLedger, nowMs: number): PrincipalUsage {
  const k = counterKeys(windowsAt(nowMs));
  const [m, d, M] = [peek(l, k.minute), peek(l, k.day), peek(l, k.month)];
  return {
    requests: { minute: m.requests, day: d.requests, month: M.requests },
    tokens: { minute: m.tokens, day: d.tokens, month: M.tokens },
    reserved_tokens: { day: d.reserved, month: M.reserved },
    cost: { minute: toUsd(m.cost), day: toUsd(d.cost), month: toUsd(M.cost) },
    reserved_cost: { day: toUsd(d.reservedCost), month: toUsd(M.reservedCost) },
    refused: { minute: m.refused, day: d.refused, month: M.refused },
    in_flight: l.inflight.size,
  };
}
