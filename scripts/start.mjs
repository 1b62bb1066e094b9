#!/usr/bin/env node
/**
 * `npm start`: Warden on this machine with a demo origin, a demo tenant and a demo key.
 *
 *   npm start                  run in the foreground until Ctrl-C
 *   npm start -- --check       start everything in a fresh state directory, run the printed
 *                              examples exactly as printed, stop, exit 0 (all worked) or 1
 *   options: --port N (Warden; default 8787, or a free port if 8787 is taken),
 *            --persist-to DIR (default .wrangler/state), --verbose (show wrangler's output from the start)
 *
 * Steps: secrets (ADMIN_TOKEN, MASTER_KEY from the environment, else the ones generated on an
 * earlier run and kept beside the persisted state — data sealed under MASTER_KEY stays readable
 * across restarts — else 32 fresh random bytes each); the demo origin (scripts/demo-origin) on a
 * free 127.0.0.1 port; `wrangler dev` with those secrets as vars; wait for /healthz; create the
 * tenant "demo" (409 → merge-patch); reuse the earlier run's demo key while it works, else
 * issue one and revoke the older ones; print how to call it.
 */
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDemoOrigin } from "./demo-origin/server.mjs";
import { demoTenant, DEMO_TENANT_ID } from "./demo-tenant.mjs";
import { demoExamples } from "./demo-examples.mjs";
import { adminCall, freePort, portFree, ROOT, startWrangler, waitForHealth } from "./lib/local-warden.mjs";
import { runtimeNoiseFilter } from "./lib/runtime-noise.mjs";

const args = process.argv.slice(2);
const CHECK = args.includes("--check");
const VERBOSE = args.includes("--verbose");
const option = (name) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : undefined;
};

/** Secrets: environment first, then the ones generated on an earlier run, else new ones (kept for next time). */
function secrets(persistDir) {
  const file = join(persistDir, "warden-demo-secrets.json");
  const kept = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : {};
  const generated = {};
  const pick = (name, make) => process.env[name] || kept[name] || (generated[name] = make());
  const out = {
    ADMIN_TOKEN: pick("ADMIN_TOKEN", () => randomBytes(32).toString("base64url")),
    MASTER_KEY: pick("MASTER_KEY", () => randomBytes(32).toString("base64")),
  };
  if (Object.keys(generated).length > 0) {
    mkdirSync(persistDir, { recursive: true });
    writeFileSync(file, JSON.stringify({ ...kept, ...generated }, null, 2) + "\n", { mode: 0o600 });
  }
  return out;
}

/** Create the demo tenant, or bring an existing one (an earlier run's) up to date. */
async function configure(baseUrl, token, originUrl) {
  const tenant = demoTenant(originUrl);
  let res = await adminCall(baseUrl, token, "POST", "/tenants", tenant);
  if (res.status === 409) {
    const { id: _id, ...patch } = tenant;
    res = await adminCall(baseUrl, token, "PATCH", `/tenants/${DEMO_TENANT_ID}`, patch);
  }
  if (res.status !== 201 && res.status !== 200) throw new Error(`configuring the demo tenant failed: ${res.status} ${res.text}`);
  return demoKey(baseUrl, token);
}

const DEMO_KEY_NAME = "demo key (npm start)";

/**
 * One demo key at a time: the key of an earlier run, kept (mode 0600) beside the state it is
 * valid in, while it still works; otherwise a new one, and every other demo key is revoked, so
 * restarts do not leave a trail of live keys behind.
 */
async function demoKey(baseUrl, token) {
  const file = keyFile();
  const kept = file && existsSync(file) ? readFileSync(file, "utf8").trim() : "";
  const listed = await adminCall(baseUrl, token, "GET", `/tenants/${DEMO_TENANT_ID}/keys`);
  const demoKeys = (listed.body?.items ?? []).filter((k) => k.name === DEMO_KEY_NAME || String(k.name).startsWith("demo key (npm start"));
  const keptId = kept.split(".")[2];
  if (kept && demoKeys.some((k) => k.id === keptId && !k.revoked_at)) {
    const probe = await fetch(`${baseUrl}/t/${DEMO_TENANT_ID}/v1/models`, { headers: { authorization: `Bearer ${kept}` } });
    await probe.body?.cancel();
    if (probe.status === 200) return kept;
  }
  const issued = await adminCall(baseUrl, token, "POST", `/tenants/${DEMO_TENANT_ID}/keys`, { name: DEMO_KEY_NAME });
  if (issued.status !== 201 || typeof issued.body?.key !== "string") throw new Error(`issuing the demo key failed: ${issued.status} ${issued.text}`);
  for (const old of demoKeys) if (!old.revoked_at) await adminCall(baseUrl, token, "DELETE", `/tenants/${DEMO_TENANT_ID}/keys/${old.id}`);
  if (file) writeFileSync(file, `${issued.body.key}\n`, { mode: 0o600 });
  return issued.body.key;
}

function banner({ baseUrl, adminToken, key, examples, persistDir }) {
  const line = "─".repeat(72);
  const out = [
    line,
    "Warden is running (wrangler dev) in front of the demo origin.",
    "",
    `  Base URL        ${baseUrl}`,
    `  Tenant          ${DEMO_TENANT_ID}  (data plane: ${baseUrl}/t/${DEMO_TENANT_ID}/...)`,
    `  Demo API key    ${key}`,
    `  Admin token     ${adminToken}`,
    `  Admin console   ${baseUrl}/admin/  (sign in with the admin token)`,
    `  State           ${persistDir}`,
    "",
  ];
  for (const ex of examples) out.push(`# ${ex.title}`, ex.command, "");
  out.push(`Admin API: curl -sS ${baseUrl}/admin/v1/tenants/${DEMO_TENANT_ID} -H "authorization: Bearer ${adminToken}"`, "Ctrl-C stops Warden and the demo origin.", line);
  return out.join("\n");
}

/** Run a shell command without blocking this process (the demo origin answers from it). */
function sh(command) {
  return new Promise((resolve) => {
    const child = spawn("bash", ["-c", command], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.once("close", (status) => {
      clearTimeout(timer);
      resolve({ status, stdout, stderr });
    });
  });
}

async function runExamples(examples) {
  let ok = true;
  for (const ex of examples) {
    const run = await sh(ex.command);
    const title = ex.title.split("\n")[0];
    try {
      if (run.status !== 0) throw new Error(`exit ${run.status}: ${run.stderr || run.stdout}`);
      console.log(`ok    ${title} → ${ex.check(run.stdout)}`);
    } catch (err) {
      ok = false;
      console.log(`FAIL  ${title} → ${err.message}`);
    }
  }
  return ok;
}

let keyFile = () => null;

async function main() {
  const persistDir = CHECK ? mkdtempSync(join(tmpdir(), "warden-check-")) : option("--persist-to") ?? join(ROOT, ".wrangler", "state");
  // --check keeps its secrets in its own temporary state too, so the examples read them as printed.
  const { ADMIN_TOKEN, MASTER_KEY } = secrets(persistDir);
  const admin = { fromEnv: Boolean(process.env.ADMIN_TOKEN), secretsFile: join(persistDir, "warden-demo-secrets.json") };
  if (!CHECK) keyFile = () => join(persistDir, "warden-demo-key");
  const wanted = Number(option("--port") ?? process.env.PORT ?? 8787);
  const port = (await portFree(wanted)) ? wanted : await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;

  const origin = await startDemoOrigin({ port: 0, host: "127.0.0.1", tokenDelayMs: CHECK ? 0 : 15 });
  const wrangler = startWrangler({ port, inspectorPort: await freePort(), persistDir, vars: { ADMIN_TOKEN, MASTER_KEY, ALLOW_LOOPBACK_ORIGINS: "true" }, verbose: VERBOSE });
  let stopping = false;
  const shutdown = async (code) => {
    if (stopping) return;
    stopping = true;
    await wrangler.stop();
    await origin.close();
    if (CHECK) rmSync(persistDir, { recursive: true, force: true });
    process.exit(code);
  };
  process.on("SIGINT", () => void shutdown(0));
  process.on("SIGTERM", () => void shutdown(0));

  try {
    console.log(`demo origin on ${origin.url}; starting wrangler dev on ${baseUrl} …`);
    await waitForHealth(baseUrl, wrangler);
    const key = await configure(baseUrl, ADMIN_TOKEN, origin.url);
    const examples = demoExamples({ baseUrl, tenant: DEMO_TENANT_ID, key, admin });
    if (CHECK) return shutdown((await runExamples(examples)) ? 0 : 1);
    console.log(banner({ baseUrl, adminToken: ADMIN_TOKEN, key, examples, persistDir }));
    // workerd's repeated reports and code addresses for an unreachable origin stay out of the terminal (lib/runtime-noise.mjs).
    wrangler.echo(runtimeNoiseFilter);
    wrangler.child.once("exit", (code) => {
      if (!stopping) console.error(`wrangler dev exited (${code})`);
      void shutdown(code ?? 1);
    });
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await shutdown(1);
  }
}

await main();
