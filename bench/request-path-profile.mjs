#!/usr/bin/env node
/**
 * Where the request path's CPU goes: the real Warden bundle under Miniflare with the V8 inspector
 * on, a `full` tenant (as in bench/request-path.mjs), closed-loop load for a few seconds while the
 * CPU profiler samples the isolate (Worker and Durable Objects share it under Miniflare). Samples
 * are mapped back to source files through wrangler's source map and summed by file (self time)
 * and by pipeline stage (inclusive time of the stage's entry functions). Run from the repo root:
 *
 *   node bench/request-path-profile.mjs [--seconds 5] [--concurrency 8] [--workload chat] [--kind full] [--interval 100] [--weight delta|count] [--focus protect,metrics] [--incl forwardHeaders,nearest]
 *
 * `--focus` lists, for each named stage, the self time of the functions (native ones included)
 * that ran inside it, to see where a stage's own time goes. `--incl` prints the inclusive time of
 * functions by name (every sample with the name anywhere on its stack): one function's whole cost,
 * whichever stage the innermost file puts its callees in (the screening featurizer under
 * extraction's `textQueryFeatures` counts as "screen" by file).
 *
 * workerd's clock does not move while JavaScript runs, so Server-Timing cannot show compute; the
 * sampling profiler can. Numbers are ms of CPU per request, sampled (interval `--interval` µs).
 */
import { randomBytes } from "node:crypto";
import { readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import WebSocket from "ws";
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";
import { ROOT, WARDEN_DURABLE_OBJECTS, bundle, serve, startOrigin, wardenBindings } from "./lib/miniflare.mjs";
import { BODIES, PATHS, createTenant } from "./lib/tenants.mjs";

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const SECONDS = Number(opt("seconds", "5"));
const CONCURRENCY = Number(opt("concurrency", "8"));
const WORKLOAD = opt("workload", "chat");
const KIND = opt("kind", "full");
// Sampling interval, µs: short intervals slow the isolate down (more requests per sample, but each one costlier).
const INTERVAL = Number(opt("interval", "100"));
const OUT = join(ROOT, ".tmp/bench-request-path-profile");
const SHM = `/dev/shm/warden-request-path-profile-${process.pid}`;
const ADMIN_TOKEN = randomBytes(24).toString("base64url");
const INSPECTOR_PORT = 9300 + (process.pid % 500);

setTimeout(() => {
  console.error("profile: watchdog fired");
  process.exit(2);
}, (SECONDS + 240) * 1000).unref();

const { dir, modules, entry } = bundle(join(OUT, "warden"), join(ROOT, "wrangler.toml"));
const map = new TraceMap(readFileSync(join(dir, `${entry}.map`), "utf8"));
const origin = await startOrigin();
const { mf, base } = await serve({ dir, modules }, {
  inspectorPort: INSPECTOR_PORT,
  durableObjects: WARDEN_DURABLE_OBJECTS,
  durableObjectsPersist: SHM,
  bindings: wardenBindings(ADMIN_TOKEN),
});
const cleanup = async () => {
  await mf.dispose().catch(() => {});
  origin.child.kill("SIGTERM");
  rmSync(SHM, { recursive: true, force: true });
};
const keys = await createTenant({ base, adminToken: ADMIN_TOKEN, id: "prof", kind: KIND, originUrl: origin.url, keys: 16 });

let counter = 0;
async function load(seconds) {
  const end = performance.now() + seconds * 1000;
  let n = 0;
  const statuses = {};
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (performance.now() < end) {
        const i = counter++;
        const res = await fetch(`${base}/t/prof${PATHS[WORKLOAD]}`, {
          method: "POST",
          headers: { authorization: `Bearer ${keys[i % keys.length]}`, "content-type": "application/json" },
          body: JSON.stringify(BODIES[WORKLOAD](i)),
        });
        await res.text();
        statuses[res.status] = (statuses[res.status] ?? 0) + 1;
        n++;
      }
    }),
  );
  return { n, statuses };
}

await load(2); // warm: objects, JIT, screening model

const targets = await (await fetch(`http://127.0.0.1:${INSPECTOR_PORT}/json`)).json();
const target = targets.find((t) => /core:user/.test(t.id ?? "") || /core:user/.test(t.title ?? "")) ?? targets[0];
const ws = new WebSocket(target.webSocketDebuggerUrl);
await new Promise((ok, fail) => ws.once("open", ok).once("error", fail));
let seq = 0;
const pending = new Map();
ws.on("message", (raw) => {
  const m = JSON.parse(raw.toString());
  if (m.id && pending.has(m.id)) {
    pending.get(m.id)(m);
    pending.delete(m.id);
  }
});
const send = (method, params = {}) => new Promise((ok) => {
  const id = ++seq;
  pending.set(id, ok);
  ws.send(JSON.stringify({ id, method, params }));
});
await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: INTERVAL });
await send("Profiler.start");
const { n, statuses } = await load(SECONDS);
const { result } = await send("Profiler.stop");
ws.close();
await cleanup();

// ---------------------------------------------------------------- aggregate
const profile = result.profile;
const nodes = new Map(profile.nodes.map((x) => [x.id, x]));
const parent = new Map();
for (const x of profile.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const dt = new Map();
// `--weight count` counts every sample as the median time between samples instead of the wall time
// since the previous one: on a loaded machine the isolate's thread is descheduled between samples,
// and that time would land on whatever function the next sample finds (a 3-line helper showed
// 0.1 ms/request). The sampler's real period is not `--interval` (workerd samples more coarsely).
const WEIGHT = opt("weight", "delta");
const medianDelta = [...profile.timeDeltas].sort((a, b) => a - b)[profile.timeDeltas.length >> 1] ?? 0;
for (let i = 0; i < profile.samples.length; i++) {
  const w = WEIGHT === "count" ? medianDelta : (profile.timeDeltas[i] ?? 0);
  dt.set(profile.samples[i], (dt.get(profile.samples[i]) ?? 0) + w);
}

const sourceOf = new Map();
function source(node) {
  if (sourceOf.has(node.id)) return sourceOf.get(node.id);
  const cf = node.callFrame;
  let s;
  if (!cf.url) s = cf.functionName ? `(native) ${cf.functionName}` : "(program/idle/gc)";
  else if (cf.url.endsWith(entry)) {
    const p = originalPositionFor(map, { line: cf.lineNumber + 1, column: Math.max(0, cf.columnNumber) });
    s = (p.source ?? "?").replace(/^.*?(worker|durable-objects|node_modules)\//, "$1/");
    if (s.startsWith("node_modules/")) s = s.split("/").slice(0, s.startsWith("node_modules/@") ? 3 : 2).join("/");
  } else s = cf.url;
  sourceOf.set(node.id, s);
  return s;
}

const bySelf = new Map();
let total = 0;
let idle = 0;
for (const [id, us] of dt) {
  const node = nodes.get(id);
  const name = node.callFrame.functionName;
  if (name === "(idle)" || name === "(program)") {
    idle += us;
    continue;
  }
  total += us;
  const s = name === "(garbage collector)" ? "(gc)" : source(node);
  bySelf.set(s, (bySelf.get(s) ?? 0) + us);
}

// Inclusive time of stage entry points: the first matching ancestor frame names the stage.
const STAGE_FILES = [
  ["auth", /worker\/pipeline\/auth\.ts|worker\/auth\//],
  ["screen", /worker\/pipeline\/screen\.ts|worker\/screen\//],
  ["extraction", /worker\/pipeline\/extraction\.ts|worker\/extraction\/|durable-objects\/signals/],
  ["budget (worker)", /worker\/pipeline\/budget/],
  ["budget (object)", /durable-objects\/budget|worker\/budget\//],
  ["tenant object", /durable-objects\/tenant|durable-objects\/directory/],
  ["metrics", /worker\/metrics|durable-objects\/metrics/],
  ["audit", /worker\/audit|durable-objects\/audit/],
  ["forward", /worker\/origin\/forward\.ts|worker\/http\/body\.ts/],
  ["protect", /worker\/pipeline\/protect|worker\/protect\/|worker\/pipeline\/sse|worker\/pipeline\/output-noise|worker\/pipeline\/protection-keys/],
  ["validate", /worker\/protocols\/|worker\/pipeline\/request-protection|worker\/config\//],
  ["run/app/hono", /worker\/pipeline\/run\.ts|worker\/app\.ts|worker\/dataplane\.ts|node_modules\/hono/],
];
const byStage = new Map();
// `--detail` is the same option under the name one section of RESULTS.md used.
const FOCUS = (opt("focus", "") || opt("detail", "")).split(",").filter(Boolean);
const inStage = new Map(FOCUS.map((f) => [f, new Map()]));
for (const [id, us] of dt) {
  const node = nodes.get(id);
  const name = node.callFrame.functionName;
  if (name === "(idle)" || name === "(program)") continue;
  let stage = null;
  let outer = null;
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const s = source(nodes.get(cur));
    for (const [label, re] of STAGE_FILES) if (re.test(s)) outer = label;
    if (!stage) for (const [label, re] of STAGE_FILES) if (re.test(s) && label !== "run/app/hono") { stage = label; break; }
  }
  const key = stage ?? outer ?? (name === "(garbage collector)" ? "(gc)" : "other (runtime, zod, jose, …)");
  byStage.set(key, (byStage.get(key) ?? 0) + us);
  const focus = inStage.get(FOCUS.find((f) => key.startsWith(f)));
  if (focus) {
    const cf = node.callFrame;
    let k;
    if (name === "(garbage collector)") k = "(gc)";
    else if (cf.url?.endsWith(entry)) {
      const p = originalPositionFor(map, { line: cf.lineNumber + 1, column: Math.max(0, cf.columnNumber) });
      k = `${name || "(anonymous)"} ${source(node)}:${p.line ?? "?"}`;
    } else {
      // A native or runtime frame: name the nearest bundle frame that called it.
      let caller = parent.get(id);
      while (caller !== undefined && !nodes.get(caller).callFrame.url?.endsWith(entry)) caller = parent.get(caller);
      const pc = caller === undefined ? null : nodes.get(caller).callFrame;
      const p = pc ? originalPositionFor(map, { line: pc.lineNumber + 1, column: Math.max(0, pc.columnNumber) }) : null;
      k = `${source(node)} ← ${pc ? `${pc.functionName || "(anonymous)"} ${source(nodes.get(caller))}:${p.line ?? "?"}` : "?"}`;
    }
    focus.set(k, (focus.get(k) ?? 0) + us);
  }
}

// Self time by function (name and source line), to see inside a file that stands out.
const byFunction = new Map();
for (const [id, us] of dt) {
  const node = nodes.get(id);
  const cf = node.callFrame;
  if (cf.functionName === "(idle)" || cf.functionName === "(program)" || !cf.url?.endsWith(entry)) continue;
  const p = originalPositionFor(map, { line: cf.lineNumber + 1, column: Math.max(0, cf.columnNumber) });
  const k = `${cf.functionName || "(anonymous)"} ${source(node)}:${p.line ?? "?"}`;
  byFunction.set(k, (byFunction.get(k) ?? 0) + us);
}

// Native frames (exec, get, fetch, …) by the Warden function that called them: which statement, which getter.
const byNativeCaller = new Map();
for (const [id, us] of dt) {
  const cf = nodes.get(id).callFrame;
  if (cf.url || !cf.functionName || cf.functionName.startsWith("(")) continue;
  let caller = parent.get(id);
  while (caller !== undefined && !nodes.get(caller).callFrame.url?.endsWith(entry)) caller = parent.get(caller);
  if (caller === undefined) continue;
  const pc = nodes.get(caller).callFrame;
  const p = originalPositionFor(map, { line: pc.lineNumber + 1, column: Math.max(0, pc.columnNumber) });
  let k = `(native) ${cf.functionName} ← ${pc.functionName || "(anonymous)"} ${source(nodes.get(caller))}:${p.line ?? "?"}`;
  // A shared helper (sql-batch.ts) says little: name its caller too.
  const up = parent.get(caller);
  if (/sql-batch/.test(source(nodes.get(caller))) && up !== undefined && nodes.get(up).callFrame.url?.endsWith(entry))
    k += ` ← ${nodes.get(up).callFrame.functionName || "(anonymous)"} ${source(nodes.get(up))}`;
  byNativeCaller.set(k, (byNativeCaller.get(k) ?? 0) + us);
}

const ms = (us) => (us / 1000 / n).toFixed(3);
console.log(`profile: ${KIND} ${WORKLOAD}, concurrency ${CONCURRENCY}, ${SECONDS} s, ${n} requests (${Object.entries(statuses).map(([s, c]) => `${s}:${c}`).join(" ")}), sampled JS CPU ${ms(total)} ms/req (idle ${ms(idle)})`);
console.log("\nby stage (innermost pipeline file on the stack), ms/req:");
for (const [k, us] of [...byStage].sort((a, b) => b[1] - a[1])) console.log(`  ${k.padEnd(32)} ${ms(us)}`);
console.log("\nby source file (self time), top 30, ms/req:");
for (const [k, us] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${k.padEnd(60)} ${ms(us)}`);
console.log("\nby function (self time), top 25, ms/req:");
for (const [k, us] of [...byFunction].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`  ${k.padEnd(80)} ${ms(us)}`);
console.log("\nnative frames by calling function, top 15, ms/req:");
for (const [k, us] of [...byNativeCaller].sort((a, b) => b[1] - a[1]).slice(0, 15)) console.log(`  ${k.padEnd(96)} ${ms(us)}`);
for (const [stage, m] of inStage) {
  console.log(`\ninside stage ${stage} (self time by function), top 30, ms/req:`);
  for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, 30)) console.log(`  ${k.padEnd(110)} ${ms(us)}`);
}
const INCL = opt("incl", "").split(",").filter(Boolean);
if (INCL.length) console.log("\ninclusive time by function name, ms/req:");
for (const fname of INCL) {
  let us = 0;
  for (const [id, t] of dt) {
    const name = nodes.get(id).callFrame.functionName;
    if (name === "(idle)" || name === "(program)") continue;
    for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
      if (nodes.get(cur).callFrame.functionName === fname) {
        us += t;
        break;
      }
    }
  }
  console.log(`  inclusive ${fname}: ${ms(us)}`);
}
process.exit(0);
