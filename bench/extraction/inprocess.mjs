/**
 * Warden's extraction defence run in-process, in Node, around the demo origin's real classifier:
 * the same pure modules the Worker and the SignalsObject use (worker/extraction/*: features,
 * observeStep, PrincipalSignals, TenantSignals; worker/protect/*: label watermark, probability
 * plans), with a simulated clock instead of Durable Objects and HTTP.
 *
 * It follows the SignalsObject's order exactly: observe before the origin answers (a blocked
 * principal is refused and nothing is recorded), recordAnswer with the origin's margins after, and
 * the tenant-wide view applied one request late (the object forwards to the tenant object without
 * waiting, and folds its answer into the next observation).
 *
 * Protection as CONTRACT §6 describes it: the label watermark first (keyed per principal), then the
 * probability plan (`planFor(setting, degraded)`) with keyed noise per (principal, input row), keep_top1
 * on — as worker/pipeline/protect-json.ts does; a degraded principal's synthetic rows get the decoy
 * plan (worker/extraction/decoy.ts) unless `decoy: false` (the plan before it, for comparison). `degradedRateFactor` > 1 multiplies the watermark rate while a principal is degraded (a
 * change proposed in docs/extraction.md, not in the Worker: the default 1 is what it does).
 */
import { oipQueryFeatures, outputMargins } from "../../worker/extraction/features.ts";
import { PrincipalSignals, NO_TENANT_VIEW } from "../../worker/extraction/principal.ts";
import { TenantSignals } from "../../worker/extraction/tenant.ts";
import { observeStep } from "../../worker/extraction/observe.ts";
import { NORMAL } from "../../worker/extraction/state.ts";
import { labelWatermarkKey, watermarkScores } from "../../worker/protect/label-watermark.ts";
import { planFor, protectTensor } from "../../worker/protect/probabilities.ts";
import { NoiseSeeds, outputNoiseKey } from "../../worker/protect/keyed-noise.ts";
import { inferRowNoise } from "../../worker/pipeline/output-noise.ts";
import { farRows } from "../../worker/extraction/far.ts";
import { rowsPlan } from "../../worker/extraction/decoy.ts";
import { seededRng } from "../../worker/protect/random.ts";
import { predictProba } from "../../scripts/demo-origin/classifier.mjs";
import { watermarkProof } from "./evaluate.mjs";

export const DIGITS_INPUTS = [{ name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 }];

export class InProcessWarden {
  constructor({ model, policy, probabilities, watermarkRate = 0.005, degradedRateFactor = 1, extraction = true, tenantView = true, master, tenant = "bench", seed = 1, reference = null, decoy = true }) {
    Object.assign(this, { model, policy, probabilities, watermarkRate, degradedRateFactor, extraction, tenantView, master, tenant, decoy });
    // The model's anomaly reference statistics (the "far" signal), as the operator uploads them.
    this.modelConfig = { inputs: DIGITS_INPUTS, ...(reference ? { anomaly: { reference: { input: "input-0", ...reference } } } : {}) };
    this.rng = seededRng(seed);
    this.now = Date.UTC(2026, 0, 5, 9);
    this.principals = new Map();
    this.tenantSignals = new TenantSignals();
    this.watermarkRecords = [];
    this.escalations = [];
    this.keys = new Map();
  }

  #principal(id) {
    let p = this.principals.get(id);
    if (!p) {
      p = { signals: new PrincipalSignals(), standing: NORMAL, view: NO_TENANT_VIEW, lastScore: 0, maxScore: 0, state: "normal", answered: 0, refused: 0 };
      this.principals.set(id, p);
    }
    return p;
  }

  async #noise(principal) {
    const id = `noise:${principal}`;
    if (!this.keys.has(id)) this.keys.set(id, new NoiseSeeds(await outputNoiseKey(this.master, this.tenant, this.model.name, principal)));
    return this.keys.get(id);
  }

  async #key(principal) {
    if (!this.keys.has(principal)) this.keys.set(principal, await labelWatermarkKey(this.master, this.tenant, this.model.name, principal));
    return this.keys.get(principal);
  }

  /** One OIP infer request of `rows` by `principal`: { ok: true, probabilities } or { ok: false, status: 403 }. */
  async infer(principal, rows) {
    const p = this.#principal(principal);
    let degraded = false;
    if (this.extraction) {
      const body = { inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] };
      const { features, queries, uniform } = oipQueryFeatures(body, DIGITS_INPUTS, this.rng);
      const far = farRows(body, this.modelConfig);
      const step = observeStep(p.signals, p.standing, { vectors: features, queries, nowMs: this.now, policy: this.policy, view: p.view, lastScore: p.lastScore, far, uniform });
      p.standing = step.standing;
      p.lastScore = step.outcome.score;
      p.maxScore = Math.max(p.maxScore, step.outcome.score);
      p.state = step.outcome.state;
      if (step.outcome.escalated) this.escalations.push({ principal, at: p.answered, ...step.outcome.escalated });
      if (step.outcome.state === "blocked") {
        p.refused += rows.length;
        return { ok: false, status: 403 };
      }
      degraded = step.outcome.state === "degraded";
      if (this.tenantView && step.written) {
        const u = step.written.uniformOf > 0 ? { uniform: step.written.uniform, uniformOf: step.written.uniformOf } : {};
        this.tenantSignals.ingest(principal, features, this.now, { ...u, state: step.outcome.state });
        p.view = this.tenantSignals.viewFor(principal);
      }
    }
    const raw = rows.map((x) => predictProba(this.model, x));
    if (this.extraction) p.signals.recordMargins(outputMargins(raw.flat(), [rows.length, 10], "probabilities"));
    const rate = Math.min(0.5, this.watermarkRate * (degraded ? this.degradedRateFactor : 1));
    const plan = planFor(this.probabilities, degraded);
    const key = rate > 0 ? await this.#key(principal) : null;
    const marked = [];
    for (let i = 0; i < rows.length; i++) {
      let scores = raw[i];
      if (key) {
        const wm = await watermarkScores(key, rows[i], scores, rate);
        if (wm.selected) this.watermarkRecords.push({ principal, input: rows[i], label: wm.label });
        scores = wm.scores;
      }
      marked.push(...scores);
    }
    const shape = [rows.length, 10];
    const request = { inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] };
    const rowRng = plan.steps.length ? await inferRowNoise(await this.#noise(principal), request, "probabilities", marked, shape) : () => this.rng;
    const flat = protectTensor(marked, shape, "probabilities", rowsPlan(plan, degraded && this.decoy, request, DIGITS_INPUTS, rows.length), rowRng);
    const out = rows.map((_, i) => flat.slice(i * 10, i * 10 + 10));
    p.answered += rows.length;
    return { ok: true, probabilities: out };
  }

  async finish() {}

  /** Attribution of a suspect model from the records, as `POST …/watermark/verify` does. */
  async verify(suspect, records) {
    return watermarkProof(records, suspect);
  }

  /** The label-watermark records (CONTRACT §6 `watermark/records`). */
  async records() {
    return this.watermarkRecords;
  }

  status(principal) {
    const p = this.principals.get(principal);
    return p ? { state: p.state, score: p.lastScore, maxScore: p.maxScore, escalated: p.maxScore >= this.policy.degrade_at, answered: p.answered, refused: p.refused } : null;
  }
}
