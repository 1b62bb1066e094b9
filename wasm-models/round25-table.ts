/**
 * Issue 10, round 25 (notes/round25-rules.md): a contextual table. Per leave-one-source-out fold,
 * every hashed n-gram bucket carries the mean encoder embedding of the fold's training windows it
 * occurs in; a window is the idf-weighted mean of its buckets' vectors; logistic regression as
 * round 24's U. Needs round 24's embedding cache (.tmp/encoder/windows.*).
 *
 *   npx tsx wasm-models/round25-table.ts --base .tmp/loso-<variant>.json [--purplellama-together]
 *   npx tsx wasm-models/round25-table.ts --table .tmp/round25/<grouping>.json
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DIM, normalize, screeningWindows, windowSpans, type SparseVector } from "../worker/screen/featurize";
import { embedAll, ENCODER_DIMS, loadEncoder } from "./lib/encoder";
import { dense, experimentInput, FIT, log, logitOf, maxLogit, summary } from "./lib/encoder-loso";
import { toExamples, type Featurized } from "./lib/examples";
import { fit, sigmoid, type LogReg } from "./lib/logreg";
import { leaveOneSourceOut } from "./lib/loso";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const TOGETHER = process.argv.includes("--purplellama-together");
const D = ENCODER_DIMS;

interface Table {
  vectors: Float32Array;
  idf: Float64Array;
  known: Uint8Array;
}

/** The fold's table, from its training windows only (the rules' v_j and idf_j). */
function buildTable(windows: SparseVector[], embeddingOf: Map<SparseVector, Float32Array>): Table {
  const sums = new Float64Array(DIM * D);
  const weight = new Float64Array(DIM);
  const df = new Float64Array(DIM);
  for (const x of windows) {
    const e = embeddingOf.get(x)!;
    for (let k = 0; k < x.indices.length; k++) {
      const j = x.indices[k]!;
      const v = x.values[k]!;
      weight[j]! += v;
      df[j]! += 1;
      const row = j * D;
      for (let d = 0; d < D; d++) sums[row + d]! += v * e[d]!;
    }
  }
  const vectors = new Float32Array(DIM * D);
  const idf = new Float64Array(DIM);
  const known = new Uint8Array(DIM);
  for (let j = 0; j < DIM; j++) {
    if (weight[j]! <= 0) continue;
    known[j] = 1;
    idf[j] = Math.log(windows.length / df[j]!);
    for (let d = 0; d < D; d++) vectors[j * D + d] = sums[j * D + d]! / weight[j]!;
  }
  return { vectors, idf, known };
}

function windowVector(table: Table, x: SparseVector): Float32Array {
  const out = new Float64Array(D);
  let total = 0;
  for (let k = 0; k < x.indices.length; k++) {
    const j = x.indices[k]!;
    if (!table.known[j]) continue;
    const w = table.idf[j]! * x.values[k]!;
    total += w;
    const row = j * D;
    for (let d = 0; d < D; d++) out[d]! += w * table.vectors[row + d]!;
  }
  return Float32Array.from(out, (v) => (total > 0 ? v / total : 0));
}

async function main(): Promise<void> {
  const input = experimentInput();
  if (!input) return;
  const { samples, baseScores, roots, perText } = input;
  const embeddings = await embedAll(await loadEncoder(log), "windows", perText.flat(), log);
  const embeddingOf = new Map<SparseVector, Float32Array>();
  let k = 0;
  const items: Featurized[] = samples.map((sample, i) => {
    const windows = screeningWindows(sample.text, null).slice(0, windowSpans(normalize(sample.text).length).length);
    if (windows.length !== perText[i]!.length) throw new Error(`text ${i}: ${windows.length} hashed windows, ${perText[i]!.length} embedded`);
    for (const x of windows) embeddingOf.set(x, embeddings[k++]!);
    return { sample, windows, scored: windows };
  });
  log(`${samples.length} texts, ${k} windows`);

  type Model = { table: Table; lr: LogReg };
  const project = (table: Table, item: Featurized): Featurized => {
    const windows = item.windows.map((x) => dense(windowVector(table, x)));
    return { sample: item.sample, windows, scored: windows };
  };
  const train = (training: Featurized[]): Model => {
    const table = buildTable(training.flatMap((i) => i.windows), embeddingOf);
    return { table, lr: fit(toExamples(training.map((i) => project(table, i)), 1), FIT) };
  };
  const score = (m: Model, item: Featurized) => sigmoid(maxLogit(m.lr, project(m.table, item)));
  const scores = leaveOneSourceOut(items, roots, train, score, log);
  const plusN = scores.map((p, i) => sigmoid(logitOf(p) + logitOf(baseScores[i]!)));
  const grouping = TOGETHER ? "together" : "card";
  // Round 24's U and U+N of the same grouping beside, when that run is there.
  const round24 = (() => {
    try {
      return (JSON.parse(readFileSync(here(`../.tmp/round24/${grouping}.json`), "utf8")) as { scores: Record<string, number[]> }).scores;
    } catch {
      return null;
    }
  })();
  const results: Record<string, ReturnType<typeof summary>> = { base: summary("base (shipped n-grams)", samples, baseScores) };
  if (round24) for (const name of ["U", "U+N"]) results[name] = summary(`round 24 ${name}`, samples, round24[name]!);
  results.C = summary("C", samples, scores);
  results["C+N"] = summary("C+N", samples, plusN);
  mkdirSync(here("../.tmp/round25"), { recursive: true });
  writeFileSync(here(`../.tmp/round25/${grouping}.json`), JSON.stringify({ grouping, results, scores: { C: scores, "C+N": plusN } }));
  log(`wrote .tmp/round25/${grouping}.json`);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
