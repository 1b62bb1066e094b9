import { boundedMemo } from "../memo";
import type { LimitKind, LimitSet } from "./limits";
import { nextDayStart, nextMonthStart, type Windows } from "./windows";

/**
 * Tenant-wide allowances are split into resources that principal objects lease in blocks.
 * A resource key names the limit and, for calendar quotas, its window, so a block leased for
 * one day can never be spent on the next: `conc`, `rpm`, `rpd:2026-05-01`, `tpd:2026-05-01`,
 * `tpm:2026-05`, and for cost (in µUSD) `cpd:2026-05-01`, `cpm:2026-05`.
 */
export type ResKind = "conc" | "rpm" | "rpd" | "tpd" | "tpm" | "cpd" | "cpm";

export const RES_LIMIT: Record<ResKind, LimitKind> = {
  conc: "concurrency",
  rpm: "rpm",
  rpd: "requests_day",
  tpd: "tokens_day",
  tpm: "tokens_month",
  cpd: "cost_day",
  cpm: "cost_month",
};

// An admission asks for the kind of each of its resources several times; a day brings a few new names.
const kinds = boundedMemo<string, ResKind>(256);

export function resKind(res: string): ResKind {
  return kinds(res, () => {
    const kind = res.split(":", 1)[0] as ResKind;
    if (!Object.hasOwn(RES_LIMIT, kind)) throw new Error(`unknown budget resource ${res}`);
    return kind;
  });
}

/** Consumed units come back only for concurrency (the slot) and token and cost reservations (the unspent part). */
export function isRefundable(kind: ResKind): boolean {
  return kind !== "rpm" && kind !== "rpd";
}

/** Reservations settle to the actual: tokens for token quotas, µUSD for cost quotas. */
export function isCost(kind: ResKind): boolean {
  return kind === "cpd" || kind === "cpm";
}

/** The size of a resource under `set` (bucket capacity for rpm), or undefined when unlimited. */
export function resLimit(set: LimitSet, kind: ResKind): number | undefined {
  switch (kind) {
    case "conc":
      return set.maxConcurrency;
    case "rpm":
      return set.rpm?.capacity;
    case "rpd":
      return set.requestsPerDay;
    case "tpd":
      return set.tokensPerDay;
    case "tpm":
      return set.tokensPerMonth;
    case "cpd":
      return set.costPerDay;
    case "cpm":
      return set.costPerMonth;
  }
}

/** Every resource the tenant limits `set` define in windows `w`. */
export function resourcesFor(set: LimitSet, w: Windows): string[] {
  const out: string[] = [];
  if (set.maxConcurrency !== undefined) out.push("conc");
  if (set.rpm) out.push("rpm");
  if (set.requestsPerDay !== undefined) out.push(`rpd:${w.day}`);
  if (set.tokensPerDay !== undefined) out.push(`tpd:${w.day}`);
  if (set.tokensPerMonth !== undefined) out.push(`tpm:${w.month}`);
  if (set.costPerDay !== undefined) out.push(`cpd:${w.day}`);
  if (set.costPerMonth !== undefined) out.push(`cpm:${w.month}`);
  return out;
}

/** Units of each tenant resource one request takes: one slot, one request, `reserve` tokens, `reserveCost` µUSD. */
export function unitsFor(set: LimitSet, w: Windows, reserve: number, reserveCost = 0): Map<string, number> {
  const units = new Map<string, number>();
  for (const res of resourcesFor(set, w)) {
    const kind = resKind(res);
    const n = kind === "tpd" || kind === "tpm" ? reserve : isCost(kind) ? reserveCost : 1;
    if (n > 0) units.set(res, n);
  }
  return units;
}

/** When a calendar resource's window ends (ms), or undefined for conc and rpm. */
export function windowEnd(res: string, nowMs: number): number | undefined {
  const kind = resKind(res);
  if (kind === "rpd" || kind === "tpd" || kind === "cpd") return nextDayStart(nowMs);
  if (kind === "tpm" || kind === "cpm") return nextMonthStart(nowMs);
  return undefined;
}
