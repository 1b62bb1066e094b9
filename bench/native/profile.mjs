#!/usr/bin/env node
/**
 * Where workerd's CPU goes, JavaScript and runtime alike: serves one request-path target (bare,
 * or a Warden tenant kind of bench/lib/tenants.mjs: minimal, full, full-<feature>), puts it under
 * closed-loop load, and records the workerd process with Linux `perf` (frame-pointer call graphs;
 * workerd's binary keeps its symbols). The V8 sampling profiler (bench/request-path-profile.mjs)
 * sees only JavaScript and the native calls it makes, about half of the process's CPU per request;
 * this sees the rest too: HTTP, RPC dispatch, storage commits, GC threads, the kernel.
 *
 *   npm run bench:native -- [--kind full|minimal|bare|full-extraction|…] [--workload chat|oip] [--concurrency 32] [--seconds 10]
 *
 * Needs `perf` (Debian: linux-perf) and perf_event_paranoid ≤ 2. Prints a summary by component
 * (bench/native/summarize.mjs) and leaves the raw `perf script` text in .tmp/bench-native/.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import { ROOT, WARDEN_DURABLE_OBJECTS, bundle, cpuSeconds, serve, startOrigin, wardenBindings } from "../lib/miniflare.mjs";
import { BODIES, KINDS, PATHS, createTenant } from "../lib/tenants.mjs";
import { summarize } from "./summarize.mjs";

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const KIND = opt("kind", "full");
const WORKLOAD = opt("workload", "chat");
const CONCURRENCY = Number(opt("concurrency", "32"));
const SECONDS = Number(opt("seconds", "10"));
const KEYS = 16;
const OUT = join(ROOT, ".tmp/bench-native");
const SHM = `/dev/shm/warden-native-${process.pid}`;
if (KIND !== "bare" && !KINDS.includes(KIND)) throw new Error(`--kind: bare or one of ${KINDS.join(", ")}`);
const ADMIN_TOKEN = randomBytes(24).toString("base64url");

setTimeout(() => {
  console.error("native profile: watchdog fired");
  process.exit(2);
}, (SECONDS * 3 + 240) * 1000).unref();

mkdirSync(OUT, { recursive: true });
const origin = await startOrigin();
let target;
if (KIND === "bare") {
  const b = bundle(join(OUT, "bare"), join(ROOT, "bench/request-path/wrangler.toml"));
  const s = await serve(b, { bindings: { ORIGIN_URL: origin.url } });
  target = { ...s, tenant: "bare", keys: ["none"] };
} else {
  const b = bundle(join(OUT, "warden"), join(ROOT, "wrangler.toml"));
  const s = await serve(b, { durableObjects: WARDEN_DURABLE_OBJECTS, durableObjectsPersist: SHM, bindings: wardenBindings(ADMIN_TOKEN) });
  const keys = await createTenant({ base: s.base, adminToken: ADMIN_TOKEN, id: KIND, kind: KIND, originUrl: origin.url, keys: KEYS });
  target = { ...s, tenant: KIND, keys };
}
const cleanup = async () => {
  await target.mf.dispose().catch(() => {});
  origin.child.kill("SIGTERM");
  rmSync(SHM, { recursive: true, force: true });
};

let counter = 0;
async function load(seconds) {
  const url = `${target.base}/t/${target.tenant}${PATHS[WORKLOAD]}`;
  const end = performance.now() + seconds * 1000;
  let n = 0;
  let bad = 0;
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const i = counter++;
        const res = await fetch(url, {
          method: "POST",
          headers: { authorization: `Bearer ${target.keys[i % target.keys.length]}`, "content-type": "application/json" },
          body: JSON.stringify(BODIES[WORKLOAD](i)),
        });
        await res.text();
        if (res.status !== 200) bad++;
        n++;
      }
    }),
  );
  return { n, bad };
}

try {
  await load(2); // warm: the model loaded, caches filled, objects created
  if (target.pids.length !== 1) throw new Error(`expected one workerd process, found ${target.pids.length}`);
  const pid = target.pids[0];
  const data = join(OUT, `perf-${KIND}-${WORKLOAD}.data`);
  const perf = spawn("perf", ["record", "-F", "999", "-g", "--call-graph", "fp", "-p", String(pid), "-o", data, "--", "sleep", String(SECONDS)], { stdio: ["ignore", "ignore", "pipe"] });
  let perfErr = "";
  perf.stderr.on("data", (d) => (perfErr += d));
  const cpu0 = cpuSeconds(pid);
  const { n, bad } = await load(SECONDS);
  const cpuMs = (cpuSeconds(pid) - cpu0) * 1000;
  await new Promise((ok) => perf.once("exit", ok));
  if (bad) console.error(`${bad} of ${n} requests were not 200`);
  const script = execFileSync("perf", ["script", "-i", data, "-F", "tid,ip,sym"], { maxBuffer: 1 << 30, stdio: ["ignore", "pipe", "ignore"] }).toString();
  writeFileSync(join(OUT, `script-${KIND}-${WORKLOAD}.txt`), script);
  console.log(`native profile: ${KIND} ${WORKLOAD}, c=${CONCURRENCY}, ${SECONDS} s, ${n} requests, ${(n / SECONDS).toFixed(0)} req/s, workerd CPU ${(cpuMs / n).toFixed(3)} ms/req`);
  console.log(summarize(script, cpuMs / n));
  if (perfErr.trim()) console.error(perfErr.trim().split("\n").slice(-2).join("\n"));
} finally {
  await cleanup();
}
