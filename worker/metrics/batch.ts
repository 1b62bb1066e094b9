import { increments, type CounterRow, type GuardCount, type Observation } from "./observation";

/**
 * Counter rows summed in the isolate before they reach the metrics objects: one write per tenant
 * per flush instead of one per request (docs/budgets.md, "What a crash can lose"). Rows of the
 * same sample add up (histogram buckets are cumulative per observation, so their sums are too):
 * the flush writes exactly what one write per observation would have summed to.
 */

/** Most observations held before a flush is forced, whatever the clock says. */
export const MAX_PENDING = 256;

export class MetricsBatch {
  /** tenant → "name labels" → row */
  #rows = new Map<string, Map<string, CounterRow>>();
  /** tenant → "principal category action" → count (the usage view's output-guard counts) */
  #guard = new Map<string, Map<string, GuardCount>>();
  #pending = new Map<string, number>();
  #total = 0;

  get pending(): number {
    return this.#total;
  }

  /** An answered request's counters. */
  add(o: Observation): void {
    this.addRows(o.tenant, increments(o));
  }

  /** Any counter rows of a tenant (a settled request's tokens and cost, guard counts, …). */
  addRows(tenant: string, rows: readonly CounterRow[]): void {
    let mine = this.#rows.get(tenant);
    if (!mine) this.#rows.set(tenant, (mine = new Map()));
    for (const r of rows) {
      const key = `${r.name} ${r.labels}`;
      const had = mine.get(key);
      if (had) had.value += r.value;
      else mine.set(key, { ...r });
    }
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
    const out = new Map([...this.#rows].map(([tenant, rows]) => [tenant, [...rows.values()]]));
    this.#rows.clear();
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
    this.#rows.delete(tenant);
    this.#guard.delete(tenant);
  }
}
