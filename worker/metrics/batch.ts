import { bucketHits, histogramRows, observe, type CounterRow, type GuardCount, type HistogramSeries, type IncrementSink, type Observation } from "./observation";

/**
 * Counter rows summed in the isolate before they reach the metrics objects: one write per tenant
 * per flush instead of one per request (docs/budgets.md, "What a crash can lose"). Rows of the
 * same sample add up (histogram buckets are cumulative per observation, so their sums are too):
 * the flush writes exactly what one write per observation would have summed to. A histogram is
 * summed as a count, a sum and a count per bucket, and becomes rows only when the batch is taken:
 * a request adds two or three histograms of a dozen buckets each.
 */

/** Most observations held before a flush is forced, whatever the clock says. */
export const MAX_PENDING = 256;

export class MetricsBatch {
  /** tenant → its counter rows and histograms */
  #tenants = new Map<string, TenantBatch>();
  /** tenant → "principal category action" → count (the usage view's output-guard counts) */
  #guard = new Map<string, Map<string, GuardCount>>();
  #pending = new Map<string, number>();
  #total = 0;

  get pending(): number {
    return this.#total;
  }

  /** An answered request's counters. */
  add(o: Observation): void {
    observe(o, this.#tenant(o.tenant));
    this.#count(o.tenant);
  }

  /** Any counter rows of a tenant (a settled request's tokens and cost, guard counts, …). */
  addRows(tenant: string, rows: readonly CounterRow[]): void {
    const mine = this.#tenant(tenant);
    for (const r of rows) mine.row(r);
    this.#count(tenant);
  }

  #tenant(tenant: string): TenantBatch {
    let mine = this.#tenants.get(tenant);
    if (!mine) this.#tenants.set(tenant, (mine = new TenantBatch()));
    return mine;
  }

  #count(tenant: string): void {
    this.#pending.set(tenant, (this.#pending.get(tenant) ?? 0) + 1);
    this.#total++;
  }

  /** One answer's output-guard counts for the usage view (its Prometheus rows go through addRows). */
  addGuard(tenant: string, counts: readonly GuardCount[]): void {
    let mine = this.#guard.get(tenant);
    if (!mine) this.#guard.set(tenant, (mine = new Map()));
    for (const g of counts) {
      const key = `${g.principal} ${g.category} ${g.action}`;
      const had = mine.get(key);
      if (had) had.n += g.n;
      else mine.set(key, { ...g });
    }
  }

  /** Empties the batch: counter rows per tenant. */
  take(): Map<string, CounterRow[]> {
    const out = new Map([...this.#tenants].map(([tenant, rows]) => [tenant, rows.take()]));
    this.#tenants.clear();
    this.#pending.clear();
    this.#total = 0;
    return out;
  }

  /** Empties the output-guard counts: per tenant (take them with `take`, in the same flush). */
  takeGuard(): Map<string, GuardCount[]> {
    const out = new Map([...this.#guard].map(([tenant, counts]) => [tenant, [...counts.values()]]));
    this.#guard.clear();
    return out;
  }

  /** A deleted tenant's counters not yet written are dropped with it. */
  drop(tenant: string): void {
    this.#total -= this.#pending.get(tenant) ?? 0;
    this.#pending.delete(tenant);
    this.#tenants.delete(tenant);
    this.#guard.delete(tenant);
  }
}

interface Histogram {
  count: number;
  sum: number;
  counts: number[];
}

/** One tenant's pending counters: rows by "name labels", histograms by series (memoized per isolate). */
class TenantBatch implements IncrementSink {
  #rows = new Map<string, CounterRow>();
  /** By the series' id, not its object: the per-isolate memo of series may start over mid-batch. */
  #histograms = new Map<string, { series: HistogramSeries; h: Histogram }>();

  row(r: CounterRow): void {
    const key = `${r.name} ${r.labels}`;
    const had = this.#rows.get(key);
    if (had) had.value += r.value;
    else this.#rows.set(key, { ...r });
  }

  histogram(series: HistogramSeries, value: number): void {
    const entry = this.#histograms.get(series.id);
    if (!entry) {
      this.#histograms.set(series.id, { series, h: { count: 1, sum: value, counts: bucketHits(series.bounds, value) } });
      return;
    }
    const had = entry.h;
    had.count++;
    had.sum += value;
    const bounds = series.bounds;
    for (let i = 0; i < bounds.length; i++) if (value <= bounds[i]!) had.counts[i]!++;
  }

  /** The rows, histograms written out as their count, sum and bucket rows. */
  take(): CounterRow[] {
    for (const { series, h } of this.#histograms.values()) for (const r of histogramRows(series, h.count, h.sum, h.counts)) this.row(r);
    return [...this.#rows.values()];
  }
}
