import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../worker/env";
import { migrate, type Migration } from "./migrations";
import type { CounterRow, GuardCount } from "../worker/metrics/observation";
import { insertRows, rowsInto } from "./sql-batch";
import { DAY_MS, RETENTION_DAYS, historyIncrements, hourOf, type HistoryRow } from "../worker/metrics/history";

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
  // Usage over time in hourly buckets (worker/metrics/history.ts).
  ["CREATE TABLE usage_history (hour INTEGER NOT NULL, metric TEXT NOT NULL, code TEXT NOT NULL, value INTEGER NOT NULL, PRIMARY KEY (hour, metric, code))"],
];

export const UNKNOWN_TENANT = "-";

const COUNTERS = rowsInto("counters", ["name", "labels", "value"], "ON CONFLICT (name, labels) DO UPDATE SET value = value + excluded.value");
const GUARD_COUNTS = rowsInto("guard_counts", ["principal", "category", "action", "n"], "ON CONFLICT (principal, category, action) DO UPDATE SET n = n + excluded.n");
const HISTORY = rowsInto("usage_history", ["hour", "metric", "code", "value"], "ON CONFLICT (hour, metric, code) DO UPDATE SET value = value + excluded.value");

export class MetricsObject extends DurableObject<Bindings> {
  /** The hour whose start last pruned old history (once per hour, not per write). */
  #prunedHour = 0;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    void ctx.blockConcurrencyWhile(async () => migrate(ctx.storage.sql, MIGRATIONS));
  }

  /**
   * Adds a batch of counter increments (and output-guard counts per principal), in one
   * transaction of one statement per table (durable-objects/sql-batch.ts): a flush carries every
   * series its isolate touched, and one statement per row was most of this object's CPU.
   */
  add(rows: CounterRow[], guard: readonly GuardCount[] = []): void {
    const sql = this.ctx.storage.sql;
    insertRows(sql, COUNTERS, rows.map((r) => [r.name, r.labels, r.value]));
    insertRows(sql, GUARD_COUNTS, guard.map((g) => [g.principal, g.category, g.action, g.n]));
    this.#addHistory(rows);
  }

  #addHistory(rows: CounterRow[]): void {
    const hour = hourOf(Date.now());
    insertRows(this.ctx.storage.sql, HISTORY, historyIncrements(rows).map((h) => [hour, h.metric, h.code, h.value]));
    if (hour !== this.#prunedHour) {
      this.#prunedHour = hour;
      this.ctx.storage.sql.exec("DELETE FROM usage_history WHERE hour < ?", hour - RETENTION_DAYS * DAY_MS);
    }
  }

  /** Hourly history rows with `fromMs <= hour < toMs`. */
  history(fromMs: number, toMs: number): HistoryRow[] {
    return this.ctx.storage.sql
      .exec<{ hour: number; metric: HistoryRow["metric"]; code: string; value: number }>("SELECT hour, metric, code, value FROM usage_history WHERE hour >= ? AND hour < ?", fromMs, toMs)
      .toArray()
      .map((r) => ({ ...r }));
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
    this.ctx.storage.sql.exec("DELETE FROM usage_history");
  }
}
