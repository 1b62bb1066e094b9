import { z } from "zod";
import { WardenError } from "../errors";
import { toUsd } from "../budget/cost";
import { parseWith } from "../http/body";
import type { CounterRow } from "./observation";

/**
 * Usage over time: a tenant's metrics object keeps, beside its running counters, hourly buckets
 * of requests, tokens, cost (µUSD) and refusals by code (`usage_history`, durable-objects/STORAGE.md).
 * Counters alone cannot be charted after the fact; buckets can, without a time-series database.
 * A bucket is the UTC hour in which the object received the rows: up to FLUSH_MS after the
 * request answered, and a stream's tokens and cost in the hour it settled.
 */
export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;
/** Hourly rows older than this are pruned as new hours begin. */
export const RETENTION_DAYS = 90;

export type HistoryMetric = "requests" | "tokens" | "cost" | "refusals";

export interface HistoryRow {
  /** Start of the UTC hour, ms since the epoch. */
  hour: number;
  metric: HistoryMetric;
  /** The refusal's code; "" for the other metrics. */
  code: string;
  value: number;
}

/** Routes whose requests are not a tenant's traffic. */
const NOT_TRAFFIC = new Set(["admin", "public"]);

function labelsOf(row: CounterRow): Record<string, string> {
  return Object.fromEntries(JSON.parse(row.labels) as Array<[string, string]>);
}

/** The history increments a batch of counter rows makes, summed per metric and code. */
export function historyIncrements(rows: readonly CounterRow[]): Array<Omit<HistoryRow, "hour">> {
  const out = new Map<string, Omit<HistoryRow, "hour">>();
  const add = (metric: HistoryMetric, code: string, value: number) => {
    const key = `${metric} ${code}`;
    const had = out.get(key);
    if (had) had.value += value;
    else out.set(key, { metric, code, value });
  };
  for (const r of rows) {
    if (r.value <= 0) continue;
    if (r.name === "warden_requests_total") {
      if (!NOT_TRAFFIC.has(labelsOf(r).route ?? "")) add("requests", "", r.value);
    } else if (r.name === "warden_refusals_total") add("refusals", labelsOf(r).code ?? "", r.value);
    else if (r.name === "warden_tokens_total") add("tokens", "", r.value);
    else if (r.name === "warden_cost_usd_total") add("cost", "", r.value);
  }
  return [...out.values()];
}

export const hourOf = (ms: number): number => Math.floor(ms / HOUR_MS) * HOUR_MS;

const Query = z.object({
  bucket: z.enum(["hour", "day"]).default("hour"),
  from: z.iso.datetime({ offset: true }).optional(),
  to: z.iso.datetime({ offset: true }).optional(),
});

export interface HistoryRange {
  bucket: "hour" | "day";
  /** First bucket's start (inclusive) and last bucket's end (exclusive), ms. */
  fromMs: number;
  toMs: number;
}

/** Most buckets one answer holds: a month of hours, the retention in days. */
export const MAX_BUCKETS = { hour: 31 * 24, day: RETENTION_DAYS } as const;
/** Without `from`: the last two days by hour, the last 30 days by day. */
const DEFAULT_SPAN = { hour: 48, day: 30 } as const;

/**
 * The query of `GET …/usage/history`, validated: buckets aligned to UTC hours or days, `to`
 * defaulting to now, `from` to a default span before it. Wrong values are a 400 naming the field.
 */
export function historyRange(query: Record<string, string>, nowMs: number): HistoryRange {
  const q = parseWith(Query, query, "usage history query");
  const { bucket } = q;
  const size = bucket === "hour" ? HOUR_MS : DAY_MS;
  const align = (ms: number) => Math.floor(ms / size) * size;
  const toMs = align(q.to ? Date.parse(q.to) : nowMs) + size;
  const fromMs = q.from ? align(Date.parse(q.from)) : toMs - DEFAULT_SPAN[bucket] * size;
  const field = (path: string, message: string) => new WardenError("invalid_request", message, { extensions: { errors: [{ path, message }] } });
  if (fromMs >= toMs) throw field("from", "`from` must be before `to`.");
  if ((toMs - fromMs) / size > MAX_BUCKETS[bucket]) throw field("from", `At most ${MAX_BUCKETS[bucket]} buckets of a ${bucket} per request.`);
  return { bucket, fromMs, toMs };
}

export interface HistoryBucket {
  start: string;
  requests: number;
  tokens: number;
  /** USD. */
  cost: number;
  refusals: Record<string, number>;
}

/** Every bucket of the range, in order, empty ones as zeros (a chart needs the gaps). */
export function bucketHistory(rows: readonly HistoryRow[], range: HistoryRange): HistoryBucket[] {
  const size = range.bucket === "hour" ? HOUR_MS : DAY_MS;
  const micro: Array<{ requests: number; tokens: number; cost: number; refusals: Record<string, number> }> = [];
  for (let t = range.fromMs; t < range.toMs; t += size) micro.push({ requests: 0, tokens: 0, cost: 0, refusals: {} });
  for (const r of rows) {
    if (r.hour < range.fromMs || r.hour >= range.toMs) continue;
    const b = micro[Math.floor((r.hour - range.fromMs) / size)]!;
    if (r.metric === "refusals") b.refusals[r.code] = (b.refusals[r.code] ?? 0) + r.value;
    else b[r.metric] += r.value;
  }
  return micro.map((b, i) => ({ start: new Date(range.fromMs + i * size).toISOString(), ...b, cost: toUsd(b.cost) }));
}
