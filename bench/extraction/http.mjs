/**
 * The evaluation through the real thing: Warden under `wrangler dev` (the Worker, its Durable
 * Objects with SQLite) in front of the demo origin serving the digits classifier over OIP, all on
 * 127.0.0.1. Each scenario is a fresh tenant configured through the admin API, each principal an
 * API key; attribution goes through `POST …/watermark/verify`.
 *
 * Differences from in-process mode: the clock is real (the whole day of traffic runs in minutes,
 * so volume windows see it compressed), the tenant view cannot be switched off (scenarios that
 * need that are skipped), and the per-principal maximum score over time is not observable from
 * outside: a benign principal counts as escalated when the audit log holds an escalation for it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { randomBytes } from "node:crypto";
import { startDemoOrigin } from "../../scripts/demo-origin/server.mjs";
import { adminCall, freePort, startWrangler, waitForHealth } from "../../scripts/lib/local-warden.mjs";
import { predict } from "../../scripts/demo-origin/classifier.mjs";

const DIGITS_INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
let shared = null;
let tenants = 0;

async function environment() {
  if (shared) return shared;
  const persistDir = mkdtempSync(join(tmpdir(), "warden-bench-extraction-"));
  const token = randomBytes(24).toString("base64url");
  const origin = await startDemoOrigin({ port: 0 });
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const wrangler = startWrangler({
    port,
    inspectorPort: await freePort(),
    persistDir,
    vars: { ADMIN_TOKEN: token, MASTER_KEY: randomBytes(32).toString("base64"), ALLOW_LOOPBACK_ORIGINS: "true" },
  });
  await waitForHealth(baseUrl, wrangler);
  shared = { origin, wrangler, baseUrl, token, persistDir };
  return shared;
}

export async function stopShared() {
  if (!shared) return;
  await shared.wrangler.stop();
  await shared.origin.close();
  rmSync(shared.persistDir, { recursive: true, force: true });
  shared = null;
}

export class HttpWarden {
  /** A fresh tenant for one scenario; null when the scenario cannot run over HTTP. */
  static async start({ policy, extraction = true, tenantView = true, watermarkRate = 0.005, probabilities }) {
    if (!tenantView) return null;
    const env = await environment();
    const id = `bench-${Date.now().toString(36)}-${++tenants}`;
    const protection = { ...(probabilities ? { probabilities } : {}), ...(watermarkRate > 0 ? { label_watermark: { rate: watermarkRate } } : {}) };
    const model = { name: "digits", protocol: "oip", origins: [{ url: env.origin.url }], inputs: [DIGITS_INPUT], outputs: [{ name: "probabilities", kind: "probabilities" }], protection };
    const res = await adminCall(env.baseUrl, env.token, "POST", "/tenants", { id, name: id, models: [model], policy: { extraction: extraction ? policy : { ...policy, mode: "off" } } });
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
      const res = await adminCall(this.env.baseUrl, this.env.token, "POST", `/tenants/${this.tenant}/keys`, { name: principal });
      if (res.status !== 201) throw new Error(`issue key: ${res.status} ${res.text}`);
      this.keys.set(principal, { key: res.body.key, principal: `key:${res.body.id}` });
    }
    return this.keys.get(principal);
  }

  async infer(principal, rows) {
    const { key } = await this.#key(principal);
    const count = this.counts.get(principal) ?? { answered: 0, refused: 0 };
    this.counts.set(principal, count);
    const res = await fetch(`${this.env.baseUrl}/t/${this.tenant}/v2/models/digits/infer`, {
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
    const usage = await adminCall(this.env.baseUrl, this.env.token, "GET", `/tenants/${this.tenant}/usage`);
    for (const p of usage.body?.principals ?? []) this.usage.set(p.principal, p.extraction);
    const audit = await adminCall(this.env.baseUrl, this.env.token, "GET", `/tenants/${this.tenant}/audit`);
    const byId = new Map([...this.keys].map(([name, k]) => [k.principal, name]));
    this.escalations = (audit.body?.items ?? [])
      .filter((e) => e.type === "escalation")
      .map((e) => ({ principal: byId.get(e.principal) ?? e.principal, at: null, from: e.detail?.from ?? "?", to: e.detail?.to ?? "?", score: e.detail?.score ?? null }));
  }

  status(principal) {
    const k = this.keys.get(principal);
    if (!k) return null;
    const x = this.usage.get(k.principal) ?? { score: 0, state: "normal" };
    const escalated = this.escalations.some((e) => e.principal === principal);
    return { state: x.state, score: x.score, maxScore: null, escalated, ...(this.counts.get(principal) ?? {}) };
  }

  async records() {
    const res = await adminCall(this.env.baseUrl, this.env.token, "GET", `/tenants/${this.tenant}/watermark/records?model=digits`);
    const byId = new Map([...this.keys].map(([name, k]) => [k.principal, name]));
    return (res.body?.items ?? []).map((r) => ({ ...r, principal: byId.get(r.principal) ?? r.principal, input: typeof r.input === "string" ? JSON.parse(r.input) : r.input }));
  }

  /** Attribution of a suspect model through the admin API (CONTRACT §6). */
  async verify(suspect, records) {
    const answers = records.map((r) => ({ input: r.input, label: predict(suspect, r.input) }));
    // Records came back with principal names mapped for the bench; the verify endpoint reads its own.
    const res = await adminCall(this.env.baseUrl, this.env.token, "POST", `/tenants/${this.tenant}/watermark/verify`, { model: "digits", kind: "labels", answers });
    if (res.status !== 200) throw new Error(`verify: ${res.status} ${res.text}`);
    const byId = new Map([...this.keys].map(([name, k]) => [k.principal, name]));
    return { ...res.body, principal: res.body.principal ? byId.get(res.body.principal) ?? res.body.principal : null };
  }
}
