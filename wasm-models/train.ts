/**
 * Trains Warden's screening model, end to end, deterministically:
 *
 *   npx tsx wasm-models/train.ts          train on the train split, score the held-out val split,
 *                                         write screen.onnx, metrics.json, the model card's
 *                                         metrics section and test/vectors/featurize.json
 *   npx tsx wasm-models/train.ts --tune   compare settings by grouped 4-fold cross-validation
 *                                         inside the train split (val stays untouched)
 *
 * Inputs: ../shared/data (public sets, see MODEL_CARD.md) and our own data/*.json.
 * The val split is never used for fitting or tuning; it is scored once, through onnxruntime
 * (the runtime the Worker uses), next to the llm_guardrail baseline.
 * After retraining, re-sign the manifest: npx tsx wasm-models/sign.ts
 */
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { DIM, featurize, FEATURIZER_VERSION, screeningWindows } from "../worker/screen/featurize";
import { baselineScore } from "./lib/baseline";
import { updateCard } from "./lib/card";
import { loadSamples, type Sample } from "./lib/data";
import { report, type DetectorReport } from "./lib/evaluate";
import { toExamples, type Featurized } from "./lib/examples";
import { fit, logit, sigmoid, type LogReg } from "./lib/logreg";
import { longDocumentCheck } from "./lib/long-documents";
import { exportOnnx } from "./lib/onnx-export";
import { onnxScorer } from "./lib/onnx-score";
import { assignSplits, clusters, type Split } from "./lib/split";
import { crossValidate, type Settings } from "./lib/cv";
import { writeVectors } from "./lib/vectors";

const SEED = 42;
/** Chosen with --tune (see MODEL_CARD.md). */
const SETTINGS: Settings = { l2: 3e-5, sourcePower: 0.5, iterations: 300 };

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const DATA_DIR = process.env.WARDEN_DATA_DIR ?? here("../../shared/data");
const OWN_DATA = { hardNegatives: here("data/hard-negatives.json"), attacks: here("data/own-attacks.json") };
const MODEL_FILE = here("screen.onnx");
const METRICS_FILE = here("metrics.json");
const VECTORS_FILE = here("../test/vectors/featurize.json");

const log = (line: string) => console.log(line);

function train(items: Featurized[], settings: Settings): LogReg {
  return fit(toExamples(items, settings.sourcePower), { dim: DIM, l2: settings.l2, iterations: settings.iterations, log });
}

/** A text's score is its most suspicious window, as in the Worker. */
function jsScore(model: LogReg, item: Featurized): number {
  return item.scored.reduce((max, x) => Math.max(max, sigmoid(logit(model, x))), 0);
}

function summary(name: string, r: DetectorReport): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return `${name}: AUC ${r.roc_auc.toFixed(4)}  recall@1%FPR ${pct(r.recall_at_1pct_fpr)}  recall@5%FPR ${pct(r.recall_at_5pct_fpr)}  security FPR@1% ${pct(r.fpr_security_at_1pct)}`;
}

function tune(items: Featurized[], splits: Split[], clusterKeys: string[]): void {
  const inTrain = (_: unknown, i: number) => splits[i] === "train";
  for (const l2 of [1e-4, 3e-5, 1e-5]) {
    for (const sourcePower of [0, 0.5, 1]) {
      const r = crossValidate(items.filter(inTrain), clusterKeys.filter(inTrain), { ...SETTINGS, l2, sourcePower });
      log(summary(`l2=${l2} sourcePower=${sourcePower}`, r));
    }
  }
}

async function main(): Promise<void> {
  const samples = loadSamples(DATA_DIR, OWN_DATA, SEED);
  const roots = clusters(samples);
  const splits = assignSplits(samples, SEED, roots);
  const items: Featurized[] = samples.map((sample) => ({ sample, windows: featurize(sample.text), scored: screeningWindows(sample.text) }));
  log(`${samples.length} texts, ${items.reduce((n, i) => n + i.windows.length, 0)} windows`);
  if (process.argv.includes("--tune")) return tune(items, splits, roots.map((r) => samples[r]!.group));

  const model = train(items.filter((_, i) => splits[i] === "train"), SETTINGS);
  const onnx = exportOnnx(model, `Warden screening model; featurizer ${FEATURIZER_VERSION}; see MODEL_CARD.md`);
  writeFileSync(MODEL_FILE, onnx);

  const score = await onnxScorer(onnx);
  const val = items.filter((_, i) => splits[i] === "val");
  const valSamples: Sample[] = val.map((v) => v.sample);
  const ours = await Promise.all(val.map((v) => score(v.scored)));
  // The shipped (float32, onnxruntime) scores must agree with the float64 ones we trained on.
  const drift = Math.max(...val.map((v, i) => Math.abs(jsScore(model, v) - ours[i]!)));
  if (drift > 1e-4) throw new Error(`onnxruntime and training disagree by ${drift}`);
  const baseline: number[] = [];
  for (const v of val) baseline.push(await baselineScore(v.sample.text));

  const warden = report(valSamples, ours);
  const llm_guardrail = report(valSamples, baseline);
  const thresholds = { warden: warden.threshold_at_1pct_fpr, llm_guardrail: llm_guardrail.threshold_at_1pct_fpr };
  const metrics = {
    featurizer: FEATURIZER_VERSION,
    seed: SEED,
    settings: SETTINGS,
    model_bytes: onnx.length,
    counts: countBySplit(samples, splits),
    warden,
    llm_guardrail,
    long_documents: await longDocumentCheck(val, score, baselineScore, thresholds),
  };
  log(summary("warden", metrics.warden));
  log(summary("llm_guardrail", metrics.llm_guardrail));
  writeFileSync(METRICS_FILE, JSON.stringify(metrics, null, 2) + "\n");
  updateCard(here("MODEL_CARD.md"), metrics);
  await writeVectors(VECTORS_FILE, samples, score);
  log(`wrote ${MODEL_FILE} (${onnx.length} bytes), ${METRICS_FILE}, ${VECTORS_FILE}`);
}

function countBySplit(samples: Sample[], splits: Split[]): Record<string, Record<Split, number>> {
  const out: Record<string, Record<Split, number>> = {};
  samples.forEach((s, i) => {
    const row = (out[s.source] ??= { train: 0, val: 0 });
    row[splits[i]!]++;
  });
  return out;
}

await main();
