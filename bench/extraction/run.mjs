#!/usr/bin/env -S npx tsx
/**
 * The extraction-defence evaluation (issue 5, item 4): `npm run bench:extraction`.
 *
 *   npx tsx bench/extraction/run.mjs [--mode inprocess|http] [--only NAME[,NAME]] [--out FILE]
 *                                    [--principals 20] [--budget 2000]
 *
 * Each scenario is one tenant: 20 benign principals sending natural digits (traffic.mjs) while a
 * Papernot-style attacker (attacker.mjs) extracts the demo origin's real classifier with a budget of
 * 2,000 queries, through Warden or not. Modes:
 * - inprocess: Warden's pure modules around the classifier in Node (inprocess.mjs), simulated clock;
 * - http: the real Worker under `wrangler dev` in front of the real demo origin over OIP (http.mjs).
 * Results are printed as a table and written as JSON (default bench/extraction/results-<mode>.json).
 */
import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { generateDigits } from "../../scripts/demo-origin/digits.mjs";
import { InProcessWarden } from "./inprocess.mjs";
import { runScenario } from "./scenario.mjs";
import { ATTACKER_SEEDS, attackSummary, benignSummary, fidelity, independentModel, pooledProof } from "./evaluate.mjs";
import { runPapernot } from "./attacker.mjs";

const { values: args } = parseArgs({
  options: { mode: { type: "string", default: "inprocess" }, only: { type: "string" }, out: { type: "string" }, principals: { type: "string", default: "20" }, budget: { type: "string", default: "2000" } },
});
const victim = JSON.parse(readFileSync(fileURLToPath(new URL("../../scripts/demo-origin/digits-model.json", import.meta.url)), "utf8"));
const POLICY = { mode: "on", degrade_at: 0.6, block_at: 0.9, cooldown_s: 900 };
const BUDGET = Number(args.budget);
const PRINCIPALS = Number(args.principals);
const naturalSeeds = generateDigits(ATTACKER_SEEDS).X;

/** Protection the operator configured for the model: keep probabilities as they are, DAWN label watermark at 0.5 %. */
const PROTECTED = { extraction: true, watermarkRate: 0.005, probabilities: undefined };
const SCENARIOS = [
  { name: "watermark-only", about: "1 key, natural seeds, detection off (label watermark alone)", warden: { ...PROTECTED, extraction: false }, attack: { seedImages: naturalSeeds } },
  { name: "protected", about: "1 key, natural seeds (Papernot's setting)", warden: PROTECTED, attack: { seedImages: naturalSeeds } },
  { name: "protected-random", about: "1 key, random seeds in [0,16]^64", warden: PROTECTED, attack: {} },
  { name: "protected-hard-labels", about: "1 key, natural seeds, learns from arg-max only", warden: PROTECTED, attack: { seedImages: naturalSeeds, hardLabels: true } },
  { name: "protected-boost", about: "1 key, natural seeds, watermark rate ×10 while degraded (proposed)", warden: { ...PROTECTED, degradedRateFactor: 10 }, attack: { seedImages: naturalSeeds } },
  { name: "spread-10", about: "10 keys round-robin, natural seeds, tenant view on", warden: PROTECTED, attack: { seedImages: naturalSeeds, keys: 10 } },
  { name: "spread-10-no-tenant-view", about: "10 keys, tenant view off (per-principal only)", warden: { ...PROTECTED, tenantView: false }, attack: { seedImages: naturalSeeds, keys: 10 } },
  { name: "spread-40", about: "40 keys (50 queries each), tenant view on", warden: PROTECTED, attack: { seedImages: naturalSeeds, keys: 40 } },
  { name: "spread-40-no-tenant-view", about: "40 keys, tenant view off", warden: { ...PROTECTED, tenantView: false }, attack: { seedImages: naturalSeeds, keys: 40 } },
];

async function makeWarden(options) {
  if (args.mode === "inprocess") return new InProcessWarden({ model: victim, policy: POLICY, master: new Uint8Array(32).fill(7), ...options });
  const { HttpWarden } = await import("./http.mjs");
  return HttpWarden.start({ policy: POLICY, ...options });
}

/** The attacker alone against the bare origin, at a given budget: the "without protection" column (memoized). */
const baselines = new Map();
async function unprotected({ budget, seedImages = null, hardLabels = false }) {
  const key = `${budget}:${seedImages ? "natural" : "random"}:${hardLabels}`;
  if (!baselines.has(key)) {
    const result = await runPapernot({ ask: async (rows) => rows.map((x) => predictProbaOf(x)), budget, seedImages, hardLabels });
    baselines.set(key, fidelity(result.surrogate, victim));
  }
  return baselines.get(key);
}
const { predictProba } = await import("../../scripts/demo-origin/classifier.mjs");
const predictProbaOf = (x) => predictProba(victim, x);

const only = args.only ? new Set(args.only.split(",")) : null;
const results = { mode: args.mode, budget: BUDGET, policy: POLICY, scenarios: [] };
const independent = independentModel();
try {
  for (const s of SCENARIOS) {
    if (only && !only.has(s.name)) continue;
    const started = performance.now();
    const warden = await makeWarden(s.warden);
    if (!warden) {
      console.log(`\n## ${s.name}: skipped in ${args.mode} mode`);
      continue;
    }
    try {
      const run = await runScenario(warden, { model: victim, principals: PRINCIPALS, attack: { budget: BUDGET, ...s.attack } });
      await warden.finish();
      const attack = attackSummary(warden, run.attack, victim);
      const same = await unprotected({ budget: BUDGET, seedImages: s.attack.seedImages ?? null, hardLabels: s.attack.hardLabels ?? false });
      const sameAnswered = attack.answered < BUDGET ? await unprotected({ budget: attack.answered, seedImages: s.attack.seedImages ?? null, hardLabels: s.attack.hardLabels ?? false }) : same;
      const records = await warden.records();
      const escalated = new Set(warden.escalations.map((e) => e.principal));
      const suspects = records.filter((r) => escalated.has(r.principal));
      const row = {
        name: s.name,
        about: s.about,
        benign: benignSummary(warden, run.benign),
        attack: { ...attack, fidelity_unprotected_same_budget: same, fidelity_unprotected_same_answered: sameAnswered, fidelity_drop_points: 100 * (same - attack.fidelity) },
        watermark: {
          records: records.length,
          surrogate: await warden.verify(run.attack.surrogate, records),
          independent: await warden.verify(independent, records),
          pooled: { surrogate: pooledProof(suspects, run.attack.surrogate), independent: pooledProof(suspects, independent) },
        },
        escalations: warden.escalations.map((e) => ({ principal: e.principal, at: e.at, from: e.from, to: e.to, score: e.score })),
        seconds: (performance.now() - started) / 1000,
      };
      results.scenarios.push(row);
      print(row);
    } finally {
      await warden.close?.();
    }
  }
} catch (err) {
  if (args.mode === "http") console.error(`wrangler dev said:\n${(await import("./http.mjs")).wranglerLog()}`);
  throw err;
} finally {
  if (args.mode === "http") await (await import("./http.mjs")).stopShared();
}
const out = args.out ?? fileURLToPath(new URL(`./results-${args.mode}.json`, import.meta.url));
writeFileSync(out, JSON.stringify(results, null, 2) + "\n");
console.log(`\nwrote ${out}`);

function print(r) {
  const b = r.benign;
  const a = r.attack;
  const pct = (x) => (100 * x).toFixed(1);
  console.log(`\n## ${r.name} — ${r.about} (${args.mode}, ${r.seconds.toFixed(0)} s)`);
  console.log(`benign: escalated ${b.escalated} of ${b.principals} (max score ${b.max_score.toFixed(3)}${args.mode === "http" ? ", final" : ""}), refused queries ${b.refused_queries}, accuracy ${pct(b.accuracy_unprotected)}% → ${pct(b.accuracy_protected)}% (cost ${b.accuracy_cost_points.toFixed(2)} points)`);
  console.log(`attacker: answered ${a.answered} of ${BUDGET}, first refused after ${a.refused_at ?? "never"}, keys blocked ${a.keys_blocked}/${a.keys}`);
  console.log(`fidelity: ${pct(a.fidelity)}% protected vs ${pct(a.fidelity_unprotected_same_budget)}% unprotected at the same budget (−${a.fidelity_drop_points.toFixed(1)} points); unprotected with only the answers it got: ${pct(a.fidelity_unprotected_same_answered)}%`);
  const w = r.watermark;
  const pooled = `pooled over escalated keys: surrogate p = ${w.pooled.surrogate.p_value.toExponential(2)} (${w.pooled.surrogate.matches}/${w.pooled.surrogate.trials}), independent p = ${w.pooled.independent.p_value.toExponential(2)} (${w.pooled.independent.matches}/${w.pooled.independent.trials})`;
  console.log(`watermark: ${w.records} records; surrogate p = ${w.surrogate.p_value.toExponential(2)} (${w.surrogate.matches}/${w.surrogate.trials}, ${w.surrogate.principal ?? "not attributed"}); independent model p = ${w.independent.p_value.toExponential(2)} (${w.independent.matches}/${w.independent.trials}); ${pooled}`);
  for (const e of r.escalations) console.log(`  escalation ${e.principal}${e.at === null ? "" : ` after ${e.at} answered`}: ${e.from} → ${e.to} (score ${e.score})`);
}
