#!/usr/bin/env node
/**
 * Screening benchmark (issue 4 item 6). Run from the repo root:
 *
 *   npx tsx bench/screening/run.mjs            # full run, a few minutes on 2 cores
 *   npx tsx bench/screening/run.mjs --quick    # fewer iterations
 *   npx tsx bench/screening/node-micro.ts      # item 5 below
 *
 * 1. Bundles: the screening bench Worker (bench/screening/worker.ts), the same Worker without
 *    screening (bare-worker.ts) and Warden itself, with `wrangler deploy --dry-run`; reports
 *    their gzipped sizes.
 * 2. Script start-up: `wrangler check startup` CPU profiles of each bundle (median of 5), and
 *    the time Miniflare takes to start workerd with each (process start included).
 * 3. First request after start: a fresh Miniflare each time; the first /score request pays for
 *    verifying the manifest, starting onnxruntime and creating the session.
 * 4. Inference latency inside workerd, served by Miniflare directly: POST /score (one text,
 *    one inference) alternating with POST /noop with the same body; p50/p99 of both and of
 *    their difference. workerd's clock only ticks in whole milliseconds, so the in-isolate
 *    figures (/loop: featurize only, inference only, both) are means over many calls.
 *    Because the machine is shared, the script also reads the workerd process's CPU time from
 *    /proc around 1,000s of /score and /noop requests: CPU ms per request, which contention
 *    does not inflate the way it inflates wall-clock percentiles.
 * 5. (node-micro.ts) The same featurizer + onnxruntime-web (same .wasm) in Node, timed per
 *    call with a high-resolution clock, for per-call percentiles of the screening work alone.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { join, resolve } from "node:path";
import { performance } from "node:perf_hooks";
import { Miniflare } from "miniflare";

const QUICK = process.argv.includes("--quick");
const ROOT = resolve(import.meta.dirname, "../..");
const OUT = join(ROOT, ".tmp/bench-screening");
const ENV = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };
const WRANGLER = join(ROOT, "node_modules/.bin/wrangler");
const PUBLIC_KEY = /^MODEL_MANIFEST_PUBLIC_KEY = '(.*)'$/m.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))?.[1];

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const median = (xs) => percentile(xs, 50);
const ms = (x) => x.toFixed(3);

function wrangler(args) {
  return execFileSync(WRANGLER, args, { cwd: ROOT, env: ENV, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"] });
}

/** Bundles one entry; returns its directory, module list and sizes. */
function bundle(name, config, script) {
  const dir = join(OUT, name);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const args = ["deploy", ...(script ? [script] : []), "--dry-run", "--outdir", dir, "-c", config];
  const log = wrangler(args);
  const reported = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(log);
  const files = readdirSync(dir).filter((f) => !f.endsWith(".map") && f !== "README.md");
  const raw = files.reduce((n, f) => n + statSync(join(dir, f)).size, 0);
  const gzip = files.reduce((n, f) => n + gzipSync(readFileSync(join(dir, f))).length, 0);
  const modules = files.map((f) => ({
    type: f.endsWith(".wasm") ? "CompiledWasm" : f.endsWith(".onnx") ? "Data" : "ESModule",
    path: join(dir, f),
  }));
  // The entry module (the one .js file wrangler writes) must come first.
  modules.sort((a, b) => Number(b.type === "ESModule") - Number(a.type === "ESModule"));
  wrangler(["deploy", ...(script ? [script] : []), "--dry-run", "--outfile", join(OUT, `${name}.bundle`), "-c", config]);
  return { name, dir, modules, raw, gzip, wranglerKiB: reported ? { raw: Number(reported[1]), gzip: Number(reported[2]) } : null };
}

function startupProfileMs(b) {
  const profile = join(OUT, `${b.name}.cpuprofile`);
  wrangler(["check", "startup", "--worker", join(OUT, `${b.name}.bundle`), "--outfile", profile]);
  const p = JSON.parse(readFileSync(profile, "utf8"));
  return (p.endTime - p.startTime) / 1000;
}

function miniflare(b) {
  return new Miniflare({
    modules: b.modules,
    modulesRoot: b.dir,
    compatibilityDate: "2026-04-26",
    bindings: PUBLIC_KEY ? { MODEL_MANIFEST_PUBLIC_KEY: PUBLIC_KEY } : {},
  });
}

async function post(mf, path, body) {
  const res = await mf.dispatchFetch(`http://bench${path}`, { method: "POST", body });
  const text = await res.text();
  if (!res.ok) throw new Error(`${path}: ${res.status} ${text}`);
  return text;
}

async function readyMs(b) {
  const t = performance.now();
  const mf = miniflare(b);
  await mf.ready;
  const took = performance.now() - t;
  await mf.dispose();
  return took;
}

async function firstRequest(b, body) {
  const mf = miniflare(b);
  await mf.ready;
  let t = performance.now();
  const first = JSON.parse(await post(mf, "/score", body));
  const firstMs = performance.now() - t;
  t = performance.now();
  await post(mf, "/score", body);
  const secondMs = performance.now() - t;
  await mf.dispose();
  return { firstMs, secondMs, score: first.score };
}

async function latency(mf, body, pairs) {
  for (let i = 0; i < 100; i++) await post(mf, i % 2 ? "/noop" : "/score", body);
  const score = [];
  const noop = [];
  for (let i = 0; i < pairs; i++) {
    let t = performance.now();
    await post(mf, "/score", body);
    score.push(performance.now() - t);
    t = performance.now();
    await post(mf, "/noop", body);
    noop.push(performance.now() - t);
  }
  return { score, noop };
}

/** CPU seconds (user + system) used so far by the workerd processes Miniflare started. */
function workerdCpuSeconds() {
  const tick = 100; // USER_HZ on Linux
  let total = 0;
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    const file = `/proc/${pid}/stat`;
    if (!existsSync(file)) continue;
    let stat;
    try {
      stat = readFileSync(file, "utf8");
    } catch {
      continue;
    }
    const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    if (comm !== "workerd" || Number(fields[1]) !== process.pid) continue;
    total += (Number(fields[11]) + Number(fields[12])) / tick;
  }
  return total;
}

async function cpuPerRequest(mf, path, body, n) {
  const before = workerdCpuSeconds();
  for (let i = 0; i < n; i++) await post(mf, path, body);
  return ((workerdCpuSeconds() - before) * 1000) / n;
}

async function main() {
  mkdirSync(OUT, { recursive: true });
  const { prompt } = await import("./prompt.ts").catch(() => ({ prompt: null }));
  if (!prompt) throw new Error("run with a TypeScript-aware Node: npx tsx bench/screening/run.mjs");
  const bodies = { 2: prompt(2), 20: prompt(20) };

  console.error("bundling…");
  const screening = bundle("screening", "bench/screening/wrangler.toml");
  const bare = bundle("bare", "bench/screening/wrangler.toml", "bench/screening/bare-worker.ts");
  let warden = null;
  try {
    warden = bundle("warden", "wrangler.toml");
  } catch (err) {
    console.error(`Warden bundle failed (someone's code mid-edit?): ${String(err.stderr ?? err).slice(0, 300)}`);
  }

  console.error("start-up profiles…");
  const runs = QUICK ? 2 : 5;
  const startup = {};
  for (const b of [bare, screening, ...(warden ? [warden] : [])]) {
    const profile = [];
    const ready = [];
    for (let i = 0; i < runs; i++) {
      profile.push(startupProfileMs(b));
      ready.push(await readyMs(b));
    }
    startup[b.name] = { profileMs: median(profile), readyMs: median(ready), profileAll: profile, readyAll: ready };
  }

  console.error("first requests…");
  const first = [];
  for (let i = 0; i < runs; i++) first.push(await firstRequest(screening, bodies[2]));

  console.error("latency…");
  const mf = miniflare(screening);
  await mf.ready;
  const lat = {};
  const loop = {};
  for (const kb of [2, 20]) {
    const pairs = QUICK ? 200 : kb === 2 ? 2000 : 600;
    const { score, noop } = await latency(mf, bodies[kb], pairs);
    const diff = score.map((s, i) => s - noop[i]);
    lat[kb] = {
      pairs,
      score: { p50: percentile(score, 50), p99: percentile(score, 99) },
      noop: { p50: percentile(noop, 50), p99: percentile(noop, 99) },
      diff: { p50: percentile(diff, 50), p99: percentile(diff, 99) },
    };
    const n = (QUICK ? 1000 : 5000) / (kb === 2 ? 1 : 10);
    loop[kb] = {};
    for (const only of ["featurize", "infer", "all"]) {
      const url = (calls) => `http://bench/loop?kb=${kb}&n=${calls}${only === "all" ? "" : `&only=${only}`}`;
      // Warm up first (JIT), so that short --quick loops measure the steady state too.
      await (await mf.dispatchFetch(url(n / 5))).text();
      const before = workerdCpuSeconds();
      const res = await mf.dispatchFetch(url(n));
      const { mean_ms } = await res.json();
      loop[kb][only] = { n, wall_mean_ms: mean_ms, cpu_ms: ((workerdCpuSeconds() - before) * 1000) / n };
    }
    const m = QUICK ? 300 : kb === 2 ? 3000 : 1000;
    const scoreCpu = await cpuPerRequest(mf, "/score", bodies[kb], m);
    const noopCpu = await cpuPerRequest(mf, "/noop", bodies[kb], m);
    lat[kb].cpu_ms_per_request = { score: scoreCpu, noop: noopCpu, screening: scoreCpu - noopCpu, requests: m };
  }
  const verdict = JSON.parse(await post(mf, "/score", bodies[2]));
  await mf.dispose();

  const out = {
    date: new Date().toISOString(),
    node: process.version,
    sizes: Object.fromEntries([bare, screening, ...(warden ? [warden] : [])].map((b) => [b.name, { raw: b.raw, gzip: b.gzip, wrangler: b.wranglerKiB }])),
    startup,
    first: { firstMs: median(first.map((f) => f.firstMs)), secondMs: median(first.map((f) => f.secondMs)), all: first },
    latency: lat,
    loop,
    sample_score_2kb: verdict.score,
  };
  console.log(JSON.stringify(out, null, 2));
  console.error(
    [
      `sizes gzip KiB: bare ${(out.sizes.bare.gzip / 1024).toFixed(1)}, screening ${(out.sizes.screening.gzip / 1024).toFixed(1)}${warden ? `, warden ${(out.sizes.warden.gzip / 1024).toFixed(1)}` : ""}`,
      `start-up profile ms: ${Object.entries(startup).map(([k, v]) => `${k} ${ms(v.profileMs)}`).join(", ")}`,
      `miniflare ready ms: ${Object.entries(startup).map(([k, v]) => `${k} ${ms(v.readyMs)}`).join(", ")}`,
      `first /score ${ms(out.first.firstMs)} ms, second ${ms(out.first.secondMs)} ms`,
      ...[2, 20].map((kb) => `${kb} KB: /score p50 ${ms(lat[kb].score.p50)} p99 ${ms(lat[kb].score.p99)}; /noop p50 ${ms(lat[kb].noop.p50)} p99 ${ms(lat[kb].noop.p99)}; diff p50 ${ms(lat[kb].diff.p50)} p99 ${ms(lat[kb].diff.p99)}; in-isolate CPU ms featurize ${ms(loop[kb].featurize.cpu_ms)} infer ${ms(loop[kb].infer.cpu_ms)} all ${ms(loop[kb].all.cpu_ms)} (wall mean ${ms(loop[kb].all.wall_mean_ms)}); workerd CPU ms/request score ${ms(lat[kb].cpu_ms_per_request.score)} noop ${ms(lat[kb].cpu_ms_per_request.noop)}`),
    ].join("\n"),
  );
}

await main();
