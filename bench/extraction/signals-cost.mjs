#!/usr/bin/env -S npx tsx
/**
 * CPU per request of issue 9's signals and of the decoy, in Node (tsx), one isolate, warm:
 *
 *   npx tsx bench/extraction/signals-cost.mjs [--ms 400]
 *
 * Per batch size (1, 20, 256 digit rows of 64 values; uniform rows, the case that pays for the
 * decoy): in the Worker, the uniform test over the fingerprinted rows (features.ts → uniformAt),
 * the request's uniform counts (far.ts farRows, no reference; the Worker skips them now that it
 * sends the flags) and the degraded answer's decoy plan (decoy.ts rowsPlan, every row scored); in the principal's SignalsObject, observeStep with and
 * without the tenant's self-built reference (the drift test: one 32-dimension z-score per query);
 * in the tenant object, ingest with 20 and with 1,000 established principals (the self-built
 * reference is recomputed when the union changed: medians over principals per dimension), and
 * that recomputation alone beside the older spacing references.
 * Each figure: median of 7 runs of `--ms` milliseconds each, in µs per request.
 */
import { parseArgs } from "node:util";
import { oipQueryFeatures, sampleRows } from "../../worker/extraction/features.ts";
import { uniformAt } from "../../worker/extraction/synthetic.ts";
import { farRows } from "../../worker/extraction/far.ts";
import { rowsPlan } from "../../worker/extraction/decoy.ts";
import { PrincipalSignals, NO_TENANT_VIEW } from "../../worker/extraction/principal.ts";
import { TenantSignals } from "../../worker/extraction/tenant.ts";
import { observeStep } from "../../worker/extraction/observe.ts";
import { NORMAL, DEFAULT_EXTRACTION_POLICY } from "../../worker/extraction/state.ts";
import { fingerprintStats } from "../../worker/extraction/self-reference.ts";
import { planFor } from "../../worker/protect/probabilities.ts";
import { seededRng } from "../../worker/protect/random.ts";
import { generateDigits } from "../../scripts/demo-origin/digits.mjs";
import { DIGITS_INPUTS } from "./inprocess.mjs";

const { values: args } = parseArgs({ options: { ms: { type: "string", default: "400" } } });
const MS = Number(args.ms);
const rng = seededRng(3);
const uniform = (n) => Array.from({ length: n }, () => Array.from({ length: 64 }, () => Math.round(rng() * 1600) / 100));
const request = (rows) => ({ inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] });
const model = { inputs: DIGITS_INPUTS };

/** µs per call: median of 7 timed runs of MS ms each. */
function time(fn) {
  const runs = [];
  for (let r = 0; r < 7; r++) {
    let n = 0;
    const start = performance.now();
    while (performance.now() - start < MS) {
      fn(n);
      n++;
    }
    runs.push(((performance.now() - start) * 1000) / n);
  }
  return runs.sort((a, b) => a - b)[3];
}

const natural = generateDigits({ n: 4000, seed: 12 }).X;
const stats = fingerprintStats(oipQueryFeatures(request(natural.slice(0, 1000)), DIGITS_INPUTS, seededRng(1)).features);
const policy = DEFAULT_EXTRACTION_POLICY;
const T0 = Date.UTC(2026, 0, 5, 9);

function tenantWith(principals) {
  const t = new TenantSignals();
  let k = 0;
  for (let p = 0; p < principals; p++) {
    const rows = Array.from({ length: 100 }, () => natural[k++ % natural.length].map((v) => Math.min(16, v + (rng() < 0.1 ? 1 : 0))));
    t.ingest(`key:b${p}`, oipQueryFeatures(request(rows), DIGITS_INPUTS, seededRng(p)).features, T0);
  }
  return t;
}
const tenants = { 20: tenantWith(20), 1000: tenantWith(1000) };

const lines = [];
for (const batch of [1, 20, 256]) {
  const reqs = Array.from({ length: 64 }, () => request(uniform(batch)));
  const feats = reqs.map((r) => oipQueryFeatures(r, DIGITS_INPUTS, seededRng(9)));
  const rowsIdx = sampleRows(batch, 256, seededRng(1));
  const plan = planFor({ mode: "round", decimals: 1, keep_top1: true }, true);
  const row = { batch };
  row.features = time((i) => oipQueryFeatures(reqs[i % 64], DIGITS_INPUTS, seededRng(i)));
  row.uniformAt = time((i) => uniformAt(reqs[i % 64], DIGITS_INPUTS, rowsIdx));
  row.farRows = time((i) => farRows(reqs[i % 64], model));
  row.decoy = time((i) => rowsPlan(plan, true, reqs[i % 64], DIGITS_INPUTS, batch));
  for (const [name, view] of [["observeNoDrift", NO_TENANT_VIEW], ["observeDrift", { ...NO_TENANT_VIEW, stats }]]) {
    const p = new PrincipalSignals();
    let now = T0;
    for (let i = 0; i < 1100; i++) p.observe([oipQueryFeatures(request(uniform(1)), DIGITS_INPUTS, seededRng(i)).features[0]], 1, now);
    row[name] = time((i) => {
      const f = feats[i % 64];
      now += 1000;
      observeStep(p, NORMAL, { vectors: f.features.map((v) => v.map((x) => x + 1e-3 * (i % 997))), queries: f.queries, nowMs: now, policy, view, lastScore: 0, far: null, uniform: f.uniform });
    });
  }
  for (const n of [20, 1000]) {
    const t = tenants[n];
    row[`tenant${n}`] = time((i) => t.ingest("key:attacker", feats[i % 64].features.map((v) => v.map((x) => x + 1e-3 * (i % 997))), T0 + i, { uniform: batch, uniformOf: batch }));
  }
  lines.push(row);
  console.error(JSON.stringify(row));
}
// What the tenant object recomputes when its union changed, per ingest (both cached per memory count;
// bumping the count invalidates them): the self-built reference (issue 9) and the spacing references (before it).
const recompute = {};
for (const n of [20, 1000]) {
  const t = tenants[n];
  recompute[n] = {
    stats: time(() => { t.memCount++; t.stats(); }),
    references: time(() => { t.memCount++; t.references(); }),
  };
}
console.error(JSON.stringify(recompute));
const us = (x) => (x < 10 ? x.toFixed(2) : x < 100 ? x.toFixed(1) : x.toFixed(0));
console.log(`load average at the end: ${(await import("node:os")).loadavg().map((x) => x.toFixed(1)).join(" ")}\n`);
console.log("| rows per request | features (all, for scale) | uniform test of the fingerprinted rows | uniform counts per request (`farRows`; skipped on the Worker path since the flags) | decoy plan (degraded only) | observeStep, no drift | observeStep with drift | tenant ingest, 20 principals | tenant ingest, 1,000 principals |");
console.log("|---|---|---|---|---|---|---|---|---|");
for (const r of lines) console.log(`| ${r.batch} | ${us(r.features)} | ${us(r.uniformAt)} | ${us(r.farRows)} | ${us(r.decoy)} | ${us(r.observeNoDrift)} | ${us(r.observeDrift)} | ${us(r.tenant20)} | ${us(r.tenant1000)} |`);
console.log("\n| tenant object, per ingest that changed the union | 20 principals | 1,000 principals |\n|---|---|---|");
console.log(`| self-built reference (\`stats()\`, issue 9) | ${us(recompute[20].stats)} | ${us(recompute[1000].stats)} |`);
console.log(`| spacing references (\`references()\`, before issue 9) | ${us(recompute[20].references)} | ${us(recompute[1000].references)} |`);
