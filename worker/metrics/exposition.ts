import type { CounterRow } from "./observation";

/**
 * Prometheus text exposition (format 0.0.4) of summed counter rows: one HELP and TYPE per family,
 * label values escaped as the format requires, series in a stable order.
 */
const FAMILIES: Record<string, { type: "counter" | "histogram"; help: string; scale?: number }> = {
  warden_requests_total: { type: "counter", help: "Requests answered, by tenant, model, principal, route, HTTP status and Warden error code (ok for success, origin for an origin's own 4xx)." },
  warden_refusals_total: { type: "counter", help: "Requests Warden refused, by tenant, model, principal, code and reason (the budget limit, the screen, or the code)." },
  warden_request_duration_seconds: { type: "histogram", help: "Time from request to response headers, by tenant, model and route." },
  warden_origin_duration_seconds: { type: "histogram", help: "Time the model's origin took to answer (response headers, failover included), by tenant and model." },
  warden_tokens_total: { type: "counter", help: "Tokens charged, by tenant, model, principal and type (input, output; unattributed when the origin gave only a total)." },
  warden_cost_usd_total: { type: "counter", help: "Cost charged in USD at the models' pricing, by tenant, model and principal.", scale: 1e-6 },
  warden_screening_total: { type: "counter", help: "Screening verdicts, by tenant, model and verdict." },
  warden_screening_score: { type: "histogram", help: "Input screening scores (0..1), by tenant and model." },
  warden_output_guard_total: { type: "counter", help: "Output-guard matches, by tenant, model, category, detector and action (monitor, redact, block, error)." },
};

function family(name: string): string {
  return name.replace(/_(bucket|sum|count)$/, "");
}

const escape = (v: string) => v.replace(/\\/g, "\\\\").replace(/\n/g, "\\n").replace(/"/g, '\\"');

function labelText(key: string): string {
  const pairs = JSON.parse(key) as Array<[string, string]>;
  return pairs.length ? `{${pairs.map(([k, v]) => `${k}="${escape(v)}"`).join(",")}}` : "";
}

/** Integers as integers; fractions to the µ (cost is whole µUSD, durations need no more). */
function format(v: number): string {
  return Number.isInteger(v) ? String(v) : String(Number(v.toFixed(6)));
}

export function exposition(rows: readonly CounterRow[]): string {
  const sums = new Map<string, number>();
  for (const r of rows) {
    const k = `${r.name}\u0000${r.labels}`;
    sums.set(k, (sums.get(k) ?? 0) + r.value);
  }
  const byFamily = new Map<string, string[]>();
  for (const [k, value] of [...sums].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const [name, labels] = k.split("\u0000") as [string, string];
    const lines = byFamily.get(family(name)) ?? [];
    const scaled = value * (FAMILIES[family(name)]?.scale ?? 1);
    lines.push(`${name}${labelText(labels)} ${format(scaled)}`);
    byFamily.set(family(name), lines);
  }
  const out: string[] = [];
  for (const [name, meta] of Object.entries(FAMILIES)) {
    out.push(`# HELP ${name} ${meta.help}`, `# TYPE ${name} ${meta.type}`, ...(byFamily.get(name) ?? []));
  }
  return `${out.join("\n")}\n`;
}
