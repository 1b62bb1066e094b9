import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { loadPrincipal, migrateBudget, type Blocks } from "../../../durable-objects/budget-store";
import { emptyLedger } from "../../../worker/budget/ledger";
import { freshTenant, principalStub } from "./helpers";

/**
 * Schema step 4 (durable-objects/budget-store.ts) moves a principal's ledger from four tables into
 * `budget_ledger`. An object stored before it is rebuilt here: the four tables as steps 1–3 left
 * them, with rows, and the schema version set back to 3; the step must carry every field over
 * exactly (the bucket's fractional level included) and drop the old tables.
 */
describe("the principal ledger's move into one table (schema step 4)", () => {
  it("carries every row and field of the four old tables over, and drops them", async () => {
    const tenantId = freshTenant();
    await principalStub(tenantId, "key:m").usage(); // the object exists, at the current schema
    const loaded = await runInDurableObject(principalStub(tenantId, "key:m"), (_, state) => {
      const sql = state.storage.sql;
      sql.exec("DROP TABLE budget_ledger");
      sql.exec(`CREATE TABLE budget_counters (win TEXT PRIMARY KEY, requests INTEGER NOT NULL, tokens INTEGER NOT NULL, reserved INTEGER NOT NULL,
        refused INTEGER NOT NULL, cost INTEGER NOT NULL DEFAULT 0, reserved_cost INTEGER NOT NULL DEFAULT 0)`);
      sql.exec("CREATE TABLE budget_bucket (id INTEGER PRIMARY KEY CHECK (id = 1), level REAL NOT NULL, at_ms INTEGER NOT NULL)");
      sql.exec(`CREATE TABLE budget_inflight (id TEXT PRIMARY KEY, started_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL, reserve INTEGER NOT NULL,
        day TEXT NOT NULL, month TEXT NOT NULL, taken TEXT NOT NULL, reserve_cost INTEGER NOT NULL DEFAULT 0)`);
      sql.exec("CREATE TABLE budget_held (res TEXT PRIMARY KEY, unused INTEGER NOT NULL, epoch INTEGER NOT NULL, pressure_until INTEGER NOT NULL, remaining REAL NOT NULL, lim REAL NOT NULL)");
      sql.exec("INSERT INTO budget_counters VALUES ('d:2026-12-07', 7, 900, 256, 2, 1500, 300), ('M:2026-12', 70, 9000, 256, 3, 15000, 300)");
      sql.exec("INSERT INTO budget_bucket VALUES (1, 12.375, 1765100000123)");
      sql.exec(`INSERT INTO budget_inflight VALUES ('lease-1', 1765100000000, 1765100300000, 256, '2026-12-07', '2026-12', '[{"res":"conc","amount":1,"epoch":5}]', 300)`);
      sql.exec("INSERT INTO budget_held VALUES ('conc', 3, 5, 0, 41.5, 50), ('tpd:2026-12-07', -4, 5, 1765100009000, 1000.25, 100000)");
      sql.exec("UPDATE _schema SET version = 3");

      migrateBudget(sql);

      const tables = sql.exec<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'budget_%' ORDER BY name").toArray().map((r) => r.name);
      const p = emptyLedger();
      const blocks: Blocks = new Map();
      loadPrincipal(sql, p, blocks);
      return { tables, version: sql.exec<{ version: number }>("SELECT version FROM _schema").one().version, bucket: p.bucket, counters: [...p.counters].sort(), inflight: [...p.inflight.values()], held: [...p.held].sort() };
    });
    expect(loaded.version).toBe(4);
    expect(loaded.tables).toEqual(["budget_blocks", "budget_ledger", "budget_meta", "budget_pools", "budget_principals", "budget_holds"].sort());
    expect(loaded.bucket).toEqual({ level: 12.375, atMs: 1765100000123 });
    expect(loaded.counters).toEqual([
      ["M:2026-12", { requests: 70, tokens: 9000, reserved: 256, refused: 3, cost: 15000, reservedCost: 300 }],
      ["d:2026-12-07", { requests: 7, tokens: 900, reserved: 256, refused: 2, cost: 1500, reservedCost: 300 }],
    ]);
    expect(loaded.inflight).toEqual([
      { id: "lease-1", startedMs: 1765100000000, expiresMs: 1765100300000, reserve: 256, reserveCost: 300, day: "2026-12-07", month: "2026-12", taken: [{ res: "conc", amount: 1, epoch: 5 }] },
    ]);
    expect(loaded.held).toEqual([
      ["conc", { unused: 3, epoch: 5, pressureUntil: 0, remaining: 41.5, limit: 50 }],
      ["tpd:2026-12-07", { unused: -4, epoch: 5, pressureUntil: 1765100009000, remaining: 1000.25, limit: 100000 }],
    ]);
  });
});
