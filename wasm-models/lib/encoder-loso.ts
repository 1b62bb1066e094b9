/**
 * What rounds 24 and 25 of issue 10 share (notes/round24-rules.md, round25-rules.md): the
 * training texts as train.ts loads them, the Worker's sliding windows as text, dense window
 * vectors for the pipeline's logistic regression, the base run, and the per-source summaries.
 */
import { readFileSync } from "node:fs";
import { normalize, windowSpans, type SparseVector } from "../../worker/screen/featurize";
import { DATA_DIR, loadSamples, ownDataFiles, type Sample } from "./data";
import { ENCODER_DIMS } from "./encoder";
import type { Featurized } from "./examples";
import { logit, type LogReg } from "./logreg";
import { losoReport } from "./loso";
import { losoCheck } from "./loso-check";
import { hashString } from "./rng";
import { clusters } from "./split";

export const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : undefined);
const SEED = 42;
/** Fixed by the rules: unit-scale dimensions, L2 1e-4, 200 L-BFGS iterations. */
const SCALE = Math.sqrt(ENCODER_DIMS);
export const FIT = { dim: ENCODER_DIMS, l2: 1e-4, iterations: 200 };
const DENSE = Int32Array.from({ length: ENCODER_DIMS }, (_, i) => i);

/** train.ts's default texts, in its order, with the shipped n-gram model's leave-one-source-out scores of them (`--base` file). */
function samplesWithBase(baseFile: string): { samples: Sample[]; baseScores: number[] } {
  const samples = loadSamples(DATA_DIR, ownDataFiles(), SEED);
  const base = JSON.parse(readFileSync(baseFile, "utf8")) as { scores: Array<{ source: string; hash: number; score: number }> };
  if (base.scores.length !== samples.length || base.scores.some((s, i) => s.hash !== hashString(samples[i]!.text))) throw new Error(`${baseFile} is not a run over these texts`);
  return { samples, baseScores: base.scores.map((s) => s.score) };
}

/** The Worker's sliding windows of a text (line windows are not used, see the rules). */
const windowTexts = (text: string): string[] => {
  const t = normalize(text);
  return windowSpans(t.length).map(([a, b]) => t.slice(a, b));
};

export const dense = (v: Float32Array): SparseVector => ({ indices: DENSE, values: v.map((x) => x * SCALE) });
export const maxLogit = (model: LogReg, item: Featurized) => Math.max(...item.scored.map((x) => logit(model, x)));
export const logitOf = (p: number) => Math.log(Math.max(p, 1e-15) / Math.max(1 - p, 1e-15));

export function summary(name: string, samples: Sample[], scores: number[]) {
  const r = losoReport(samples, scores);
  const c = losoCheck(samples, scores);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  log(`${name}: AUC ${r.auc.toFixed(4)} recall@1%FPR ${pct(r.recall_at_1pct)} macro ${pct(c.macro_recall_at_balanced)} worst ${c.worst_attack_source} ${pct(c.worst_attack_recall)}`);
  return {
    auc: r.auc,
    recall_at_1pct: r.recall_at_1pct,
    macro_recall: c.macro_recall_at_balanced,
    worst_attack: [c.worst_attack_source, c.worst_attack_recall] as const,
    attack: Object.fromEntries(c.attack_rows.map((a) => [a.source, { n: a.n, at_balanced: a.at_balanced, at_1pct: r.rows.find((x) => x.source === a.source)!.at_1pct, auc: r.rows.find((x) => x.source === a.source)!.auc }])),
    benign_nested: Object.fromEntries(c.benign_rows.map((b) => [b.source, { n: b.n, at_nested_default: b.at_nested_default }])),
  };
}

function printTables(file: string): void {
  const { grouping, results } = JSON.parse(readFileSync(file, "utf8")) as { grouping: string; results: Record<string, ReturnType<typeof summary>> };
  const names = Object.keys(results);
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  console.log(`Grouping: ${grouping}\n\n| | ${names.join(" | ")} |\n|---|${names.map(() => "---|").join("")}`);
  console.log(`| AUC | ${names.map((n) => results[n]!.auc.toFixed(4)).join(" | ")} |`);
  console.log(`| recall at 1% FPR (pooled) | ${names.map((n) => pct(results[n]!.recall_at_1pct)).join(" | ")} |`);
  console.log(`| macro recall (source-balanced threshold) | ${names.map((n) => pct(results[n]!.macro_recall)).join(" | ")} |`);
  console.log(`| worst attack source | ${names.map((n) => `${results[n]!.worst_attack[0]} ${pct(results[n]!.worst_attack[1])}`).join(" | ")} |`);
  console.log(`\nAttack sources, recall at the source-balanced threshold (AUC against all benign):\n\n| source | n | ${names.join(" | ")} |\n|---|---|${names.map(() => "---|").join("")}`);
  for (const [source, row] of Object.entries(results.base!.attack)) console.log(`| ${source} | ${row.n} | ${names.map((n) => `${pct(results[n]!.attack[source]!.at_balanced)} (${results[n]!.attack[source]!.auc.toFixed(3)})`).join(" | ")} |`);
  console.log(`\nHarmless sources, flagged at the default held out of the calibration (nested):\n\n| source | n | ${names.join(" | ")} |\n|---|---|${names.map(() => "---|").join("")}`);
  for (const [source, row] of Object.entries(results.base!.benign_nested)) console.log(`| ${source} | ${row.n} | ${names.map((n) => `${(100 * results[n]!.benign_nested[source]!.at_nested_default).toFixed(2)}%`).join(" | ")} |`);
}

/**
 * A round's command line: `--table F` prints that run's tables and gives null; `--base F` gives the
 * texts, the base scores, the near-duplicate clusters and every text's windows.
 */
export function experimentInput(): { samples: Sample[]; baseScores: number[]; roots: number[]; perText: string[][] } | null {
  if (arg("--table")) return printTables(arg("--table")!), null;
  const baseFile = arg("--base");
  if (!baseFile) throw new Error("--base .tmp/loso-<variant>.json (the n-gram model's run in the same grouping)");
  const { samples, baseScores } = samplesWithBase(baseFile);
  return { samples, baseScores, roots: clusters(samples), perText: samples.map((s) => windowTexts(s.text)) };
}
