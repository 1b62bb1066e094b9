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

/** A histogram series' label keys: the series' own and one per bucket with `le` (the last is +Inf). */
interface SeriesLabels {
  series: string;
  buckets: string[];
}

// Every request adds a dozen bucket rows per histogram; the label keys of a series are the same
// each time, so they are built once per isolate (bounded: labels are bounded by construction,
// and the memo starts over rather than grow past MAX_SERIES).
const MAX_SERIES = 4096;
const seriesMemo = new Map<string, SeriesLabels>();

function seriesLabels(name: string, labels: Record<string, string>, buckets: readonly number[]): SeriesLabels {
  const series = labelKey(labels);
  const id = `${name} ${series}`;
  let hit = seriesMemo.get(id);
  if (!hit) {
    if (seriesMemo.size >= MAX_SERIES) seriesMemo.clear();
    hit = { series, buckets: [...buckets.map(String), "+Inf"].map((le) => labelKey({ ...labels, le })) };
    seriesMemo.set(id, hit);
  }
  return hit;
}

function histogram(rows: CounterRow[], name: string, labels: Record<string, string>, value: number, buckets: readonly number[]): void {
  const keys = seriesLabels(name, labels, buckets);
  rows.push({ name: `${name}_count`, labels: keys.series, value: 1 }, { name: `${name}_sum`, labels: keys.series, value });
  // Every bucket gets a row (0 where the value was larger), so each series has all of them.
  const bucket = `${name}_bucket`;
  for (let i = 0; i < buckets.length; i++) rows.push({ name: bucket, labels: keys.buckets[i]!, value: value <= buckets[i]! ? 1 : 0 });
  rows.push({ name: bucket, labels: keys.buckets[buckets.length]!, value: 1 });
}

/** The counter increments one observation makes (histograms are counters of `le` buckets). */
export function increments(o: Observation): CounterRow[] {
  const base = { tenant: o.tenant, model: o.model, route: o.route };
  const principal = o.principal ?? "";
  const rows: CounterRow[] = [
    { name: "warden_requests_total", labels: memoLabels(`r\0${o.tenant}\0${o.model}\0${o.route}\0${principal}\0${o.status}\0${o.code}`, () => labelKey({ ...base, principal, status: String(o.status), code: o.code })), value: 1 },
  ];
  histogram(rows, "warden_request_duration_seconds", base, o.durationMs / 1000, DURATION_BUCKETS);
  // A refusal is Warden saying no (4xx, or 503 when it will not serve unscreened); an origin's
  // failure or its own 4xx is not one.
  if (o.status >= 400 && o.code !== "ok" && o.code !== "origin" && (o.status < 500 || o.code === "not_configured"))
    rows.push({ name: "warden_refusals_total", labels: labelKey({ tenant: o.tenant, model: o.model, principal, code: o.code, reason: o.reason ?? o.code }), value: 1 });
  if (o.originMs !== undefined) histogram(rows, "warden_origin_duration_seconds", { tenant: o.tenant, model: o.model }, o.originMs / 1000, DURATION_BUCKETS);
  if (o.screen) rows.push({ name: "warden_screening_total", labels: labelKey({ tenant: o.tenant, model: o.model, verdict: o.screen }), value: 1 });
  if (o.screenScore !== undefined) histogram(rows, "warden_screening_score", { tenant: o.tenant, model: o.model }, o.screenScore, SCORE_BUCKETS);
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
const labelMemo = new Map<string, string>();
function memoLabels(id: string, build: () => string): string {
  let hit = labelMemo.get(id);
  if (hit === undefined) {
    if (labelMemo.size >= MAX_SERIES) labelMemo.clear();
    labelMemo.set(id, (hit = build()));
  }
  return hit;
}

export function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
