import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../worker/env";
import { migrate, type Migration } from "./migrations";
import type { CounterRow } from "../worker/metrics/observation";

/**
 * Request metrics, one object per tenant (name `metrics:<tenant>`; `metrics:-` for requests
 * refused before a tenant was known), so no single object takes every request's write. Isolates
 * sum their requests and add the rows in batches (worker/metrics/record.ts); a scrape sums the objects.
 * Tables are described in durable-objects/STORAGE.md.
 */
const MIGRATIONS: readonly Migration[] = [
  ["CREATE TABLE counters (name TEXT NOT NULL, labels TEXT NOT NULL, value REAL NOT NULL, PRIMARY KEY (name, labels))"],
  // Output-guard matches per principal, for the usage view (never the matched text; worker/guard/accounting.ts).
  ["CREATE TABLE guard_counts (principal TEXT NOT NULL, category TEXT NOT NULL, action TEXT NOT NULL, n INTEGER NOT NULL, PRIMARY KEY (principal, category, action))"],
];

export const UNKNOWN_TENANT = "-";

export function metricsObject(env: Pick<Bindings, "METRICS">, tenant: string): DurableObjectStub<MetricsObject> {
  return env.METRICS.get(env.METRICS.idFromName(`metrics:${tenant || UNKNOWN_TENANT}`));
}

export class MetricsObject extends DurableObject<Bindings> {
  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => migrate(ctx.storage.sql, MIGRATIONS));
  }

  /** Adds a batch of counter increments, in one transaction. */
  add(rows: CounterRow[]): void {
    for (const r of rows) {
      this.ctx.storage.sql.exec(
        "INSERT INTO counters (name, labels, value) VALUES (?, ?, ?) ON CONFLICT (name, labels) DO UPDATE SET value = value + excluded.value",
        r.name, r.labels, r.value,
      );
    }
  }

  /** Output-guard counts of one answer: Prometheus rows, and the principal's totals for the usage view. */
  guard(principal: string, rows: CounterRow[], byCategory: Array<{ category: string; action: string; n: number }>): void {
    this.add(rows);
    for (const c of byCategory) {
      this.ctx.storage.sql.exec(
        "INSERT INTO guard_counts (principal, category, action, n) VALUES (?, ?, ?, ?) ON CONFLICT (principal, category, action) DO UPDATE SET n = n + excluded.n",
        principal, c.category, c.action, c.n,
      );
    }
  }

  guardCounts(): Array<{ principal: string; category: string; action: string; n: number }> {
    return this.ctx.storage.sql.exec<{ principal: string; category: string; action: string; n: number }>("SELECT principal, category, action, n FROM guard_counts").toArray().map((r) => ({ ...r }));
  }

  snapshot(): CounterRow[] {
    return this.ctx.storage.sql.exec<{ name: string; labels: string; value: number }>("SELECT name, labels, value FROM counters").toArray().map((r) => ({ ...r }));
  }

  /** With the tenant: its series go too. */
  purge(): void {
    this.ctx.storage.sql.exec("DELETE FROM counters");
    this.ctx.storage.sql.exec("DELETE FROM guard_counts");
  }
}
