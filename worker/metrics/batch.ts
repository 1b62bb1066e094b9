import { DURATION_BUCKETS, labelKey, type CounterRow, type Observation } from "./observation";

/**
 * Observations summed in the isolate before they reach the metrics objects: one write per tenant
 * per flush instead of one per request (docs/budgets.md, "What a crash can lose"). A request only
 * bumps in-memory counters of its label set (no JSON, no Durable Object call); the counter rows
 * are built once per flush, the same rows `increments` would have summed to.
 */
interface Group {
  tenant: string;
  model: string;
  route: string;
  status: number;
  code: string;
  screen: string | undefined;
  count: number;
  seconds: number;
  /** Requests per duration bucket (index into DURATION_BUCKETS; the last slot is only "+Inf"). */
  buckets: number[];
}

/** Most observations held before a flush is forced, whatever the clock says. */
export const MAX_PENDING = 256;

export class MetricsBatch {
  #groups = new Map<string, Group>();
  #pending = 0;

  get pending(): number {
    return this.#pending;
  }

  add(o: Observation): void {
    const key = `${o.tenant}\u0000${o.model}\u0000${o.route}\u0000${o.status}\u0000${o.code}\u0000${o.screen ?? ""}`;
    let g = this.#groups.get(key);
    if (!g) {
      g = { tenant: o.tenant, model: o.model, route: o.route, status: o.status, code: o.code, screen: o.screen, count: 0, seconds: 0, buckets: new Array<number>(DURATION_BUCKETS.length + 1).fill(0) };
      this.#groups.set(key, g);
    }
    const seconds = o.durationMs / 1000;
    g.count++;
    g.seconds += seconds;
    let i = DURATION_BUCKETS.findIndex((le) => seconds <= le);
    if (i < 0) i = DURATION_BUCKETS.length;
    g.buckets[i]!++;
    this.#pending++;
  }

  /** Empties the batch: counter rows per tenant (cumulative buckets, as Prometheus wants them). */
  take(): Map<string, CounterRow[]> {
    // Groups differing only in the screening verdict share their request and duration series.
    const byTenant = new Map<string, Map<string, CounterRow>>();
    const add = (tenant: string, row: CounterRow) => {
      const rows = byTenant.get(tenant) ?? new Map<string, CounterRow>();
      const key = `${row.name} ${row.labels}`;
      const had = rows.get(key);
      if (had) had.value += row.value;
      else rows.set(key, row);
      byTenant.set(tenant, rows);
    };
    for (const g of this.#groups.values()) {
      const base = { tenant: g.tenant, model: g.model, route: g.route };
      add(g.tenant, { name: "warden_requests_total", labels: labelKey({ ...base, status: String(g.status), code: g.code }), value: g.count });
      add(g.tenant, { name: "warden_request_duration_seconds_count", labels: labelKey(base), value: g.count });
      add(g.tenant, { name: "warden_request_duration_seconds_sum", labels: labelKey(base), value: g.seconds });
      let cumulative = 0;
      DURATION_BUCKETS.forEach((le, i) => {
        cumulative += g.buckets[i]!;
        add(g.tenant, { name: "warden_request_duration_seconds_bucket", labels: labelKey({ ...base, le: String(le) }), value: cumulative });
      });
      add(g.tenant, { name: "warden_request_duration_seconds_bucket", labels: labelKey({ ...base, le: "+Inf" }), value: g.count });
      if (g.screen) add(g.tenant, { name: "warden_screening_total", labels: labelKey({ tenant: g.tenant, model: g.model, verdict: g.screen }), value: g.count });
    }
    this.#groups.clear();
    this.#pending = 0;
    return new Map([...byTenant].map(([tenant, rows]) => [tenant, [...rows.values()]]));
  }

  /** A deleted tenant's counters not yet written are dropped with it. */
  drop(tenant: string): void {
    for (const [key, g] of this.#groups) {
      if (g.tenant !== tenant) continue;
      this.#pending -= g.count;
      this.#groups.delete(key);
    }
  }
}
