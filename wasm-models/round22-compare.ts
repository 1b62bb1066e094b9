/**
 * Issue 10, round 22 (notes/round22-rules.md): the classifier's calibration by round 22's rule
 * (lib/calibration.ts) against the shipped one (round 4's joint rule with round 3's head), both
 * paired with the shipped round-14 suffix head at its own calibration (lib/fixed-joint.ts), from
 * saved runs of
 *
 *   npx tsx wasm-models/train.ts --loso-only [--purplellama-together --loso-out F]   (LOSO scores)
 *   npx tsx wasm-models/train.ts --soup-only --soup-round3                            (round 3's head: the shipped calibration)
 *   npx tsx wasm-models/train.ts --soup-only                                          (round 14's head, shipped)
 *   npx tsx wasm-models/train.ts --calibration-only-scores F                          (round 10's harmless texts, shipped fit)
 *
 *   npx tsx wasm-models/round22-compare.ts <loso.json> <round-3 soup-run.json> <round-14 soup-run.json> <calibration-only scores.json> [<soup-table.ts>] [--at T] [--labels a,b]
 *
 * --at T: also recall at classifier threshold T (the default computed in the other grouping).
 * <soup-table.ts>: the round-14 head's table when it is not the shipped one (round 23: the head
 * refit on the candidate's data). --labels: the two rules' column names (round 23 read one
 * model's figures under both rules: `--labels joint,r22`; default shipped,candidate).
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { MIN_CALIBRATION_TEXTS, losoReport } from "./lib/loso";
import { jointCalibration } from "./lib/joint";
import { fixedClassifierCheck, type FixedRow } from "./lib/fixed-joint";
import { calibrationOnlySamples, classifierCalibration } from "./lib/calibration";
import { runLogit, type SoupRun } from "./lib/soup-train";
import { headOf } from "./lib/soup-table-file";
import { hashString } from "./lib/rng";
import type { Sample } from "./lib/data";

const args = process.argv.slice(2).filter((a, i, all) => !a.startsWith("--") && all[i - 1] !== "--at" && all[i - 1] !== "--labels");
const [losoFile, round3File, round14File, extraFile, tableFile] = args;
if (!losoFile || !round3File || !round14File || !extraFile) throw new Error("usage: round22-compare.ts <loso.json> <round-3 soup-run.json> <round-14 soup-run.json> <calibration-only scores.json> [<soup-table.ts>] [--at T] [--labels a,b]");
const [A, B] = process.argv.includes("--labels") ? process.argv[process.argv.indexOf("--labels") + 1]!.split(",") : ["shipped", "candidate"];
const at = process.argv.includes("--at") ? Number(process.argv[process.argv.indexOf("--at") + 1]) : NaN;
const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));

const loso: { variant: string; scores: Array<{ source: string; label: 0 | 1; score: number }> } = JSON.parse(readFileSync(losoFile, "utf8"));
const samples: Sample[] = loso.scores.map((s) => ({ text: "", source: s.source, label: s.label, group: "" }));
const scores = loso.scores.map((s) => s.score);
const asRun = (file: string): SoupRun => {
  const r = JSON.parse(readFileSync(file, "utf8")) as { threshold: number; rows: SoupRun["rows"]; logits: Array<{ source: string; logit: number | null }> };
  for (const [i, s] of loso.scores.entries()) if (r.logits[i]!.source !== s.source) throw new Error(`${file}, sample ${i}: ${s.source} against ${r.logits[i]!.source}`);
  return { logits: r.logits.slice(0, samples.length).map((l) => l.logit ?? -Infinity), threshold: r.threshold, rows: r.rows, head: undefined as never, heldOut: new Map() };
};
const round3 = asRun(round3File);
const round14 = { ...asRun(round14File), head: await headOf(tableFile ?? here("../worker/screen/soup-table.ts")) };

// Round 10's harmless texts: the shipped fit's scores (checked to be of these texts), the shipped head's logits.
const extra = calibrationOnlySamples(here("data/round10-public.json"));
const saved: { variant: string; scores: Array<{ source: string; hash: number; score: number }> } = JSON.parse(readFileSync(extraFile, "utf8"));
if (saved.variant !== loso.variant || saved.scores.length !== extra.length || saved.scores.some((r, i) => r.hash !== hashString(extra[i]!.text))) throw new Error(`${extraFile} is not of these texts or of this variant`);
const calSamples = [...samples, ...extra];
const calScores = [...scores, ...saved.scores.map((r) => r.score)];
const calSoup: SoupRun = { ...round14, logits: [...round14.logits, ...extra.map((s) => runLogit(round14, s.text))] };

// Shipped: round 4's joint rule with round 3's head (must reproduce calibrated_from in the pipeline's grouping).
const calibratedFrom = (JSON.parse(readFileSync(here("metrics.json"), "utf8")) as { calibrated_from: number }).calibrated_from;
const base = jointCalibration(samples, scores, round3);
console.log(`${losoFile}: shipped rule default ${base.threshold} (metrics.json calibrated_from ${calibratedFrom}: ${base.threshold === calibratedFrom ? "equal" : "NOT equal"})`);
// Round 10's two sources were never in the shipped calibration: their nested threshold is the default.
const baseRows = [...base.rows, ...["bigprompt_gpts", "gpteacher_roleplay"].map((source) => ({ source, n: 0, at_default: 0, nested_threshold: base.threshold, at_nested_default: 0 }))];
const cand = classifierCalibration(calSamples, calScores);
console.log(`${B} (round 22 rule) default ${cand.threshold}; logit shift of the bias ${(Math.log(calibratedFrom / (1 - calibratedFrom)) - Math.log(cand.threshold / (1 - cand.threshold))).toFixed(4)}`);

const a = new Map(fixedClassifierCheck(calSamples, calScores, { threshold: base.threshold, rows: baseRows }, calSoup).map((r) => [r.source, r]));
const b = fixedClassifierCheck(calSamples, calScores, cand, calSoup);
const pct = (r: FixedRow, x: number) => `${(100 * x).toFixed(2)}% (${Math.round(x * r.n)})`;
const nested = new Map(cand.rows.map((r) => [r.source, r.nested_threshold]));
console.log(`\n| harmless source | n | ${A}: in-sample | ${A}: nested | ${B}: in-sample | ${B}: nested | ${B} nested threshold | head alone nested | ${B} nested ≤ 1.00% |`);
console.log("|---|---|---|---|---|---|---|---|---|");
let met = true;
for (const c of b) {
  const r = a.get(c.source)!;
  const ok = c.at_nested_default <= 0.01;
  if (c.n >= MIN_CALIBRATION_TEXTS && !ok) met = false;
  console.log(`| ${c.source} | ${c.n} | ${pct(r, r.at_default)} | ${pct(r, r.at_nested_default)} | ${pct(c, c.at_default)} | ${pct(c, c.at_nested_default)} | ${nested.get(c.source)!.toFixed(5)} | ${c.head_nested} | ${c.n < MIN_CALIBRATION_TEXTS ? "(under 100)" : ok ? "met" : "NOT met"} |`);
}
console.log(`\n${B}, nested ≤ 1%: ${met ? "met" : "NOT met"} on every harmless source of ${MIN_CALIBRATION_TEXTS}+`);

// (c) Recall at the defaults (LOSO scores), classifier alone and with the head; ranking figures.
const r = losoReport(samples, scores);
console.log(`\nranking (threshold-free, same scores for both): AUC ${r.auc.toFixed(4)}, recall at pooled 1% FPR ${(100 * r.recall_at_1pct).toFixed(2)}%`);
const thresholds: Array<[string, number]> = [[A!, base.threshold], [B!, cand.threshold], ...(Number.isNaN(at) ? [] : [["--at", at] as [string, number]])];
const attackSources = [...new Set(samples.filter((s) => s.label === 1).map((s) => s.source))].sort();
const flagged = (t: number, src: string | null, head: boolean) => {
  const idx = samples.map((s, i) => (s.label === 1 && (src === null || s.source === src) ? i : -1)).filter((i) => i >= 0);
  return [idx.filter((i) => scores[i]! > t || (head && round14.logits[i]! > round14.threshold)).length, idx.length] as const;
};
console.log(`\n| attack source | n | ${thresholds.map(([n, t]) => `${n} (${t.toFixed(5)}): classifier / pair`).join(" | ")} |`);
console.log(`|---|---|${thresholds.map(() => "---|").join("")}`);
for (const src of [...attackSources, null]) {
  const cells = thresholds.map(([, t]) => {
    const [c, n] = flagged(t, src, false);
    const [p] = flagged(t, src, true);
    return `${c} / ${p} (${((100 * c) / n).toFixed(1)}% / ${((100 * p) / n).toFixed(1)}%)`;
  });
  console.log(`| ${src ?? "all attacks"} | ${flagged(0, src, false)[1]} | ${cells.join(" | ")} |`);
}
