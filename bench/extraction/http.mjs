/**
 * The evaluation through the real thing: Warden under `wrangler dev` (the Worker, its Durable
 * Objects with SQLite) in front of the demo origin serving the digits classifier over OIP, all on
 * 127.0.0.1. Each scenario is a fresh tenant configured through the admin API, each principal an
 * API key; attribution goes through `POST …/watermark/verify`.
 *
 * Differences from in-process mode: the clock is real (the whole day of traffic runs in minutes,
 * so volume windows see it compressed), the tenant view cannot be switched off and the watermark
 * rate does not change when degraded (scenarios that need either are skipped), and the per-principal maximum score over time is not observable from
 * outside: a benign principal counts as escalated when the audit log holds an escalation for it.
 *
 * wrangler dev runs on a snapshot of the Worker's sources taken at start (node_modules linked), so
 * that files edited while the benchmark runs do not reload the Worker under it.
 */
import { cpSync, mkdtempSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { startDemoOrigin } from "../../scripts/demo-origin/server.mjs";
import { ROOT, freePort, startWrangler, waitForHealth } from "../../scripts/lib/local-warden.mjs";
import { predict } from "../../scripts/demo-origin/classifier.mjs";

const DIGITS_INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
let shared = null;
let tenants = 0;

/**
 * fetch, retried once when the connection was closed under it: the attacker's and the evaluation's
 * model training block Node's event loop for seconds, during which wrangler closes idle keep-alive
 * connections that undici then tries to reuse ("other side closed"). Nothing reached the server.
 */
async function fetchRetry(url, init) {
  try {
    return await fetch(url, init);
  } catch (err) {
    if (err?.cause?.code !== "UND_ERR_SOCKET") throw err;
    return fetch(url, init);
  }
}

async function admin(env, method, path, body) {
  const res = await fetchRetry(`${env.baseUrl}/admin/v1${path}`, {
    method,
    headers: { authorization: `Bearer ${env.token}`, ...(body ? { "content-type": "application/json" } : {}) },
    body: body ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null, text };
}

const SNAPSHOT = ["wrangler.toml", "package.json", "tsconfig.json", "worker", "durable-objects", "wasm-models"];

async function environment() {
  if (shared) return shared;
  const dir = mkdtempSync(join(tmpdir(), "warden-bench-extraction-"));
  for (const entry of SNAPSHOT) cpSync(join(ROOT, entry), join(dir, entry), { recursive: true });
  symlinkSync(join(ROOT, "node_modules"), join(dir, "node_modules"));
  const token = randomBytes(24).toString("base64url");
  const origin = await startDemoOrigin({ port: 0 });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const wrangler = startWrangler({
    cwd: dir,
    persistDir: join(dir, ".state"),
    port,
    inspectorPort: await freePort(),
    vars: { ADMIN_TOKEN: token, MASTER_KEY: randomBytes(32).toString("base64"), ALLOW_LOOPBACK_ORIGINS: "true" },
  });
  shared = { origin, wrangler, baseUrl, token, dir };
  await waitForHealth(baseUrl, wrangler);
  return shared;
}

/** The end of wrangler's output, to explain a failure. */
export function wranglerLog(chars = 4000) {
  return shared ? shared.wrangler.log().slice(-chars) : "";
}

export async function stopShared() {
  if (!shared) return;
  await shared.wrangler.stop();
  await shared.origin.close();
  rmSync(shared.dir, { recursive: true, force: true });
  shared = null;
}

export class HttpWarden {
  /** A fresh tenant for one scenario; null when the scenario cannot run over HTTP. */
  static async start({ policy, extraction = true, tenantView = true, watermarkRate = 0.005, degradedRateFactor = 1, probabilities }) {
    // The Worker has no switch for the tenant view or for a degraded watermark rate.
    if (!tenantView || degradedRateFactor !== 1) return null;
    const env = await environment();
    const id = `bench-${Date.now().toString(36)}-${++tenants}`;
    const protection = { ...(probabilities ? { probabilities } : {}), ...(watermarkRate > 0 ? { label_watermark: { rate: watermarkRate } } : {}) };
    const model = { name: "digits", protocol: "oip", origins: [{ url: env.origin.url }], inputs: [DIGITS_INPUT], outputs: [{ name: "probabilities", kind: "probabilities" }], protection };
    const res = await admin(env, "POST", "/tenants", { id, name: id, models: [model], policy: { extraction: extraction ? policy : { ...policy, mode: "off" } } });
    if (res.status !== 201) throw new Error(`create tenant: ${res.status} ${res.text}`);
    return new HttpWarden(env, id, policy);
  }

  constructor(env, tenant, policy) {
    Object.assign(this, { env, tenant, policy });
    this.now = Date.now();
    this.keys = new Map();
    this.counts = new Map();
    this.escalations = [];
    this.usage = new Map();
  }

  async #key(principal) {
    if (!this.keys.has(principal)) {
      const res = await admin(this.env, "POST", `/tenants/${this.tenant}/keys`, { name: principal });
      if (res.status !== 201) throw new Error(`issue key: ${res.status} ${res.text}`);
      this.keys.set(principal, { key: res.body.key, principal: `key:${res.body.id}` });
    }
    return this.keys.get(principal);
  }

  async infer(principal, rows) {
    const { key } = await this.#key(principal);
    const count = this.counts.get(principal) ?? { answered: 0, refused: 0 };
    this.counts.set(principal, count);
    const res = await fetchRetry(`${this.env.baseUrl}/t/${this.tenant}/v2/models/digits/infer`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] }),
    });
    const body = await res.json();
    if (res.status === 403 && body.code === "extraction_suspected") {
      count.refused += rows.length;
      return { ok: false, status: 403 };
    }
    if (res.status !== 200) throw new Error(`infer: ${res.status} ${JSON.stringify(body)}`);
    const data = body.outputs[0].data;
    count.answered += rows.length;
    return { ok: true, probabilities: rows.map((_, i) => data.slice(i * 10, (i + 1) * 10)) };
  }

  /** Loads the usage view and the audit log; call once the scenario is over. */
  async finish() {
    const usage = await admin(this.env, "GET", `/tenants/${this.tenant}/usage`);
    for (const p of usage.body?.principals ?? []) this.usage.set(p.principal, p.extraction);
    const audit = await admin(this.env, "GET", `/tenants/${this.tenant}/audit`);
    const byId = new Map([...this.keys].map(([name, k]) => [k.principal, name]));
    this.escalations = (audit.body?.items ?? [])
      .filter((e) => e.type === "escalation")
      .map((e) => {
        // The Worker writes "extraction: normal → degraded at score 0.812" (worker/pipeline/extraction.ts).
        const m = /(normal|degraded|blocked) → (normal|degraded|blocked) at score ([\d.]+)/.exec(e.reason ?? "");
        return { principal: byId.get(e.principal) ?? e.principal, at: null, from: m?.[1] ?? "?", to: m?.[2] ?? "?", score: m ? Number(m[3]) : null };
      });
  }

  status(principal) {
    const k = this.keys.get(principal);
    if (!k) return null;
    const x = this.usage.get(k.principal) ?? { score: 0, state: "normal" };
    const escalated = this.escalations.some((e) => e.principal === principal);
    return { state: x.state, score: x.score, maxScore: null, escalated, ...(this.counts.get(principal) ?? {}) };
  }

  async records() {
    const res = await admin(this.env, "GET", `/tenants/${this.tenant}/watermark/records?model=digits`);
    const byId = new Map([...this.keys].map(([name, k]) => [k.principal, name]));
    return (res.body?.items ?? []).map((r) => ({ ...r, principal: byId.get(r.principal) ?? r.principal, input: typeof r.input === "string" ? JSON.parse(r.input) : r.input }));
  }

  /** Attribution of a suspect model through the admin API (CONTRACT §6). */
  async verify(suspect, records) {
    const answers = records.map((r) => ({ input: r.input, label: predict(suspect, r.input) }));
    // Records came back with principal names mapped for the bench; the verify endpoint reads its own.
    const res = await admin(this.env, "POST", `/tenants/${this.tenant}/watermark/verify`, { model: "digits", kind: "labels", answers });
    if (res.status !== 200) throw new Error(`verify: ${res.status} ${res.text}`);
    const byId = new Map([...this.keys].map(([name, k]) => [k.principal, name]));
    return { ...res.body, principal: res.body.principal ? byId.get(res.body.principal) ?? res.body.principal : null };
  }
}
