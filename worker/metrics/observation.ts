/**
 * One request as the metrics see it. Labels are bounded by construction: `tenant` and `model`
 * only once authentication and validation named them (a flood of random tenant ids or model
 * names cannot create series), `route` from Warden's own route table, `code` from the error table.
 */
export interface Observation {
  /** The authenticated tenant, or "" before one is known. */
  tenant: string;
  /** The validated model, or "" when none was. */
  model: string;
  /** The route kind ("chat", "responses", "infer", …), "admin", "public" or "other". */
  route: string;
  status: number;
  /** The problem's code, or "ok". */
  code: string;
  durationMs: number;
  /** Screening verdict when screening ran: "pass", "flag" or "block". */
  screen?: string;
}

/** Request duration buckets in seconds: from a cached refusal to a long stream's first answer. */
export const DURATION_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60] as const;

export interface CounterRow {
  name: string;
  /** Canonical label set: JSON of sorted [name, value] pairs. */
  labels: string;
  value: number;
}

/** The counter increments one observation makes (histograms are counters of `le` buckets). */
export function increments(o: Observation): CounterRow[] {
  const base = { tenant: o.tenant, model: o.model, route: o.route };
  const seconds = o.durationMs / 1000;
  const rows: CounterRow[] = [
    { name: "warden_requests_total", labels: labelKey({ ...base, status: String(o.status), code: o.code }), value: 1 },
    { name: "warden_request_duration_seconds_count", labels: labelKey(base), value: 1 },
    { name: "warden_request_duration_seconds_sum", labels: labelKey(base), value: seconds },
  ];
  // Every bucket gets a row (0 where the request was slower), so each series has all of them.
  for (const le of DURATION_BUCKETS) rows.push({ name: "warden_request_duration_seconds_bucket", labels: labelKey({ ...base, le: String(le) }), value: seconds <= le ? 1 : 0 });
  rows.push({ name: "warden_request_duration_seconds_bucket", labels: labelKey({ ...base, le: "+Inf" }), value: 1 });
  if (o.screen) rows.push({ name: "warden_screening_total", labels: labelKey({ tenant: o.tenant, model: o.model, verdict: o.screen }), value: 1 });
  return rows;
}

export function labelKey(labels: Record<string, string>): string {
  return JSON.stringify(Object.entries(labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}
