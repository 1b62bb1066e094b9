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
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { embedAll, ENCODER_DIMS, loadEncoder, type Encoder } from "./lib/encoder";
import { dense, experimentInput, FIT, log, logitOf, maxLogit, summary } from "./lib/encoder-loso";
import { toExamples, type Featurized } from "./lib/examples";
import { fit, sigmoid, type LogReg } from "./lib/logreg";
import { leaveOneSourceOut } from "./lib/loso";

const here = (p: string) => fileURLToPath(new URL(p, import.meta.url));
const TOGETHER = process.argv.includes("--purplellama-together");

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

async function main(): Promise<void> {
  const input = experimentInput();
  if (!input) return;
  const { samples, baseScores, roots, perText } = input;

  const encoder = await loadEncoder(log);
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
