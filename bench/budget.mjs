/**
 * Budget path benchmark: requests/s and p50/p99 latency through the budget stage against the same
 * harness worker with budgets off, in one run, under Miniflare (workerd), real HTTP on loopback.
 *
 *   node bench/budget.mjs [--seconds 5] [--rounds 2] [--concurrency 32] [--keys 16]
 *
 * The load generator shares the machine with workerd: quote ratios and differences, not absolutes.
 * Scenarios alternate in rounds (off, rpc-only, write-only, counting, all-limits, tenant-at-limit, off, …) so drift hits
 * all of them alike; each row is the median over rounds.
 */
import { build } from "esbuild";
import { Miniflare } from "miniflare";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const arg = (name, dflt) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
};
const SECONDS = arg("seconds", 5);
const ROUNDS = arg("rounds", 2);
const CONCURRENCY = arg("concurrency", 32);
const KEYS = arg("keys", 16);

const root = fileURLToPath(new URL("..", import.meta.url));
const out = join(mkdtempSync(join(tmpdir(), "warden-bench-")), "harness.mjs");
await build({
  entryPoints: [join(root, "bench/budget-harness.ts")],
  bundle: true,
  format: "esm",
  platform: "neutral",
  target: "es2022",
  conditions: ["workerd", "worker", "browser"],
  mainFields: ["module", "main"],
  external: ["cloudflare:workers"],
  outfile: out,
  logLevel: "warning",
});

const mf = new Miniflare({
  // the bundle is listed explicitly (TOOLCHAIN.md: Miniflare's module collection is fussy)
  modules: [{ type: "ESModule", path: "harness.mjs", contents: readFileSync(out, "utf8") }],
  compatibilityDate: "2026-04-26",
  durableObjects: {
    BUDGETS: { className: "BudgetObject", useSQLite: true },
    AUDIT: { className: "AuditObject", useSQLite: true },
  },
  // BENCH_PERSIST=/dev/shm/x puts the objects' SQLite files on tmpfs; by default Miniflare keeps
  // them in a temporary directory on disk, where every commit waits for the disk
  ...(process.env.BENCH_PERSIST ? { durableObjectsPersist: process.env.BENCH_PERSIST } : {}),
  host: "127.0.0.1",
  port: 0,
});
const base = (await mf.ready).toString().replace(/\/$/, "");

const PATHS = {
  off: () => "/off",
  "rpc-only": (i) => `/rpc?k=${i % KEYS}`,
  "write-only": (i) => `/write?k=${i % KEYS}`,
  counting: (i) => `/on?s=counting&k=${i % KEYS}`,
  "all-limits": (i) => `/on?s=all-limits&k=${i % KEYS}`,
  "tenant-at-limit": (i) => `/on?s=tenant-at-limit&k=${i % KEYS}`,
};

async function load(name, seconds) {
  const path = PATHS[name];
  const lat = [];
  let ok = 0;
  let refused = 0;
  let errors = 0;
  let n = 0;
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const t0 = performance.now();
        const res = await fetch(base + path(n++));
        await res.arrayBuffer();
        lat.push(performance.now() - t0);
        if (res.status === 200) ok++;
        else if (res.status === 429) refused++;
        else errors++;
      }
    }),
  );
  lat.sort((a, b) => a - b);
  const q = (p) => lat[Math.min(lat.length - 1, Math.floor(p * lat.length))] ?? NaN;
  return { rps: lat.length / seconds, p50: q(0.5), p99: q(0.99), ok, refused, errors };
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const names = Object.keys(PATHS);
for (const name of names) await load(name, 1); // warm-up: objects created, JIT warm
const runs = Object.fromEntries(names.map((n) => [n, []]));
for (let r = 0; r < ROUNDS; r++) for (const name of names) runs[name].push(await load(name, SECONDS));
await mf.dispose();

const off = { rps: median(runs.off.map((x) => x.rps)), p50: median(runs.off.map((x) => x.p50)) };
console.log(
  `budget bench: ${ROUNDS} rounds × ${SECONDS}s, ${CONCURRENCY} concurrent clients, ${KEYS} keys, storage ${process.env.BENCH_PERSIST ?? "Miniflare default (disk)"}, Node ${process.version}`,
);
console.log("| path | req/s | p50 ms | p99 ms | vs off (req/s) | p50 − off | 200 | 429 | other |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const name of names) {
  const rs = runs[name];
  const row = { rps: median(rs.map((x) => x.rps)), p50: median(rs.map((x) => x.p50)), p99: median(rs.map((x) => x.p99)) };
  const sum = (k) => rs.reduce((s, x) => s + x[k], 0);
  console.log(
    `| ${name} | ${row.rps.toFixed(0)} | ${row.p50.toFixed(2)} | ${row.p99.toFixed(2)} | ${(row.rps / off.rps).toFixed(2)}× | ${(row.p50 - off.p50).toFixed(2)} | ${sum("ok")} | ${sum("refused")} | ${sum("errors")} |`,
  );
}
