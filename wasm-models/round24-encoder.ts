/**
 * Issue 10, round 24 (notes/round24-rules.md): a pretrained sentence encoder in the
 * leave-one-source-out loop, next to the shipped hashed n-grams.
 *
 *   npx tsx wasm-models/round24-encoder.ts --base .tmp/loso-<variant>.json [--purplellama-together]
 *
 * --base: the shipped n-gram model's leave-one-source-out run in the same grouping
 * (`train.ts --loso-only [--purplellama-together] --loso-out F`), for U+N and S+N and as the
 * reference. Writes .tmp/round24/<grouping>.json and logs each candidate's headline.
 *
 *   npx tsx wasm-models/round24-encoder.ts --table .tmp/round24/<grouping>.json
 *
 * prints that run's per-source tables (markdown) for notes/round24-results.md.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { normalize, windowSpans, type SparseVector } from "../worker/screen/featurize";
import { loadSamples, type Sample } from "./lib/data";
import { embedAll, ENCODER_DIMS, loadEncoder, type Encoder } from "./lib/encoder";
import { toExamples, type Featurized } from "./lib/examples";
import { fit, logit, sigmoid, type LogReg } from "./lib/logreg";
import { leaveOneSourceOut, losoReport } from "./lib/loso";
import { losoCheck } from "./lib/loso-check";
import { hashString } from "./lib/rng";
import { clusters } from "./lib/split";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const log = (line: string) => console.error(`[${new Date().toISOString().slice(11, 19)}] ${line}`);
const arg = (name: string) => (process.argv.includes(name) ? process.argv[process.argv.indexOf(name) + 1]! : undefined);
const TOGETHER = process.argv.includes("--purplellama-together");
const DATA_DIR = process.env.WARDEN_DATA_DIR ?? (existsSync(here("../../shared/data")) ? here("../../shared/data") : here("../../../shared/data"));
const OWN_DATA = { hardNegatives: here("data/hard-negatives.json"), attacks: here("data/own-attacks.json"), publicBenign: here("data/public-benign.json"), publicLabelled: here("data/public-labelled.json"), round5: [] };
const SEED = 42;
/** Fixed by the rules: unit-scale dimensions, L2 1e-4, 200 L-BFGS iterations. */
const SCALE = Math.sqrt(ENCODER_DIMS);
const FIT = { dim: ENCODER_DIMS, l2: 1e-4, iterations: 200 };
const DENSE = Int32Array.from({ length: ENCODER_DIMS }, (_, i) => i);

/** The Worker's sliding windows of a text (line windows are not used, see the rules). */
const windowTexts = (text: string): string[] => {
  const t = normalize(text);
  return windowSpans(t.length).map(([a, b]) => t.slice(a, b));
};

/** Static distillation: every piece embedded alone; a text is the mean of its pieces' rows. */
async function pieceTable(encoder: Encoder): Promise<Float32Array[]> {
  const ids = Array.from({ length: encoder.vocabularySize }, (_, i) => `${i}`);
  const rows: Float32Array[] = [];
  for (let i = 0; i < ids.length; i += 256) rows.push(...(await encoder.embedPieces(ids.slice(i, i + 256).map((id) => [Number(id)]))));
  return rows;
}
function staticVector(encoder: Encoder, table: Float32Array[], text: string): Float32Array {
  const out = new Float32Array(ENCODER_DIMS);
  const ids = encoder.pieces(text);
  for (const id of ids) {
    const row = table[id]!;
    for (let d = 0; d < ENCODER_DIMS; d++) out[d]! += row[d]!;
  }
  if (ids.length > 0) for (let d = 0; d < ENCODER_DIMS; d++) out[d]! /= ids.length;
  return out;
}

const dense = (v: Float32Array): SparseVector => ({ indices: DENSE, values: v.map((x) => x * SCALE) });
const maxLogit = (model: LogReg, item: Featurized) => Math.max(...item.scored.map((x) => logit(model, x)));
const logitOf = (p: number) => Math.log(Math.max(p, 1e-15) / Math.max(1 - p, 1e-15));

function summary(name: string, samples: Sample[], scores: number[]) {
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

async function main(): Promise<void> {
  if (arg("--table")) return printTables(arg("--table")!);
  const baseFile = arg("--base");
  if (!baseFile) throw new Error("--base .tmp/loso-<variant>.json (the n-gram model's run in the same grouping)");
  const samples = loadSamples(DATA_DIR, OWN_DATA, SEED);
  const base = JSON.parse(readFileSync(baseFile, "utf8")) as { scores: Array<{ source: string; hash: number; score: number }> };
  if (base.scores.length !== samples.length || base.scores.some((s, i) => s.hash !== hashString(samples[i]!.text))) throw new Error(`${baseFile} is not a run over these texts`);
  const baseScores = base.scores.map((s) => s.score);
  const roots = clusters(samples);

  const encoder = await loadEncoder(log);
  const perText = samples.map((s) => windowTexts(s.text));
  const flat = perText.flat();
  log(`${samples.length} texts, ${flat.length} windows`);
  const contextual = await embedAll(encoder, "windows", flat, log);
  const table = await pieceTable(encoder);
  const statics = flat.map((t) => staticVector(encoder, table, t));

  const itemsFrom = (vectors: Float32Array[]): Featurized[] => {
    let k = 0;
    return samples.map((sample, i) => {
      const windows = perText[i]!.map(() => dense(vectors[k++]!));
      return { sample, windows, scored: windows };
    });
  };
  const train = (items: Featurized[]) => fit(toExamples(items, 1), FIT);
  const score = (model: LogReg, item: Featurized) => sigmoid(maxLogit(model, item));
  const results: Record<string, ReturnType<typeof summary>> = { base: summary("base (shipped n-grams)", samples, baseScores) };
  const raw: Record<string, number[]> = { base: baseScores };
  for (const [name, vectors] of [["U", contextual], ["S", statics]] as const) {
    const scores = leaveOneSourceOut(itemsFrom(vectors), roots, train, score, log);
    raw[name] = scores;
    results[name] = summary(name, samples, scores);
    const plusN = scores.map((p, i) => sigmoid(logitOf(p) + logitOf(baseScores[i]!)));
    raw[`${name}+N`] = plusN;
    results[`${name}+N`] = summary(`${name}+N`, samples, plusN);
  }
  mkdirSync(here("../.tmp/round24"), { recursive: true });
  const grouping = TOGETHER ? "together" : "card";
  writeFileSync(here(`../.tmp/round24/${grouping}.json`), JSON.stringify({ grouping, results, scores: raw }));
  log(`wrote .tmp/round24/${grouping}.json`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
