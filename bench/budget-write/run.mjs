#!/usr/bin/env node
/**
 * What a principal budget object's admission write costs in workerd, by shape (bench/RESULTS.md,
 * "Budget RPCs coalesced"): the same rows as an admission of the request-path bench's `full`
 * tenant (bucket, three counters, one lease in and one out, five held blocks), written
 *   a  as today: one bound multi-row statement per table, four tables (five statements)
 *   b  as one statement into a view whose INSTEAD OF trigger writes the four tables
 *   g  into one table (the same rows keyed by kind), one upsert and one delete
 *   e  two admissions (as a) in one event: what a batch of two pays
 *   c  one row in one statement; z  an empty call (the RPC alone)
 * Each call is its own event (its own implicit transaction). Measured as workerd's process CPU
 * (utime + stime) per call over 3000 calls, 4 concurrent callers, variants interleaved per round.
 * Run from the repo root: node bench/budget-write/run.mjs [rounds] [open leases already in the ledger]
 */
import { Miniflare } from "miniflare";
import { readFileSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";

const ROUNDS = Number(process.argv[2] ?? 5);
// `pad`: open leases already in each object's ledger (a principal at that concurrency), so the table spans more than one page.
const PAD = Number(process.argv[3] ?? 0);
const SHM = `/dev/shm/budget-write-${process.pid}`;
const mf = new Miniflare({
  modules: true,
  scriptPath: fileURLToPath(new URL("./object.mjs", import.meta.url)),
  compatibilityDate: "2026-04-26",
  durableObjects: { D: { className: "D", useSQLite: true } },
  durableObjectsPersist: SHM,
});
const children = () => readFileSync(`/proc/${process.pid}/task/${process.pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean);
function cpuSeconds() {
  let t = 0;
  for (const p of children()) {
    const f = readFileSync(`/proc/${p}/stat`, "utf8").split(") ")[1].split(" ");
    t += Number(f[11]) + Number(f[12]);
  }
  return t / 100;
}
const VARIANTS = ["a", "b", "g", "e", "c", "z"];
for (const m of VARIANTS) await (await mf.dispatchFetch(`http://x/${m}?n=10&o=${m.toUpperCase()}&pad=${PAD}`)).text();
const res = Object.fromEntries(VARIANTS.map((m) => [m, []]));
const N = 3000;
for (let round = 0; round < ROUNDS; round++)
  for (const m of VARIANTS) {
    const c0 = cpuSeconds();
    await Promise.all(Array.from({ length: 4 }, () => mf.dispatchFetch(`http://x/${m}?n=${N / 4}&o=${m.toUpperCase()}`).then((r) => r.text())));
    res[m].push(Number((((cpuSeconds() - c0) / N) * 1000).toFixed(4)));
  }
console.log("workerd CPU ms per call, per round:");
for (const m of VARIANTS) console.log(`  ${m}: ${res[m].join(", ")}  (median ${[...res[m]].sort((x, y) => x - y)[res[m].length >> 1]})`);
await mf.dispose();
rmSync(SHM, { recursive: true, force: true });
