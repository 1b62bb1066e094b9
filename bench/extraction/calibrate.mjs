#!/usr/bin/env -S npx tsx
/**
 * Calibration on benign traffic only: 40 principals whose streams the evaluation never uses
 * (traffic.mjs seeds 100..139), through the in-process Warden with no attacker. Prints, per signal,
 * the highest raw value and ramped signal any principal reached at any time, and the highest
 * combined score: the ramps in worker/extraction/params.ts must keep that score below degrade_at
 * with a margin. The attacker plays no part here.
 *
 *   npx tsx bench/extraction/calibrate.mjs [--principals 40]
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { InProcessWarden } from "./inprocess.mjs";
import { runScenario } from "./scenario.mjs";

const { values: args } = parseArgs({ options: { principals: { type: "string", default: "40" } } });
const victim = JSON.parse(readFileSync(fileURLToPath(new URL("../../scripts/demo-origin/digits-model.json", import.meta.url)), "utf8"));
const warden = new InProcessWarden({ model: victim, policy: { mode: "on", degrade_at: 0.6, block_at: 0.9, cooldown_s: 900 }, master: new Uint8Array(32).fill(7) });

const peaks = { score: 0, w_min: 1, similarity: 0, novelty: 0, boundary: 0, cross: 0, signals: {} };
const infer = warden.infer.bind(warden);
warden.infer = async (principal, rows) => {
  const r = await infer(principal, rows);
  const p = warden.principals.get(principal);
  const a = p.signals.assess(warden.now, p.view);
  peaks.score = Math.max(peaks.score, a.score);
  if (a.raw.w !== null) peaks.w_min = Math.min(peaks.w_min, a.raw.w);
  for (const k of ["similarity", "novelty", "boundary"]) if (a.raw[k] !== null) peaks[k] = Math.max(peaks[k], a.raw[k]);
  peaks.cross = Math.max(peaks.cross, a.view.cross);
  for (const [k, v] of Object.entries(a.signals)) peaks.signals[k] = Math.max(peaks.signals[k] ?? 0, v);
  return r;
};
const started = performance.now();
const run = await runScenario(warden, { model: victim, principals: Number(args.principals), benignOffset: 100 });
const queries = [...run.benign.values()].reduce((n, b) => n + b.sent, 0);
console.log(`${run.benign.size} benign principals, ${queries} queries, ${((performance.now() - started) / 1000).toFixed(0)} s`);
console.log(`highest score ${peaks.score} (degrade_at 0.6); lowest PRADA W ${peaks.w_min}; highest shares: similarity ${peaks.similarity}, novelty ${peaks.novelty}, boundary ${peaks.boundary}; highest tenant cross ${peaks.cross}`);
console.log(`highest ramped signals ${JSON.stringify(peaks.signals)}`);
console.log(`escalated: ${warden.escalations.length}`);
