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

  snapshot(): CounterRow[] {
    return this.ctx.storage.sql.exec<{ name: string; labels: string; value: number }>("SELECT name, labels, value FROM counters").toArray().map((r) => ({ ...r }));
  }

  /** With the tenant: its series go too. */
  purge(): void {
    this.ctx.storage.sql.exec("DELETE FROM counters");
  }
}
