/**
 * Where the in-isolate screening CPU goes: the bench Worker's GET /loop (a whole screenTexts call,
 * or one part with ONLY=) run for a few seconds in one workerd with the V8 inspector on while the
 * CPU profiler samples it. Self time by function (source line through the bundle's source map;
 * onnxruntime's WebAssembly frames by wasm function), and inclusive time of the screening steps.
 *
 *   node_modules/.bin/wrangler deploy --dry-run -c bench/screening/wrangler.toml --outdir DIR
 *   nice -n 10 node bench/screening/profile.mjs DIR   [KB=2 N=3000 ONLY=windows INTERVAL=50 TOP=30]
 *
 * Numbers are µs of sampled CPU per call; V8 inlines small functions into their callers, so a
 * line's self time includes what was inlined there.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";
import WebSocket from "ws";
import { TraceMap, originalPositionFor } from "@jridgewell/trace-mapping";

const ROOT = resolve(import.meta.dirname, "../..");
const dir = resolve(process.argv[2] ?? "");
const KB = Number(process.env.KB ?? 2);
const N = Number(process.env.N ?? (KB >= 20 ? 300 : 3000));
const ONLY = process.env.ONLY ?? "";
const INTERVAL = Number(process.env.INTERVAL ?? 50);
const TOP = Number(process.env.TOP ?? 30);
const PORT = 9300 + (process.pid % 500);
const PUBLIC_KEY = existsSync(join(dir, "public-key"))
  ? readFileSync(join(dir, "public-key"), "utf8").trim()
  : /^MODEL_MANIFEST_PUBLIC_KEY = '(.*)'$/m.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))?.[1];

setTimeout(() => {
  console.error("profile: watchdog fired");
  process.exit(2);
}, 300_000).unref();

const files = readdirSync(dir).filter((f) => !f.endsWith(".map") && f !== "README.md" && f !== "public-key");
const modules = files.map((f) => ({ type: f.endsWith(".wasm") ? "CompiledWasm" : f.endsWith(".onnx") ? "Data" : "ESModule", path: join(dir, f) }));
modules.sort((a, b) => Number(b.type === "ESModule") - Number(a.type === "ESModule"));
const mf = new Miniflare({ modules, modulesRoot: dir, compatibilityDate: "2026-04-26", inspectorPort: PORT, bindings: PUBLIC_KEY ? { MODEL_MANIFEST_PUBLIC_KEY: PUBLIC_KEY } : {} });
await mf.ready;
const loop = async (n) => (await mf.dispatchFetch(`http://b/loop?kb=${KB}&n=${n}${ONLY ? `&only=${ONLY}` : ""}`)).json();
await loop(Math.ceil(N / 5)); // warm: model, JIT

const map = new TraceMap(readFileSync(join(dir, "worker.js.map"), "utf8"));
const targets = await (await fetch(`http://127.0.0.1:${PORT}/json`)).json();
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
const send = (method, params = {}) =>
  new Promise((ok) => {
    const id = ++seq;
    pending.set(id, ok);
    ws.send(JSON.stringify({ id, method, params }));
  });
await send("Profiler.enable");
await send("Profiler.setSamplingInterval", { interval: INTERVAL });
await send("Profiler.start");
const timed = await loop(N);
const { result } = await send("Profiler.stop");
ws.close();
await mf.dispose();

const profile = result.profile;
const nodes = new Map(profile.nodes.map((x) => [x.id, x]));
const parent = new Map();
for (const x of profile.nodes) for (const c of x.children ?? []) parent.set(c, x.id);
const self = new Map();
for (let i = 0; i < profile.samples.length; i++) self.set(profile.samples[i], (self.get(profile.samples[i]) ?? 0) + (profile.timeDeltas[i] ?? 0));

const labelOf = new Map();
function label(id) {
  if (labelOf.has(id)) return labelOf.get(id);
  const cf = nodes.get(id).callFrame;
  let s;
  if (cf.url?.endsWith("worker.js")) {
    const p = originalPositionFor(map, { line: cf.lineNumber + 1, column: Math.max(0, cf.columnNumber) });
    s = `${cf.functionName || "(anonymous)"} ${(p.source ?? "?").replace(/^.*?(worker|bench|node_modules)\//, "$1/")}:${p.line ?? "?"}`;
  } else if (cf.url?.startsWith("wasm")) s = `(wasm) ${cf.functionName}`;
  else s = cf.url ? `${cf.functionName} ${cf.url}` : cf.functionName || "(program)";
  labelOf.set(id, s);
  return s;
}

let total = 0;
const bySelf = new Map();
const inclusive = new Map();
const STEPS = [/^normalize /, /^withScreeningRows /, /^packRowsPooled /, /^screeningWindows /, /^screeningPlan /, /^soupScore /, /^soupLogit /, /^packPooled /, /^runScreen /, /^\(wasm\)/, /onnxruntime-web/, /^scoreTexts /, /^emit /, /^tokens /, /^stretches /];
for (const [id, us] of self) {
  const name = nodes.get(id).callFrame.functionName;
  if (name === "(idle)" || name === "(program)") continue;
  total += us;
  const l = label(id);
  bySelf.set(l, (bySelf.get(l) ?? 0) + us);
  const seen = new Set();
  for (let cur = id; cur !== undefined; cur = parent.get(cur)) {
    const lc = label(cur);
    for (const re of STEPS) if (re.test(lc) && !seen.has(re.source)) {
      seen.add(re.source);
      inclusive.set(re.source, (inclusive.get(re.source) ?? 0) + us);
    }
  }
}
const per = (us) => (us / N).toFixed(1).padStart(7);
console.log(`profile: ${KB} KB, ${N} calls${ONLY ? ` of ${ONLY}` : ""}, loop ${timed.mean_ms} ms/call (workerd clock), sampled ${per(total)} µs/call`);
console.log("\ninclusive, µs/call:");
for (const [k, us] of [...inclusive].sort((a, b) => b[1] - a[1])) console.log(`  ${per(us)}  ${k}`);
console.log(`\nself time, top ${TOP}, µs/call:`);
for (const [k, us] of [...bySelf].sort((a, b) => b[1] - a[1]).slice(0, TOP)) console.log(`  ${per(us)}  ${k}`);
