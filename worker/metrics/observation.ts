import { boundedMemo } from "../memo";

/**
 * One request as the metrics see it. Labels are bounded by construction: `tenant`, `model` and
 * `principal` only once authentication and validation named them (a flood of random tenant ids,
 * keys or model names cannot create series), `route` from Warden's own route table, `code` from
 * the error table, `reason` from refusalReason's closed list.
 */
export interface Observation {
  /** The authenticated tenant, or "" before one is known. */
  tenant: string;
  /** The validated model, or "" when none was. */
  model: string;
  /** The authenticated principal (`key:…`, `sub:…`), or "" before one is known. */
  principal?: string;
  /** The route kind ("chat", "responses", "infer", …), "admin", "public" or "other". */
  route: string;
  status: number;
  /** The problem's code, "origin" for an origin's own 4xx passed on, or "ok". */
  code: string;
  /** Why Warden refused (refusalReason), for problems Warden answered itself. */
  reason?: string;
  durationMs: number;
  /** Time the origin took to answer (headers), when the request reached it. */
  originMs?: number;
  /** Screening verdict when screening ran: "pass", "flag" or "block". */
  screen?: string;
  /** Screening score (0..1) when the text screen ran. */
  screenScore?: number;
}

/** What a settled request used: recorded when its lease settles (a stream settles after its answer). */
export interface UsageObservation {
  tenant: string;
  model: string;
  principal: string;
  input: number;
  output: number;
  /** Tokens charged whose split the origin did not report. */
  unattributed: number;
  /** µUSD. */
  costMicro: number;
}

/** Request duration buckets in seconds: from a cached refusal to a long stream's first answer. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;
/** Screening score buckets: fine near the usual thresholds (0.5 to 0.99). */
export const SCORE_BUCKETS = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 0.95, 0.99, 1] as const;

export interface CounterRow {
  name: string;
  /** Canonical label set: JSON of sorted [name, value] pairs. */
  labels: string;
  value: number;
}

/** Output-guard matches of one principal, category and action: the usage view's counts (never the matched text). */
export interface GuardCount {
  principal: string;
  category: string;
  action: string;
  n: number;
}

/** Refusal codes whose reason is worth a label; other codes are their own reason. */
const LIMITS = new Set(["rpm", "requests_day", "tokens_day", "tokens_month", "cost_day", "cost_month", "concurrency"]);

/**
 * A bounded reason for a refusal, from the operator-only reason the error carried: which budget
 * (`principal_tokens_day`, `tenant_cost_month`, …), which screen (`screening`, `anomaly`), else
 * the code itself. Never the free text: it may hold numbers or names that would mint series.
 */
export function refusalReason(code: string, reason: string | undefined): string {
  const budget = /^budget: (tenant|principal) ([a-z_]+)/.exec(reason ?? "");
  if (budget && LIMITS.has(budget[2]!)) return `${budget[1]}_${budget[2]}`;
  const screen = /^(screening|anomaly) score/.exec(reason ?? "");
  if (code === "input_rejected" && screen) return screen[1]!;
  return code;
}

/**
 * A histogram series: its name, bucket bounds and label keys (the series' own and one per bucket
 * with `le`; the last is +Inf). Built once per isolate and series, so the batch can sum a series'
 * observations under it and write its rows only when it flushes.
 */
export interface HistogramSeries {
  /** Name and label values: what the batch sums a series under. */
  id: string;
  name: string;
  bounds: readonly number[];
  labels: string;
  buckets: string[];
}

// Every request observes two or three histograms; the label keys of a series are the same each
// time, so they are built once per isolate (bounded: labels are bounded by construction, and the
// memo starts over rather than grow past MAX_SERIES). The id is the label values: tenant ids,
// model names and routes hold no NUL.
const MAX_SERIES = 4096;
const seriesMemo = boundedMemo<string, HistogramSeries>(MAX_SERIES);

function histogramSeries(name: string, labels: Record<string, string>, bounds: readonly number[]): HistogramSeries {
  const id = `${name}\0${Object.values(labels).join("\0")}`;
  return seriesMemo(id, () => ({ id, name, bounds, labels: labelKey(labels), buckets: [...bounds.map(String), "+Inf"].map((le) => labelKey({ ...labels, le })) }));
}

/** Where an observation's counters go: plain rows, and histogram observations (rows: `histogramRows`). */
export interface IncrementSink {
  row(row: CounterRow): void;
  histogram(series: HistogramSeries, value: number): void;
}

/**
 * A histogram's rows for `count` observations summing to `sum`, `counts[i]` of them within bucket i
 * (every bucket gets a row, 0 where no value was that small, so each series has all of them).
 */
export function histogramRows(series: HistogramSeries, count: number, sum: number, counts: readonly number[]): CounterRow[] {
  const rows: CounterRow[] = [{ name: `${series.name}_count`, labels: series.labels, value: count }, { name: `${series.name}_sum`, labels: series.labels, value: sum }];
  const bucket = `${series.name}_bucket`;
  for (let i = 0; i < series.bounds.length; i++) rows.push({ name: bucket, labels: series.buckets[i]!, value: counts[i]! });
  rows.push({ name: bucket, labels: series.buckets[series.bounds.length]!, value: count });
  return rows;
}

/** Bucket i's count of one value: 1 where the value is within the bound, else 0. */
export function bucketHits(bounds: readonly number[], value: number): number[] {
  return bounds.map((b) => (value <= b ? 1 : 0));
}

/** The counters one observation adds (histograms are counters of `le` buckets), into `sink`. */
export function observe(o: Observation, sink: IncrementSink): void {
  const base = { tenant: o.tenant, model: o.model, route: o.route };
  const principal = o.principal ?? "";
  sink.row({ name: "warden_requests_total", labels: memoLabels(`r\0${o.tenant}\0${o.model}\0${o.route}\0${principal}\0${o.status}\0${o.code}`, () => labelKey({ ...base, principal, status: String(o.status), code: o.code })), value: 1 });
  sink.histogram(histogramSeries("warden_request_duration_seconds", base, DURATION_BUCKETS), o.durationMs / 1000);
  // A refusal is Warden saying no (4xx, or 503 when it will not serve unscreened); an origin's
  // failure or its own 4xx is not one.
  if (o.status >= 400 && o.code !== "ok" && o.code !== "origin" && (o.status < 500 || o.code === "not_configured"))
    sink.row({ name: "warden_refusals_total", labels: labelKey({ tenant: o.tenant, model: o.model, principal, code: o.code, reason: o.reason ?? o.code }), value: 1 });
  if (o.originMs !== undefined) sink.histogram(histogramSeries("warden_origin_duration_seconds", { tenant: o.tenant, model: o.model }, DURATION_BUCKETS), o.originMs / 1000);
  if (o.screen) sink.row({ name: "warden_screening_total", labels: memoLabels(`s\0${o.tenant}\0${o.model}\0${o.screen}`, () => labelKey({ tenant: o.tenant, model: o.model, verdict: o.screen! })), value: 1 });
  if (o.screenScore !== undefined) sink.histogram(histogramSeries("warden_screening_score", { tenant: o.tenant, model: o.model }, SCORE_BUCKETS), o.screenScore);
}

/** The counter increments one observation makes, as rows. */
export function increments(o: Observation): CounterRow[] {
  const rows: CounterRow[] = [];
  observe(o, {
    row: (r) => rows.push(r),
    histogram: (series, value) => rows.push(...histogramRows(series, 1, value, bucketHits(series.bounds, value))),
  });
  return rows;
}

/** Tokens by type (OpenTelemetry's gen_ai.token.type: input, output) and cost, per principal. */
export function usageIncrements(u: UsageObservation): CounterRow[] {
  const base = { tenant: u.tenant, model: u.model, principal: u.principal };
  const rows: CounterRow[] = [];
  const id = `${u.tenant}\0${u.model}\0${u.principal}`;
  for (const [type, n] of [["input", u.input], ["output", u.output], ["unattributed", u.unattributed]] as const)
    if (n > 0) rows.push({ name: "warden_tokens_total", labels: memoLabels(`t\0${type}\0${id}`, () => labelKey({ ...base, type })), value: n });
  // Kept in µUSD so the sums stay integers; the exposition shows USD.
  if (u.costMicro > 0) rows.push({ name: "warden_cost_usd_total", labels: memoLabels(`c\0${id}`, () => labelKey(base)), value: u.costMicro });
  return rows;
}

// Per-request counters (requests, tokens, cost) have the same few label sets request after
// request: their canonical keys are built once per isolate, like the histograms' (same bound).
const memoLabels = boundedMemo<string, string>(MAX_SERIES);

export function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
