import type { CounterRow } from "./observation";

/**
 * Prometheus text exposition (format 0.0.4) of summed counter rows: one HELP and TYPE per family,
 * label values escaped as the format requires, series in a stable order.
 */
const FAMILIES: Record<string, { type: "counter" | "histogram"; help: string }> = {
  warden_requests_total: { type: "counter", help: "Requests answered, by tenant, model, route, HTTP status and Warden error code (ok for success)." },
  warden_request_duration_seconds: { type: "histogram", help: "Time from request to response headers, by tenant, model and route." },
  warden_screening_total: { type: "counter", help: "Screening verdicts, by tenant, model and verdict." },
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
    lines.push(`${name}${labelText(labels)} ${Number.isInteger(value) ? value : value.toFixed(6)}`);
    byFamily.set(family(name), lines);
  }
  const out: string[] = [];
  for (const [name, meta] of Object.entries(FAMILIES)) {
    out.push(`# HELP ${name} ${meta.help}`, `# TYPE ${name} ${meta.type}`, ...(byFamily.get(name) ?? []));
  }
  return `${out.join("\n")}\n`;
}
