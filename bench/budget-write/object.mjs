// The Durable Object of bench/budget-write/run.mjs: one method per write shape (see there).
import { DurableObject } from "cloudflare:workers";
const SCHEMA = [
 "CREATE TABLE IF NOT EXISTS budget_counters (win TEXT PRIMARY KEY, requests INTEGER NOT NULL CHECK (requests >= 0), tokens INTEGER NOT NULL CHECK (tokens >= 0), reserved INTEGER NOT NULL CHECK (reserved >= 0), refused INTEGER NOT NULL CHECK (refused >= 0), cost INTEGER NOT NULL DEFAULT 0 CHECK (cost >= 0), reserved_cost INTEGER NOT NULL DEFAULT 0 CHECK (reserved_cost >= 0))",
 "CREATE TABLE IF NOT EXISTS budget_bucket (id INTEGER PRIMARY KEY CHECK (id = 1), level REAL NOT NULL, at_ms INTEGER NOT NULL)",
 "CREATE TABLE IF NOT EXISTS budget_inflight (id TEXT PRIMARY KEY, started_ms INTEGER NOT NULL, expires_ms INTEGER NOT NULL, reserve INTEGER NOT NULL CHECK (reserve >= 0), day TEXT NOT NULL, month TEXT NOT NULL, taken TEXT NOT NULL, reserve_cost INTEGER NOT NULL DEFAULT 0 CHECK (reserve_cost >= 0))",
 "CREATE TABLE IF NOT EXISTS budget_held (res TEXT PRIMARY KEY, unused INTEGER NOT NULL, epoch INTEGER NOT NULL, pressure_until INTEGER NOT NULL, remaining REAL NOT NULL, lim REAL NOT NULL)",
 "CREATE VIEW IF NOT EXISTS budget_write AS SELECT NULL AS t, NULL AS k, NULL AS a, NULL AS b, NULL AS c, NULL AS d, NULL AS e, NULL AS f, NULL AS g WHERE 0",
 "CREATE TABLE IF NOT EXISTS budget_ledger (k TEXT PRIMARY KEY, a, b, c, d, e, f, g)",
 `CREATE TRIGGER IF NOT EXISTS budget_write_row INSTEAD OF INSERT ON budget_write BEGIN
   INSERT OR REPLACE INTO budget_bucket (id, level, at_ms) SELECT 1, NEW.a, NEW.b WHERE NEW.t = 'b';
   DELETE FROM budget_bucket WHERE NEW.t = 'B';
   INSERT OR REPLACE INTO budget_counters (win, requests, tokens, reserved, refused, cost, reserved_cost) SELECT NEW.k, NEW.a, NEW.b, NEW.c, NEW.d, NEW.e, NEW.f WHERE NEW.t = 'c';
   DELETE FROM budget_counters WHERE NEW.t = 'C' AND win = NEW.k;
   INSERT OR REPLACE INTO budget_inflight (id, started_ms, expires_ms, reserve, reserve_cost, day, month, taken) SELECT NEW.k, NEW.a, NEW.b, NEW.c, NEW.d, NEW.e, NEW.f, NEW.g WHERE NEW.t = 'i';
   DELETE FROM budget_inflight WHERE NEW.t = 'I' AND id = NEW.k;
   INSERT OR REPLACE INTO budget_held (res, unused, epoch, pressure_until, remaining, lim) SELECT NEW.k, NEW.a, NEW.b, NEW.c, NEW.d, NEW.e WHERE NEW.t = 'h';
   DELETE FROM budget_held WHERE NEW.t = 'H' AND res = NEW.k;
 END`,
];
const RES = ["conc", "rpm", "rd", "td", "tm"];
function rows(n) {
  const id = "lease-" + n, prev = "lease-" + (n - 1);
  return {
    bucket: [12.5 + n, 1700000000000 + n],
    counters: ["m:1", "d:1", "M:1"].map((w) => [w, n, n * 10, 256, 0, 0, 0]),
    inflight: [[id, 1700000000000 + n, 1700000300000 + n, 256, 0, "2026-12-07", "2026-12", '[{"res":"conc","amount":1,"epoch":1}]']],
    del: [prev],
    held: RES.map((r) => [r, 100 - (n % 50), 1, 0, 1000.5, 100000]),
  };
}
const texts = new Map();
function many(table, cols, k) { const key = table + k; let t = texts.get(key); if (!t) { const row = "(" + cols.map(() => "?").join(", ") + ")"; t = `INSERT OR REPLACE INTO ${table} (${cols.join(", ")}) VALUES ` + Array(k).fill(row).join(", "); texts.set(key, t); } return t; }
export class D extends DurableObject {
  n = 0;
  constructor(ctx, env) { super(ctx, env); for (const s of SCHEMA) ctx.storage.sql.exec(s); }
  a() {
    const sql = this.ctx.storage.sql; const r = rows(++this.n);
    sql.exec("INSERT OR REPLACE INTO budget_bucket (id, level, at_ms) VALUES (1, ?, ?)", ...r.bucket);
    sql.exec(many("budget_counters", ["win", "requests", "tokens", "reserved", "refused", "cost", "reserved_cost"], 3), ...r.counters.flat());
    sql.exec(many("budget_inflight", ["id", "started_ms", "expires_ms", "reserve", "reserve_cost", "day", "month", "taken"], 1), ...r.inflight.flat());
    sql.exec(many("budget_held", ["res", "unused", "epoch", "pressure_until", "remaining", "lim"], 5), ...r.held.flat());
    sql.exec("DELETE FROM budget_inflight WHERE id IN (?)", ...r.del);
    return 1;
  }
  b() {
    const sql = this.ctx.storage.sql; const r = rows(++this.n);
    let t = texts.get("w"); 
    if (!t) { t = "INSERT INTO budget_write (t, k, a, b, c, d, e, f, g) VALUES ('b', NULL, ?, ?, NULL, NULL, NULL, NULL, NULL), " +
      Array(3).fill("('c', ?, ?, ?, ?, ?, ?, ?, NULL)").join(", ") + ", ('i', ?, ?, ?, ?, ?, ?, ?, ?), " + Array(5).fill("('h', ?, ?, ?, ?, ?, ?, NULL, NULL)").join(", ") + ", ('I', ?, NULL, NULL, NULL, NULL, NULL, NULL, NULL)"; texts.set("w", t); }
    const p = [...r.bucket, ...r.counters.flat(), ...r.inflight.flat(), ...r.held.flat(), ...r.del];
    sql.exec(t, ...p);
    return 2;
  }
  z() { return 0; }
  /** `n` more open leases (as a principal at concurrency n has), in both layouts: a larger ledger than one admission's rows. */
  pad(n) {
    const sql = this.ctx.storage.sql;
    for (let i = 0; i < n; i++) {
      const row = ["pad-" + i, 1700000000000, 1700000300000, 256, 0, "2026-12-07", "2026-12", '[{"res":"conc","amount":1,"epoch":1},{"res":"rpm","amount":1,"epoch":1},{"res":"rd:2026-12-07","amount":1,"epoch":1},{"res":"td:2026-12-07","amount":256,"epoch":1},{"res":"tm:2026-12","amount":256,"epoch":1}]'];
      sql.exec("INSERT OR REPLACE INTO budget_inflight (id, started_ms, expires_ms, reserve, reserve_cost, day, month, taken) VALUES (?, ?, ?, ?, ?, ?, ?, ?)", ...row);
      sql.exec("INSERT OR REPLACE INTO budget_ledger (k, a, b, c, d, e, f, g) VALUES ('i:' || ?, ?, ?, ?, ?, ?, ?, ?)", ...row);
    }
    return n;
  }
  g() { const sql = this.ctx.storage.sql; const r = rows(++this.n);
    let t = texts.get("g");
    if (!t) { t = "INSERT OR REPLACE INTO budget_ledger (k, a, b, c, d, e, f, g) VALUES ('b', ?, ?, NULL, NULL, NULL, NULL, NULL), " +
      Array(3).fill("('c:' || ?, ?, ?, ?, ?, ?, ?, NULL)").join(", ") + ", ('i:' || ?, ?, ?, ?, ?, ?, ?, ?), " + Array(5).fill("('h:' || ?, ?, ?, ?, ?, ?, NULL, NULL)").join(", "); texts.set("g", t); }
    sql.exec(t, ...r.bucket, ...r.counters.flat(), ...r.inflight.flat(), ...r.held.flat());
    sql.exec("DELETE FROM budget_ledger WHERE k IN ('i:' || ?)", ...r.del);
    return 6; }
  c() { const sql = this.ctx.storage.sql; const r = rows(++this.n); sql.exec("INSERT OR REPLACE INTO budget_bucket (id, level, at_ms) VALUES (1, ?, ?)", ...r.bucket); return 3; }
  e() { this.a(); this.a(); return 4; }
  f() { const sql = this.ctx.storage.sql; const r = rows(++this.n); sql.exec("INSERT OR REPLACE INTO budget_bucket (id, level, at_ms) VALUES (1, ?, ?)", ...r.bucket);
    sql.exec(many("budget_counters", ["win", "requests", "tokens", "reserved", "refused", "cost", "reserved_cost"], 3), ...r.counters.flat()); return 5; }
  check() { const sql = this.ctx.storage.sql; return [sql.exec("SELECT count(*) AS n FROM budget_inflight").one(), sql.exec("SELECT * FROM budget_held").toArray().length, sql.exec("SELECT * FROM budget_bucket").one()]; }
}
export default { async fetch(req, env) {
  const u = new URL(req.url); const s = env.D.get(env.D.idFromName(u.searchParams.get("o") ?? "x"));
  const m = u.pathname.slice(1); const n = Number(u.searchParams.get("n") ?? 1);
  const pad = Number(u.searchParams.get("pad") ?? 0);
  if (pad) await s.pad(pad);
  for (let i = 0; i < n; i++) await s[m]();
  return Response.json(m === "check" ? await s.check() : n);
} };
