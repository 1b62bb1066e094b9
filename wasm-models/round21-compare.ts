/**
 * Issue 10, round 21 (notes/round21-rules.md), bar item (b): every harmless source nested under
 * the rule of lib/fixed-joint.ts, for the shipped pair and a candidate pair (the same classifier,
 * another suffix head), from the saved runs of
 *
 *   npx tsx wasm-models/train.ts --loso-only                   (.tmp/loso-<variant>.json)
 *   npx tsx wasm-models/train.ts --soup-only --soup-round3     (.tmp/soup-run.json: the head shipped before round 21)
 *   npx tsx wasm-models/train.ts --soup-only                   (.tmp/soup-run-r14.json: round 14's, the candidate; the default since round 21)
 *
 *   npx tsx wasm-models/round21-compare.ts <loso.json> <shipped soup-run.json> <candidate soup-run.json>
 *
 * The classifier's calibration is the shipped joint rule with the SHIPPED head (checked equal to
 * metrics.json calibrated_from), frozen for both pairs.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MIN_CALIBRATION_TEXTS } from "./lib/loso";
import { jointCalibration } from "./lib/joint";
import { fixedClassifierCheck } from "./lib/fixed-joint";
import type { SoupRun } from "./lib/soup-train";
import type { Sample } from "./lib/data";

interface Saved { threshold: number; rows: SoupRun["rows"]; logits: Array<{ source: string; logit: number | null }> }
const [losoFile, shippedFile, candidateFile] = process.argv.slice(2);
if (!losoFile || !shippedFile || !candidateFile) throw new Error("usage: round21-compare.ts <loso.json> <shipped soup-run.json> <candidate soup-run.json>");
const loso: { scores: Array<{ source: string; label: 0 | 1; score: number }> } = JSON.parse(readFileSync(losoFile, "utf8"));
const samples: Sample[] = loso.scores.map((s) => ({ text: "", source: s.source, label: s.label, group: "" }));
const scores = loso.scores.map((s) => s.score);
const asRun = (file: string): SoupRun => {
  const r = JSON.parse(readFileSync(file, "utf8")) as Saved;
  for (const [i, s] of loso.scores.entries()) if (r.logits[i]!.source !== s.source) throw new Error(`${file}, sample ${i}: ${s.source} against ${r.logits[i]!.source}`);
  return { logits: r.logits.slice(0, samples.length).map((l) => l.logit ?? -Infinity), threshold: r.threshold, rows: r.rows, head: undefined as never, heldOut: new Map() };
};
const shipped = asRun(shippedFile);
const candidate = asRun(candidateFile);
const calibratedFrom = (JSON.parse(readFileSync(fileURLToPath(new URL("./metrics.json", import.meta.url)), "utf8")) as { calibrated_from: number }).calibrated_from;
const classifier = jointCalibration(samples, scores, shipped);
console.log(`classifier default (shipped joint rule, shipped head): ${classifier.threshold} — metrics.json calibrated_from ${calibratedFrom}: ${classifier.threshold === calibratedFrom ? "equal" : "NOT EQUAL: comparison broken"}`);
console.log(`head thresholds (logit): shipped ${shipped.threshold.toFixed(4)}, candidate ${candidate.threshold.toFixed(4)}`);

const a = fixedClassifierCheck(samples, scores, classifier, shipped);
const b = fixedClassifierCheck(samples, scores, classifier, candidate);
const pct = (x: number, n: number) => `${(100 * x).toFixed(2)}% (${Math.round(x * n)})`;
console.log("\n| harmless source | n | shipped: at default | shipped: nested | candidate: at default | candidate: nested | head alone nested: shipped / candidate | bar (b): ≤ max(1%, shipped) |");
console.log("|---|---|---|---|---|---|---|---|");
let met = true;
for (const [k, r] of a.entries()) {
  const c = b[k]!;
  const ok = c.at_nested_default <= Math.max(0.01, r.at_nested_default);
  if (r.n >= MIN_CALIBRATION_TEXTS && !ok) met = false;
  console.log(`| ${r.source} | ${r.n} | ${pct(r.at_default, r.n)} | ${pct(r.at_nested_default, r.n)} | ${pct(c.at_default, c.n)} | ${pct(c.at_nested_default, c.n)} | ${r.head_nested} / ${c.head_nested} | ${r.n < MIN_CALIBRATION_TEXTS ? "(under 100)" : ok ? "met" : "NOT met"} |`);
}
console.log(`\nbar (b): ${met ? "met" : "NOT met"} on every harmless source of ${MIN_CALIBRATION_TEXTS}+`);
const recall = (run: SoupRun, src?: string) => {
  const idx = loso.scores.map((s, i) => (s.label === 1 && (!src || s.source === src) ? i : -1)).filter((i) => i >= 0);
  return `${idx.filter((i) => scores[i]! > classifier.threshold || run.logits[i]! > run.threshold).length} of ${idx.length}`;
};
for (const [name, run] of [["shipped", shipped], ["candidate", candidate]] as const) console.log(`${name}: flagged at the defaults, both heads (not blind): all attacks ${recall(run)}, gcg ${recall(run, "gcg")}, own_token_soup ${recall(run, "own_token_soup")}`);
