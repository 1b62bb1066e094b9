/**
 * Scores today's texts with a previous model (its own featurizer and screen.onnx, from another
 * checkout), for the model card's side-by-side table:
 *
 *   git archive <commit> | tar -x -C .tmp/old-src && npx tsx wasm-models/compare-previous.ts .tmp/old-src
 *
 * The previous model was trained on most of the older sources, so only sources added since are
 * out-of-source for it; the report says which.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { pathToFileURL, fileURLToPath } from "node:url";
import { DATA_DIR, loadSamples, ownDataFiles } from "./lib/data";
import { losoReport } from "./lib/loso";
import { onnxScorer } from "./lib/onnx-score";

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const old = resolve(process.argv[2] ?? ".tmp/old-src");
const samples = loadSamples(DATA_DIR, ownDataFiles(), 42);
const { screeningWindows } = (await import(pathToFileURL(`${old}/worker/screen/featurize.ts`).href)) as { screeningWindows: (t: string) => never[] };
const score = await onnxScorer(readFileSync(`${old}/wasm-models/screen.onnx`));
const scores: number[] = [];
for (const s of samples) scores.push(await score(screeningWindows(s.text)));
const r = losoReport(samples, scores);
const at = (src: string, t: number) => {
  const xs = scores.filter((_, i) => samples[i]!.source === src);
  return xs.filter((x) => x >= t).length / xs.length;
};
const rows = r.rows.map((row) => ({ source: row.source, label: row.label, n: row.n, at_1pct: row.at_1pct, at_0_9: at(row.source, 0.9) }));
const flagged09 = { attacks: scores.filter((x, i) => samples[i]!.label === 1 && x >= 0.9).length / samples.filter((s) => s.label === 1).length, benign: scores.filter((x, i) => samples[i]!.label === 0 && x >= 0.9).length / samples.filter((s) => s.label === 0).length };
writeFileSync(here("../.tmp/previous-model.json"), JSON.stringify({ auc: r.auc, threshold_1pct: r.threshold_1pct, recall_at_1pct: r.recall_at_1pct, flagged09, rows }, null, 1));
console.log(`previous model: AUC ${r.auc.toFixed(4)} recall@1% ${(100 * r.recall_at_1pct).toFixed(1)}% at 0.9: attacks ${(100 * flagged09.attacks).toFixed(1)}% benign ${(100 * flagged09.benign).toFixed(1)}%`);
for (const x of rows) console.log(`| ${x.source} | ${x.label ? "attack" : "benign"} | ${x.n} | ${(100 * x.at_1pct).toFixed(1)}% | ${(100 * x.at_0_9).toFixed(1)}% |`);
