#!/usr/bin/env node
/**
 * Request-path benchmark: what the whole Warden Worker costs per request over a bare proxy, in one
 * run, under Miniflare (workerd) serving `wrangler deploy --dry-run` bundles over HTTP on 127.0.0.1,
 * in front of the real demo origin (a child process, token delay 0). Run from the repo root:
 *
 *   node bench/request-path.mjs [--seconds 2] [--rounds 3] [--concurrency 8,32] [--keys 16]
 *                               [--storage disk,tmpfs] [--workloads chat,oip,embed] [--before DIR]
 *                               [--order fixed|shuffle] [--kinds minimal,full,full-screening,…]
 *
 * `--before DIR`: a checkout of an earlier commit (with node_modules) is bundled too and served
 * beside this tree's Warden as targets `minimal@before` and `full@before`, cells interleaved with
 * the rest, so before and after see the same load on the machine.
 *
 * Targets: `bare` (bench/request-path/bare-proxy.ts: forwards and streams, nothing else);
 * `minimal` (Warden, a tenant with screening off, extraction off, no limits, no protection);
 * `full` (Warden, screening block, extraction on, roomy limits on tenant and key, receipts + text
 * watermark on chat, rounding + label watermark on OIP, noise + watermark + receipts on embeddings).
 * Warden runs twice when both storages are asked for: Durable Object SQLite in Miniflare's default
 * temporary directory on disk, and on tmpfs (/dev/shm) — see RESULTS.md "Budgets" for why.
 * Workloads: non-stream chat completion (max_tokens 16), OIP infer (digits, 1 row), embeddings
 * (1 input), each request a different input from a pool, API keys taken in turn.
 * Load: closed loop, fixed concurrency, fixed duration; cells interleaved round by round; req/s is
 * the median over rounds, p50/p99 are over all of a cell's requests pooled across rounds (the slow
 * cells complete too few requests per round for a per-round p99). The load generator, the origin
 * and workerd share the machine's cores. Server-Timing comes from workerd's clock, which only moves
 * on I/O: a stage that only computes reads 0, and under concurrency a stage also holds the time its
 * request waited for the isolate while others ran.
 */
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { loadavg } from "node:os";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { ROOT, WARDEN_DURABLE_OBJECTS, bundle, cpuSeconds, serve, startOrigin, wardenBindings } from "./lib/miniflare.mjs";
import { BODIES, PATHS, createTenant } from "./lib/tenants.mjs";

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const SECONDS = Number(opt("seconds", "2"));
const ROUNDS = Number(opt("rounds", "3"));
const CONCURRENCY = opt("concurrency", "8,32").split(",").map(Number);
const KEYS = Number(opt("keys", "16"));
const STORAGES = opt("storage", "disk,tmpfs").split(",");
const WORKLOADS = opt("workloads", "chat,oip,embed").split(",");
const BEFORE = opt("before", null);
// `--order shuffle`: each round visits the targets in a fresh random order, so no target always
// follows the same one (two A/A runs in the fixed order read identical trees 0.3-0.55 ms apart at c=1).
const ORDER = opt("order", "fixed");
// `--kinds minimal,full,full-screening,…`: Warden tenants to measure; `full-<feature>` is the full
// tenant with that feature off (bench/lib/tenants.mjs), so full minus it is the feature's whole cost.
const KIND_LIST = opt("kinds", "minimal,full").split(",");

const OUT = join(ROOT, ".tmp/bench-request-path");
const SHM = `/dev/shm/warden-request-path-${process.pid}`;
const ADMIN_TOKEN = randomBytes(24).toString("base64url");
const STAGES = ["auth", "validate", "screen", "budget", "origin", "protect"];

// Self-stopping: whatever happens, the run ends (cells × seconds plus generous set-up time).
const cells = (1 + KIND_LIST.length * STORAGES.length * (BEFORE ? 2 : 1)) * WORKLOADS.length * CONCURRENCY.length;
const watchdog = setTimeout(() => {
  console.error("request-path bench: watchdog fired, stopping");
  void cleanup().finally(() => process.exit(2));
}, (cells * (ROUNDS * SECONDS + 1) + 300) * 1000);
watchdog.unref();

// ---------------------------------------------------------------- load

const shuffled = (xs) => {
  const out = [...xs];
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [out[i], out[j]] = [out[j], out[i]];
  }
  return out;
};
const quantile = (sorted, p) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;
const median = (xs) => quantile([...xs].sort((a, b) => a - b), 0.5);
const mean = (xs) => xs.reduce((s, x) => s + x, 0) / xs.length;

/** Server-Timing `auth;dur=0.12, budget;dur=3.40` → { auth: 0.12, budget: 3.4 } */
function parseServerTiming(header) {
  const out = {};
  for (const part of (header ?? "").split(",")) {
    const m = /^\s*([a-z]+)\s*;\s*dur=([\d.]+)/.exec(part);
    if (m) out[m[1]] = Number(m[2]);
  }
  return out;
}

let counter = 0;
async function load(target, workload, concurrency, seconds, stages) {
  const url = `${target.base}/t/${target.tenant}${PATHS[workload]}`;
  const lat = [];
  const statuses = {};
  const cpu0 = target.pids.reduce((s, p) => s + cpuSeconds(p), 0);
  const end = performance.now() + seconds * 1000;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (performance.now() < end) {
        const i = counter++;
        const t0 = performance.now();
        let status;
        try {
          const res = await fetch(url, {
            method: "POST",
            headers: { authorization: `Bearer ${target.keys[i % target.keys.length]}`, "content-type": "application/json" },
            body: JSON.stringify(BODIES[workload](i)),
            signal: AbortSignal.timeout(30_000),
          });
          const text = await res.text();
          status = res.status;
          if (status !== 200 && !target.firstError) target.firstError = `${workload} ${status} ${text.slice(0, 300)}`;
          if (stages) {
            const st = parseServerTiming(res.headers.get("server-timing"));
            for (const s of STAGES) if (s in st) stages[s].push(st[s]);
          }
        } catch (err) {
          status = err?.name ?? "error";
          if (!target.firstError) target.firstError = `${workload} ${String(err)}`;
        }
        lat.push(performance.now() - t0);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const cpu = target.pids.reduce((s, p) => s + cpuSeconds(p), 0) - cpu0;
  return { rps: lat.length / seconds, lat, statuses, cpuMsPerReq: (cpu * 1000) / lat.length };
}

// ---------------------------------------------------------------- run

const running = { origin: null, mfs: [] };
async function cleanup() {
  for (const mf of running.mfs.splice(0)) await mf.dispose().catch(() => {});
  if (running.origin) running.origin.child.kill("SIGTERM");
  running.origin = null;
  rmSync(SHM, { recursive: true, force: true });
}
process.once("SIGINT", () => void cleanup().finally(() => process.exit(130)));

async function main() {
  mkdirSync(OUT, { recursive: true });
  console.error("bundling…");
  const bare = bundle(join(OUT, "bare"), join(ROOT, "bench/request-path/wrangler.toml"));
  const warden = bundle(join(OUT, "warden"), join(ROOT, "wrangler.toml"));
  const before = BEFORE ? bundle(join(OUT, "warden-before"), join(resolve(BEFORE), "wrangler.toml"), resolve(BEFORE)) : null;
  // What was bundled: the working tree, which other people may be editing.
  const git = (...a) => execFileSync("git", a, { cwd: ROOT, encoding: "utf8" });
  const source = {
    commit: git("rev-parse", "--short", "HEAD").trim(),
    dirty: git("status", "--porcelain", "--", "worker", "durable-objects", "wasm-models").split("\n").filter(Boolean).map((l) => l.slice(3)),
  };

  running.origin = await startOrigin();
  const originUrl = running.origin.url;

  console.error("starting Miniflare…");
  const targets = [];
  const b = await serve(bare, { bindings: { ORIGIN_URL: originUrl } });
  running.mfs.push(b.mf);
  targets.push({ name: "bare", storage: "-", base: b.base, pids: b.pids, tenant: "bare", keys: ["none"] });

  for (const [suffix, build, root] of before ? [["", warden, ROOT], ["@before", before, resolve(BEFORE)]] : [["", warden, ROOT]])
  for (const storage of STORAGES) {
    const w = await serve(build, {
      durableObjects: WARDEN_DURABLE_OBJECTS,
      ...(storage === "tmpfs" ? { durableObjectsPersist: join(SHM, suffix || "now") } : {}),
      // Each tree's own manifest key: the earlier checkout's screening model is signed for its wrangler.toml.
      bindings: wardenBindings(ADMIN_TOKEN, root),
    });
    running.mfs.push(w.mf);
    for (const kind of KIND_LIST) {
      const id = `rp-${kind}`;
      const keys = await createTenant({ base: w.base, adminToken: ADMIN_TOKEN, id, kind, originUrl, keys: KEYS });
      targets.push({ name: `${kind}${suffix}`, storage, base: w.base, pids: w.pids, tenant: id, keys });
    }
  }

  // Warm-up: objects created, JIT warm, screening model loaded, connections open.
  console.error("warming up…");
  for (const workload of WORKLOADS) for (const t of targets) await load(t, workload, Math.max(...CONCURRENCY), 1, null);
  for (const t of targets) t.firstError = undefined;

  const key = (t, w, c) => `${t.name}|${t.storage}|${w}|${c}`;
  const runs = {};
  const stages = {};
  const nodeCpu0 = process.cpuUsage();
  const originCpu0 = cpuSeconds(running.origin.child.pid);
  const load0 = loadavg()[0];
  const t0 = performance.now();
  for (let r = 0; r < ROUNDS; r++) {
    console.error(`round ${r + 1}/${ROUNDS}…`);
    for (const c of CONCURRENCY)
      for (const w of WORKLOADS)
        for (const t of ORDER === "shuffle" ? shuffled(targets) : targets) {
          const k = key(t, w, c);
          stages[k] ??= Object.fromEntries(STAGES.map((s) => [s, []]));
          (runs[k] ??= []).push(await load(t, w, c, SECONDS, t.name === "bare" ? null : stages[k]));
        }
  }
  const wall = (performance.now() - t0) / 1000;
  const nodeCpu = process.cpuUsage(nodeCpu0);
  const originCpu = cpuSeconds(running.origin.child.pid) - originCpu0;
  await cleanup();

  // ------------------------------------------------------------ report
  const rows = [];
  for (const c of CONCURRENCY)
    for (const w of WORKLOADS)
      for (const t of targets) {
        const rs = runs[key(t, w, c)];
        const st = stages[key(t, w, c)];
        const statuses = {};
        for (const x of rs) for (const [s, n] of Object.entries(x.statuses)) statuses[s] = (statuses[s] ?? 0) + n;
        const lat = rs.flatMap((x) => x.lat).sort((a, b) => a - b);
        rows.push({
          target: t.name,
          storage: t.storage,
          workload: w,
          concurrency: c,
          rps: median(rs.map((x) => x.rps)),
          p50: quantile(lat, 0.5),
          p99: quantile(lat, 0.99),
          meanMs: mean(lat),
          requests: lat.length,
          cpuMsPerReq: median(rs.map((x) => x.cpuMsPerReq)),
          statuses,
          stages: Object.fromEntries(STAGES.filter((s) => st[s].length > 0).map((s) => [s, { median: median(st[s]), mean: mean(st[s]) }])),
          rounds: rs.map(({ lat: l, ...x }) => ({ ...x, requests: l.length, p50: quantile([...l].sort((a, b) => a - b), 0.5) })),
        });
      }
  const bareRow = (r) => rows.find((x) => x.target === "bare" && x.workload === r.workload && x.concurrency === r.concurrency);

  const f = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : "–");
  const lines = [];
  lines.push(
    `request-path bench: ${ROUNDS} rounds × ${SECONDS} s per cell, concurrency ${CONCURRENCY.join("/")}, ${KEYS} keys per tenant, storage ${STORAGES.join("+")}, ` +
      `Node ${process.version}, ${new Date().toISOString()}`,
  );
  lines.push(`Warden bundled from the working tree at ${source.commit}${source.dirty.length ? `, uncommitted: ${source.dirty.join(", ")}` : ""}`);
  lines.push(
    `CPU over the measured rounds (${f(wall, 0)} s wall, 2 cores = ${f(2 * wall, 0)} core-s): load generator (Node) ${f((nodeCpu.user + nodeCpu.system) / 1e6, 0)} s, ` +
      `demo origin ${f(originCpu, 0)} s; workerd per request in the table. Load average (1 min) ${f(load0, 1)} before, ${f(loadavg()[0], 1)} after`,
  );
  lines.push("");
  // req/s × CPU per request: how much of a core workerd kept busy. A cell that reads ~1.0 is
  // bound by one thread, on which Miniflare's workerd runs the Worker and its Durable Objects.
  lines.push("| target | storage | workload | conc | req/s | p50 ms | p99 ms | req/s vs bare | p50 − bare | p99 − bare | workerd CPU ms/req | workerd cores busy | statuses |");
  lines.push("|---|---|---|---|---|---|---|---|---|---|---|---|---|");
  for (const r of rows) {
    const bb = bareRow(r);
    const st = Object.entries(r.statuses).map(([s, n]) => `${s}:${n}`).join(" ");
    lines.push(
      `| ${r.target} | ${r.storage} | ${r.workload} | ${r.concurrency} | ${f(r.rps, 0)} | ${f(r.p50)} | ${f(r.p99)} | ${f(r.rps / bb.rps)}× | ${f(r.p50 - bb.p50)} | ${f(r.p99 - bb.p99)} | ${f(r.cpuMsPerReq)} | ${f((r.rps * r.cpuMsPerReq) / 1000)} | ${st} |`,
    );
  }
  lines.push("");
  lines.push("Server-Timing per stage, median / mean in ms (whole-ms clock; all responses of the cell pooled over rounds):");
  lines.push("");
  lines.push(`| target | storage | workload | conc | ${STAGES.join(" | ")} | sum of means | mean latency |`);
  lines.push(`|---|---|---|---|${STAGES.map(() => "---|").join("")}---|---|`);
  for (const r of rows.filter((x) => x.target !== "bare")) {
    const sum = STAGES.reduce((s, k) => s + (r.stages[k]?.mean ?? 0), 0);
    const cell = (s) => (r.stages[s] ? `${f(r.stages[s].median, 0)} / ${f(r.stages[s].mean, 1)}` : "–");
    lines.push(`| ${r.target} | ${r.storage} | ${r.workload} | ${r.concurrency} | ${STAGES.map(cell).join(" | ")} | ${f(sum, 1)} | ${f(r.meanMs, 1)} |`);
  }
  if (BEFORE) {
    // Round by round, the same cell after − before: the rounds ran under the same load, so their
    // differences say more than the pooled p50s when the machine's load drifts over the run.
    lines.push("", "Per round, p50 after − before in ms (rounds where after is slower / all):", "");
    for (const r of rows.filter((x) => x.target !== "bare" && !x.target.endsWith("@before"))) {
      const b4 = rows.find((x) => x.target === `${r.target}@before` && x.storage === r.storage && x.workload === r.workload && x.concurrency === r.concurrency);
      const d = r.rounds.map((x, i) => x.p50 - b4.rounds[i].p50);
      lines.push(`- ${r.target} ${r.storage} ${r.workload} c=${r.concurrency}: ${d.map((x) => f(x)).join(", ")} (${d.filter((x) => x > 0).length}/${d.length}; median ${f(median(d))})`);
    }
  }
  const errors = targets.filter((t) => t.firstError).map((t) => `${t.name}/${t.storage}: ${t.firstError}`);
  if (errors.length) lines.push("", "First non-200 answer per target:", ...errors.map((e) => `- ${e}`));
  console.log(lines.join("\n"));
  writeFileSync(join(OUT, "results.json"), JSON.stringify({ date: new Date().toISOString(), source, SECONDS, ROUNDS, CONCURRENCY, KEYS, rows, errors }, null, 2));
}

try {
  await main();
} finally {
  await cleanup();
  clearTimeout(watchdog);
}
