/**
 * Issue 10, fifth round (notes/round5-rules.md): compares two leave-one-source-out runs of
 * `train.ts --loso-only` on the sources of the OLD run only, every threshold chosen on the old
 * run's benign sources, so new data can help or hurt the existing sources but cannot move a
 * threshold. The new sources' own held-out figures are printed separately (not for deciding).
 *
 *   npx tsx wasm-models/compare-round5.ts <old loso json> <new loso json> [name of the new run] [--round10-bar]
 *
 * --round10-bar prints round 10's bar (notes/round10-rules.md) instead of round 5's: macro +3
 * points, pooled recall not lower, every existing harmless source of 100+ at its nested default
 * at most max(1%, the old run's figure for it).
 */
import { readFileSync } from "node:fs";
import type { Sample } from "./lib/data";
import { losoCheck, type LosoCheck } from "./lib/loso-check";
import { losoReport, type LosoReport } from "./lib/loso";
import { rateAbove, rocAuc } from "./lib/metrics";

interface Run {
  scores: Array<{ source: string; label: 0 | 1; hash: number; score: number }>;
}

const load = (file: string) => JSON.parse(readFileSync(file, "utf8")) as Run;
const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

function figures(run: Run, keep: Set<string>): { samples: Sample[]; scores: number[]; report: LosoReport; check: LosoCheck } {
  const rows = run.scores.filter((r) => keep.has(r.source));
  const samples: Sample[] = rows.map((r) => ({ text: "", label: r.label, source: r.source, group: "" }));
  const scores = rows.map((r) => r.score);
  return { samples, scores, report: losoReport(samples, scores), check: losoCheck(samples, scores) };
}

function main(): void {
  const [oldFile, newFile] = process.argv.slice(2);
  if (!oldFile || !newFile) throw new Error("usage: compare-round5.ts <old loso json> <new loso json>");
  const oldRun = load(oldFile);
  const newRun = load(newFile);
  const existing = new Set(oldRun.scores.map((r) => r.source));
  const a = figures(oldRun, existing);
  const b = figures(newRun, existing);
  const line = (name: string, f: ReturnType<typeof figures>) =>
    `| ${name} | ${f.samples.length} | ${f.report.auc.toFixed(4)} | ${pct(f.report.recall_at_1pct)} | ${pct(f.report.recall_at_default)} / ${(100 * f.report.fpr_at_default).toFixed(2)}% | ${pct(f.check.macro_recall_at_balanced)} | ${f.check.worst_attack_source} ${pct(f.check.worst_attack_recall)} | ${(100 * Math.max(...f.check.benign_rows.filter((r) => r.n >= 100).map((r) => r.at_nested_default))).toFixed(2)}% |`;
  console.log("| data | texts (existing sources) | pooled AUC | recall @ pooled 1% FPR | recall / benign flagged at the default | macro recall (source-balanced 1%) | worst attack source | highest nested default, harmless source of 100+ |");
  console.log("|---|---|---|---|---|---|---|---|");
  console.log(line("old (round 4)", a));
  console.log(line(process.argv[4] ?? "old + round-5 data", b));
  console.log("");
  console.log("| existing source | label | n | old: pooled 1% / default / balanced (attacks) or nested default (harmless) | new: the same | AUC old → new |");
  console.log("|---|---|---|---|---|---|");
  for (const src of [...existing].sort()) {
    const ra = a.report.rows.find((r) => r.source === src)!;
    const rb = b.report.rows.find((r) => r.source === src)!;
    const third = (f: ReturnType<typeof figures>) =>
      ra.label === 1 ? pct(f.check.attack_rows.find((r) => r.source === src)!.at_balanced) : pct(f.check.benign_rows.find((r) => r.source === src)!.at_nested_default);
    const auc = ra.label === 1 ? `${ra.auc.toFixed(3)} → ${rb.auc.toFixed(3)}` : "";
    console.log(`| ${src} | ${ra.label ? "attack" : "benign"} | ${ra.n} | ${pct(ra.at_1pct)} / ${pct(ra.at_default)} / ${third(a)} | ${pct(rb.at_1pct)} / ${pct(rb.at_default)} / ${third(b)} | ${auc} |`);
  }
  // The new sources, held out, at the thresholds of the existing sources in the new run (not for deciding).
  const fresh = [...new Set(newRun.scores.map((r) => r.source))].filter((s) => !existing.has(s)).sort();
  const benignExisting = b.scores.filter((_, i) => b.samples[i]!.label === 0);
  console.log("");
  console.log("| new source (held out; reported, not deciding) | label | n | at the pooled 1% threshold | at the default | AUC against the existing benign |");
  console.log("|---|---|---|---|---|---|");
  for (const src of fresh) {
    const rows = newRun.scores.filter((r) => r.source === src);
    const s = rows.map((r) => r.score);
    const label = rows[0]!.label;
    console.log(`| ${src} | ${label ? "attack" : "benign"} | ${s.length} | ${pct(rateAbove(s, b.report.threshold_1pct))} | ${pct(rateAbove(s, b.report.threshold_default))} | ${label ? rocAuc(s, benignExisting).toFixed(3) : ""} |`);
  }
  const macroGain = b.check.macro_recall_at_balanced - a.check.macro_recall_at_balanced;
  const nestedMax = Math.max(...b.check.benign_rows.filter((r) => r.n >= 100).map((r) => r.at_nested_default));
  const pooledDrop = a.report.recall_at_1pct - b.report.recall_at_1pct;
  console.log("");
  if (process.argv.includes("--round10-bar")) return round10Bar(a, b);
  console.log(`Bar: macro +${(100 * macroGain).toFixed(1)} points (need >= 3.0): ${macroGain >= 0.03 ? "met" : "NOT met"}; highest nested default ${(100 * nestedMax).toFixed(2)}% (need <= 1%): ${nestedMax <= 0.01 ? "met" : "NOT met"}; pooled recall change ${(-100 * pooledDrop).toFixed(1)} points (need >= -1.0): ${pooledDrop <= 0.01 ? "met" : "NOT met"}`);
}

/** Round 10's bar (notes/round10-rules.md), on the existing sources. */
function round10Bar(a: ReturnType<typeof figures>, b: ReturnType<typeof figures>): void {
  const macroGain = b.check.macro_recall_at_balanced - a.check.macro_recall_at_balanced;
  const pooledChange = b.report.recall_at_1pct - a.report.recall_at_1pct;
  const over = b.check.benign_rows
    .filter((r) => r.n >= 100)
    .map((r) => ({ r, limit: Math.max(0.01, a.check.benign_rows.find((x) => x.source === r.source)!.at_nested_default) }))
    .filter(({ r, limit }) => r.at_nested_default > limit + 1e-12);
  const nested = over.length === 0 ? "met" : `NOT met (${over.map(({ r, limit }) => `${r.source} ${(100 * r.at_nested_default).toFixed(2)}% > ${(100 * limit).toFixed(2)}%`).join(", ")})`;
  console.log(`Round-10 bar: macro ${macroGain >= 0 ? "+" : ""}${(100 * macroGain).toFixed(1)} points (need >= +3.0): ${macroGain >= 0.03 - 1e-12 ? "met" : "NOT met"}; pooled recall at 1% FPR change ${(100 * pooledChange).toFixed(1)} points (need >= 0): ${pooledChange >= -1e-12 ? "met" : "NOT met"}; nested default of every existing harmless source of 100+ <= max(1%, old): ${nested}`);
}

main();
