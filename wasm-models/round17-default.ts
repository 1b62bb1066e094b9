/**
 * Issue 10, round 17 (notes/round17-rules.md): recall at the default threshold the shipped rule
 * would choose for a leave-one-source-out run. The default is calibrated on the union of the
 * classifier's and the suffix head's flags (lib/joint.ts), so a run's LOSO scores alone do not
 * give it: this fits the shipped suffix head once (as train.ts does) and applies the shipped
 * joint calibration to every run given.
 *
 *   npx tsx wasm-models/round17-default.ts [--purplellama-together] <loso json> [<loso json> …]
 *
 * The grouping flag must be the runs' own (it sets the families the nested calibration holds out).
 */
import { readFileSync } from "node:fs";
import { useScriptAwareFolding } from "../worker/screen/normalize";
import { DATA_DIR, loadSamples, ownDataFiles } from "./lib/data";
import { machineNegatives } from "./lib/data-machine";
import { jointCalibration } from "./lib/joint";
import { MIN_CALIBRATION_TEXTS } from "./lib/loso";
import { hashString } from "./lib/rng";
import { ROUND3, trainSoup } from "./lib/soup-train";

const SEED = 42;

// As train.ts: the shipped (script-aware) folding, the round-4 data, the shipped head design.
useScriptAwareFolding(true);
const files = process.argv.slice(2).filter((a) => !a.startsWith("--"));
if (files.length === 0) throw new Error("usage: round17-default.ts [--purplellama-together] <loso json> …");
const samples = loadSamples(DATA_DIR, ownDataFiles(), SEED);
const benign = samples.filter((s) => s.label === 0);
const soup = trainSoup([...samples, ...machineNegatives(benign, SEED)], SEED, () => {}, ROUND3);
const pct = (x: number) => `${(100 * x).toFixed(2)}%`;

console.log(`| run | joint default (uncalibrated) | budget | recall at it, classifier alone | recall, both heads | harmless flagged, both heads | highest joint nested, harmless 100+ |`);
console.log(`|---|---|---|---|---|---|---|`);
for (const file of files) {
  const run = JSON.parse(readFileSync(file, "utf8")) as { scores: Array<{ source: string; hash: number; score: number }> };
  if (run.scores.length !== samples.length || run.scores.some((r, i) => r.source !== samples[i]!.source || r.hash !== hashString(samples[i]!.text))) throw new Error(`${file} was scored on other texts`);
  const scores = run.scores.map((r) => r.score);
  const c = jointCalibration(samples, scores, soup);
  const idx = (label: 0 | 1) => samples.map((s, i) => (s.label === label ? i : -1)).filter((i) => i >= 0);
  const share = (ix: number[], flagged: (i: number) => boolean) => ix.filter(flagged).length / ix.length;
  const alone = share(idx(1), (i) => scores[i]! > c.threshold);
  const both = (i: number) => scores[i]! > c.threshold || soup.logits[i]! > soup.threshold;
  const worst = c.rows.filter((r) => r.n >= MIN_CALIBRATION_TEXTS).reduce((a, b) => (b.at_nested_default > a.at_nested_default ? b : a));
  console.log(`| ${file} | ${c.threshold.toFixed(5)} | ${pct(c.budget)} | ${pct(alone)} | ${pct(share(idx(1), both))} | ${pct(share(idx(0), both))} | ${worst.source} ${pct(worst.at_nested_default)} |`);
}
