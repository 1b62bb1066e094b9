/**
 * Running Warden locally under `wrangler dev`, for `npm start`, the e2e tests and benchmarks:
 * free ports, starting and stopping wrangler (its own process group, so workerd stops too),
 * waiting for /healthz, and admin calls.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

export function portFree(port) {
  return new Promise((resolve) => {
    const probe = createServer()
      .once("error", () => resolve(false))
      .listen(port, "127.0.0.1", () => probe.close(() => resolve(true)));
  });
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const probe = createServer()
      .once("error", reject)
      .listen(0, "127.0.0.1", () => {
        const { port } = probe.address();
        probe.close(() => resolve(port));
      });
  });
}

/** `cwd` defaults to the repository; a benchmark may run a snapshot of it elsewhere. */
export function startWrangler({ port, inspectorPort, persistDir, vars, verbose = false, cwd = ROOT }) {
  const argv = ["dev", "--ip", "127.0.0.1", "--port", String(port), "--inspector-port", String(inspectorPort), "--persist-to", persistDir, "--show-interactive-dev-session=false"];
  for (const [k, v] of Object.entries(vars)) argv.push("--var", `${k}:${v}`);
  const child = spawn(join(ROOT, "node_modules", ".bin", "wrangler"), argv, {
    cwd,
    // Its own process group, so that stopping it stops workerd too.
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false", FORCE_COLOR: "0" },
  });
  const log = [];
  let echo = verbose;
  /** Per stream, what echoing shows of a chunk (echo's filter, one instance each). */
  const shown = { out: (t) => t, err: (t) => t };
  const onData = (stream) => (chunk) => {
    const text = chunk.toString();
    if (echo) process.stdout.write(shown[stream](text).replace(/^(?=.)/gm, "[wrangler] "));
    else log.push(text);
  };
  child.stdout.on("data", onData("out"));
  child.stderr.on("data", onData("err"));
  return {
    child,
    log: () => log.join(""),
    /** From now on pass wrangler's own output (request log) through, through `makeFilter()` per stream if given. */
    echo: (makeFilter) => {
      if (makeFilter) Object.assign(shown, { out: makeFilter(), err: makeFilter() });
      echo = true;
    },
    /**
     * Resolves when wrangler and everything in its process group (workerd) are gone: a restart
     * on the same port or `--persist-to` directory must not race the old workerd, which can
     * outlive wrangler by seconds on a loaded machine.
     */
    stop: async () => {
      const signalGroup = (signal) => {
        try {
          process.kill(-child.pid, signal);
          return true;
        } catch {
          return false; // ESRCH: no process of the group is left
        }
      };
      signalGroup("SIGTERM");
      const killAt = Date.now() + 5000;
      let killed = false;
      while (signalGroup(0)) {
        if (!killed && Date.now() > killAt) killed = signalGroup("SIGKILL") || true;
        await new Promise((r) => setTimeout(r, 100));
      }
      if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once("exit", r));
      if (port) while (!(await portFree(port))) await new Promise((r) => setTimeout(r, 100));
    },
  };
}

export async function waitForHealth(baseUrl, wrangler, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (wrangler.child.exitCode !== null) throw new Error(`wrangler dev exited (${wrangler.child.exitCode}):\n${wrangler.log()}`);
    try {
      const res = await fetch(`${baseUrl}/healthz`);
      if (res.status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  throw new Error(`Warden did not answer /healthz within ${timeoutMs / 1000} s:\n${wrangler.log()}`);
}

/** An admin call; one that gets no answer in `timeoutMs` fails at once (undici would wait 300 s) and says which. */
export async function adminCall(baseUrl, token, method, path, body, timeoutMs = 60_000) {
  const res = await fetch(`${baseUrl}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
    signal: AbortSignal.timeout(timeoutMs),
  }).catch((err) => {
    throw new Error(`admin ${method} ${path}: no answer (${err.name}: ${err.message})`, { cause: err });
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text };
}

