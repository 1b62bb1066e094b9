/**
 * Per-part A/B of the in-isolate screening work (GET /loop of bench/screening/worker.ts) between
 * bundles, like loop-ab.mjs but split by part: normalize, windows (featurizer on the normalized
 * text), soup (suffix head), pack, infer (session.run on packed windows) and all (screenTexts).
 * Every bundle runs in its own workerd, all started at once; each part is measured on each
 * bundle in turn (the order alternating), ROUNDS times (default 5), so that a change in the
 * machine's load hits both sides alike. CPU time of each workerd process from /proc.
 *
 *   node_modules/.bin/wrangler deploy --dry-run -c bench/screening/wrangler.toml --outdir $PWD/.tmp/ab/old
 *   (change the code)  ... --outdir $PWD/.tmp/ab/new
 *   nice -n 10 node bench/screening/parts-ab.mjs .tmp/ab/old .tmp/ab/new   [ROUNDS=5 SCALE=1 PARTS=windows,soup KBS=2]
 *
 * Both bundles must have this /loop (parts added with it). Prints CPU ms per call, median of
 * the rounds (and all rounds), and the load average at the start and end.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";
const ROOT = resolve(import.meta.dirname, "../..");
const PUBLIC_KEY = /^MODEL_MANIFEST_PUBLIC_KEY = '(.*)'$/m.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))?.[1];
const keyOf = (dir) => (existsSync(join(dir, "public-key")) ? readFileSync(join(dir, "public-key"), "utf8").trim() : PUBLIC_KEY);
/** utime + stime (s) of each workerd process started by this process, by pid. */
function workerds() { const out = new Map(); for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) { let s; try { s = readFileSync(`/proc/${pid}/stat`, "utf8"); } catch { continue; } const comm = s.slice(s.indexOf("(") + 1, s.lastIndexOf(")")); const f = s.slice(s.lastIndexOf(")") + 2).split(" "); if (comm !== "workerd" || Number(f[1]) !== process.pid) continue; out.set(pid, (Number(f[11]) + Number(f[12])) / 100); } return out; }
function mf(dir) {
  const files = readdirSync(dir).filter((f) => !f.endsWith(".map") && f !== "README.md" && f !== "public-key");
  const modules = files.map((f) => ({ type: f.endsWith(".wasm") ? "CompiledWasm" : f.endsWith(".onnx") ? "Data" : "ESModule", path: join(dir, f) }));
  modules.sort((a, b) => Number(b.type === "ESModule") - Number(a.type === "ESModule"));
  return new Miniflare({ modules, modulesRoot: dir, compatibilityDate: "2026-04-26", bindings: keyOf(dir) ? { MODEL_MANIFEST_PUBLIC_KEY: keyOf(dir) } : {} });
}
const ROUNDS = Number(process.env.ROUNDS ?? 5);
const SCALE = Number(process.env.SCALE ?? 1);
const PARTS = process.env.PARTS?.split(",") ?? ["normalize", "windows", "soup", "pack", "infer", "all"];
const KBS = process.env.KBS?.split(",").map(Number) ?? [2, 20];
const res = {};
console.log(`load average at start: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
const names = process.argv.slice(2);
const runs = [];
for (const name of names) {
  const known = new Set(workerds().keys());
  const m = mf(resolve(name));
  await m.ready;
  const pids = [...workerds().keys()].filter((p) => !known.has(p));
  if (pids.length !== 1) throw new Error(`expected one new workerd for ${name}, found ${pids.length}`);
  runs.push({ name, m, pid: pids[0] });
}
const cpuOf = (pid) => workerds().get(pid) ?? NaN;
for (let round = 0; round < ROUNDS; round++) for (const kb of KBS) for (const only of PARTS) {
  const order = round % 2 === 0 ? runs : [...runs].reverse();
  for (const { name, m, pid } of order) {
    const n = Math.round((kb === 2 ? 3000 : 300) * SCALE);
    const q = only === "all" ? "" : `&only=${only}`;
    await (await m.dispatchFetch(`http://b/loop?kb=${kb}&n=${Math.ceil(n / 10)}${q}`)).text();
    const before = cpuOf(pid);
    await (await m.dispatchFetch(`http://b/loop?kb=${kb}&n=${n}${q}`)).text();
    (res[`${kb}KB ${only.padEnd(9)} ${name}`] ??= []).push(+((cpuOf(pid) - before) * 1000 / n).toFixed(4));
  }
}
for (const { m } of runs) await m.dispose();
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const k of Object.keys(res).sort()) console.log(`${k}: ${median(res[k])} ms CPU (${res[k].join(", ")})`);
console.log(`load average at end: ${loadavg().map((x) => x.toFixed(2)).join(" ")}`);
