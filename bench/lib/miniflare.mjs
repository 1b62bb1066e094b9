/**
 * What every Miniflare bench shares: bundle a Worker as `wrangler deploy --dry-run` writes it, serve
 * the bundle with Miniflare on 127.0.0.1 (workerd directly, no wrangler dev proxy in front), start
 * the demo origin in its own process, and read a process's CPU time from /proc.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { Miniflare } from "miniflare";

export const ROOT = resolve(import.meta.dirname, "../..");
const ENV = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };

/**
 * Bundles `config` (a wrangler.toml) into `dir` with the wrangler of `root`; returns the module list
 * Miniflare needs (the entry first) and the entry's file name (its source map sits beside it).
 */
export function bundle(dir, config, root = ROOT) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  execFileSync(join(root, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", dir, "-c", config], { cwd: root, env: ENV, stdio: ["ignore", "pipe", "pipe"] });
  const files = readdirSync(dir).filter((f) => !f.endsWith(".map") && f !== "README.md");
  const modules = files
    .map((f) => ({ type: f.endsWith(".wasm") ? "CompiledWasm" : f.endsWith(".onnx") ? "Data" : "ESModule", path: join(dir, f) }))
    // The entry (the one .js file wrangler writes) must come first.
    .sort((a, b) => Number(b.type === "ESModule") - Number(a.type === "ESModule"));
  return { dir, modules, entry: files.find((f) => f.endsWith(".js")) };
}

/** The demo origin in its own process (token delay 0), so its event loop is not the load generator's. */
export async function startOrigin() {
  const child = spawn(process.execPath, [join(ROOT, "scripts/demo-origin/server.mjs"), "--port", "0", "--token-delay-ms", "0"], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise((ok, fail) => {
    let out = "";
    child.stdout.on("data", (d) => {
      out += d;
      const m = /listening on (\S+)/.exec(out);
      if (m) ok(m[1]);
    });
    child.once("exit", (code) => fail(new Error(`demo origin exited (${code})`)));
  });
  return { child, url };
}

/** CPU seconds (user + system) of one process, from /proc. */
export function cpuSeconds(pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    const f = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(f[11]) + Number(f[12])) / 100; // USER_HZ
  } catch {
    return 0;
  }
}

function workerdChildren() {
  const pids = new Set();
  for (const pid of readdirSync("/proc").filter((d) => /^\d+$/.test(d))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const ppid = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (comm === "workerd" && ppid === process.pid) pids.add(pid);
    } catch {
      // the process ended while we looked
    }
  }
  return pids;
}

/** Starts a Miniflare on a bundle; returns it, its base URL and the workerd processes it started. */
export async function serve(b, options = {}) {
  const before = workerdChildren();
  const mf = new Miniflare({
    modules: b.modules,
    modulesRoot: b.dir,
    compatibilityDate: "2026-04-26",
    compatibilityFlags: ["enable_request_signal"],
    host: "127.0.0.1",
    port: 0,
    // workerd's stdout carries the operator log lines (one `inference.settled` per request):
    // drained here, not relayed line by line through this process, which is also the load
    // generator — in production no such relay shares the Worker's cores. Their cost inside
    // workerd (console.log) is still counted; stderr (warnings, errors) is relayed as before.
    handleRuntimeStdio(stdout, stderr) {
      stdout.resume();
      stderr.pipe(process.stderr);
    },
    ...options,
  });
  const base = (await mf.ready).toString().replace(/\/$/, "");
  const pids = [...workerdChildren()].filter((p) => !before.has(p));
  return { mf, base, pids };
}

/** Warden's Durable Object bindings, as wrangler.toml declares them. */
export const WARDEN_DURABLE_OBJECTS = Object.fromEntries(
  [
    ["TENANTS", "TenantObject"],
    ["DIRECTORY", "DirectoryObject"],
    ["BUDGETS", "BudgetObject"],
    ["AUDIT", "AuditObject"],
    ["SIGNALS", "SignalsObject"],
    ["METRICS", "MetricsObject"],
  ].map(([binding, className]) => [binding, { className, useSQLite: true }]),
);

/** Warden's secrets and vars for a bench run: a fresh master key, loopback origins allowed, the model manifest key of `root`. */
export function wardenBindings(adminToken, root = ROOT) {
  const publicKey = /^MODEL_MANIFEST_PUBLIC_KEY = '(.*)'$/m.exec(readFileSync(join(root, "wrangler.toml"), "utf8"))?.[1];
  return {
    ADMIN_TOKEN: adminToken,
    MASTER_KEY: randomBytes(32).toString("base64"),
    ALLOW_LOOPBACK_ORIGINS: "true",
    ...(publicKey ? { MODEL_MANIFEST_PUBLIC_KEY: publicKey } : {}),
  };
}
