/**
 * A/B of the in-isolate screening work (GET /loop of bench/screening/worker.ts) between bundles,
 * e.g. before and after a featurizer change, measured the way run.mjs measures it (workerd CPU
 * time from /proc around long loops, after a warm-up), alternating the bundles for 3 rounds.
 *
 *   node_modules/.bin/wrangler deploy --dry-run -c bench/screening/wrangler.toml --outdir $PWD/.tmp/ab/old
 *   (change the code)  ... --outdir $PWD/.tmp/ab/new
 *   node bench/screening/loop-ab.mjs .tmp/ab/old .tmp/ab/new
 *
 * A bundle of another checkout whose manifest another key signed: put that key (the JWK of its
 * wrangler.toml MODEL_MANIFEST_PUBLIC_KEY) into DIR/public-key.
 *
 * Prints CPU ms per call: featurize only, inference only, both (median of the rounds, and all).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";
const ROOT = resolve(import.meta.dirname, "../..");
const PUBLIC_KEY = /^MODEL_MANIFEST_PUBLIC_KEY = '(.*)'$/m.exec(readFileSync(join(ROOT, "wrangler.toml"), "utf8"))?.[1];
/** A bundle built from another checkout (signed with that checkout's key) carries the key in DIR/public-key. */
const keyOf = (dir) => (existsSync(join(dir, "public-key")) ? readFileSync(join(dir, "public-key"), "utf8").trim() : PUBLIC_KEY);
function cpu() { let t = 0; for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) { let s; try { s = readFileSync(`/proc/${pid}/stat`, "utf8"); } catch { continue; } const comm = s.slice(s.indexOf("(") + 1, s.lastIndexOf(")")); const f = s.slice(s.lastIndexOf(")") + 2).split(" "); if (comm !== "workerd" || Number(f[1]) !== process.pid) continue; t += (Number(f[11]) + Number(f[12])) / 100; } return t; }
function mf(dir) {
  const files = readdirSync(dir).filter((f) => !f.endsWith(".map") && f !== "README.md" && f !== "public-key");
  const modules = files.map((f) => ({ type: f.endsWith(".wasm") ? "CompiledWasm" : f.endsWith(".onnx") ? "Data" : "ESModule", path: join(dir, f) }));
  modules.sort((a, b) => Number(b.type === "ESModule") - Number(a.type === "ESModule"));
  return new Miniflare({ modules, modulesRoot: dir, compatibilityDate: "2026-04-26", bindings: keyOf(dir) ? { MODEL_MANIFEST_PUBLIC_KEY: keyOf(dir) } : {} });
}
const res = {};
for (let round = 0; round < 3; round++) for (const name of process.argv.slice(2)) {
  const m = mf(resolve(name)); await m.ready;
  for (const kb of [2, 20]) for (const only of ["featurize", "infer", "all"]) {
    const n = kb === 2 ? 4000 : 400;
    await (await m.dispatchFetch(`http://b/loop?kb=${kb}&n=${n / 10}${only === "all" ? "" : `&only=${only}`}`)).text();
    const before = cpu();
    await (await m.dispatchFetch(`http://b/loop?kb=${kb}&n=${n}${only === "all" ? "" : `&only=${only}`}`)).text();
    (res[`${name} ${kb}KB ${only}`] ??= []).push(+((cpu() - before) * 1000 / n).toFixed(3));
  }
  await m.dispose();
}
const median = (xs) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
for (const [k, v] of Object.entries(res)) console.log(`${k}: ${median(v)} ms CPU (${v.join(", ")})`);
