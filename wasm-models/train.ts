/**
 * Trains Warden's screening model, end to end, deterministically:
 *
 *   npx tsx wasm-models/train.ts          leave-one-source-out evaluation (lib/loso.ts), which
 *                                         also calibrates the default threshold; the grouped
 *                                         train/val split next to llm_guardrail; then the shipped
 *                                         model on every text: screen.onnx, metrics.json, the
 *                                         model card's metrics and test/vectors/featurize.json
 *   npx tsx wasm-models/train.ts --tune   compare settings by leave-one-source-out numbers
 *   npx tsx wasm-models/train.ts --vectors-only   rewrite test/vectors/featurize.json only
 *
 * Inputs: ../shared/data (public sets, see MODEL_CARD.md) and our own data/*.json.
 * Settings are picked by leave-one-source-out numbers, never by the val split; the val split is
 * scored once, through onnxruntime (the runtime the Worker uses), next to llm_guardrail.
 * After retraining, re-sign the manifest: npx tsx wasm-models/sign.ts
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
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
import type { Settings } from "./lib/cv";
import { leaveOneSourceOut, losoReport } from "./lib/loso";
import { writeVectors } from "./lib/vectors";

const SEED = 42;
/** The policy's default `screening.threshold` (CONTRACT §7); the model is calibrated to it. */
const DEFAULT_THRESHOLD = 0.9;
/** Chosen with --tune (see MODEL_CARD.md). */
const SETTINGS: Settings = { l2: 3e-5, sourcePower: 0.5, iterations: 300 };

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const DATA_DIR = process.env.WARDEN_DATA_DIR ?? (existsSync(here("../../shared/data")) ? here("../../shared/data") : here("../../../shared/data"));
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

/** Settings are compared by leave-one-source-out numbers only: worst attack source first. */
function tune(items: Featurized[], roots: number[]): void {
  for (const l2 of [1e-4, 3e-5]) {
    for (const sourcePower of [0.5, 1]) {
      const settings = { ...SETTINGS, l2, sourcePower };
      const r = losoReport(items.map((i) => i.sample), leaveOneSourceOut(items, roots, (tr) => train(tr, settings), jsScore));
      const worst = r.rows.find((x) => x.source === r.worst_attack_source)!;
      log(`l2=${l2} sourcePower=${sourcePower}: LOSO AUC ${r.auc.toFixed(4)} recall@1% ${(100 * r.recall_at_1pct).toFixed(1)}% worst ${worst.source} ${(100 * worst.at_1pct).toFixed(1)}% default-threshold recall ${(100 * r.recall_at_default).toFixed(1)}%`);
    }
  }
}

/** Shifts the bias so that `threshold` (a score of the uncalibrated model) becomes DEFAULT_THRESHOLD. */
function calibrated(model: LogReg, threshold: number): LogReg {
  const shift = logitOf(DEFAULT_THRESHOLD) - logitOf(threshold);
  return { weights: model.weights, bias: model.bias + shift };
}
const logitOf = (p: number) => Math.log(p / (1 - p));

async function main(): Promise<void> {
  const samples = loadSamples(DATA_DIR, OWN_DATA, SEED);
  const roots = clusters(samples);
  const splits = assignSplits(samples, SEED, roots);
  const items: Featurized[] = samples.map((sample) => ({ sample, windows: featurize(sample.text), scored: screeningWindows(sample.text) }));
  log(`${samples.length} texts, ${items.reduce((n, i) => n + i.windows.length, 0)} windows`);
  if (process.argv.includes("--tune")) return tune(items, roots);
  // After editing the vector cases only: rewrite the vectors for the committed model.
  if (process.argv.includes("--vectors-only")) return writeVectors(VECTORS_FILE, samples, await onnxScorer(readFileSync(MODEL_FILE)));

  // 1. Leave-one-source-out: the honest numbers, and the calibration of the default threshold.
  const losoScores = leaveOneSourceOut(items, roots, (tr) => train(tr, SETTINGS), jsScore, log);
  const loso = losoReport(samples, losoScores);
  // For looking into the numbers without refitting (not committed: .tmp/ is ignored).
  mkdirSync(here("../.tmp"), { recursive: true });
  writeFileSync(here("../.tmp/loso-scores.json"), JSON.stringify(samples.map((s, i) => ({ source: s.source, label: s.label, score: losoScores[i] }))));
  const threshold = loso.threshold_default;

  // 2. The grouped split, kept for comparison with llm_guardrail and earlier models.
  const valModel = calibrated(train(items.filter((_, i) => splits[i] === "train"), SETTINGS), threshold);
  const valScore = await onnxScorer(exportOnnx(valModel, "validation model"));
  const val = items.filter((_, i) => splits[i] === "val");
  const valSamples: Sample[] = val.map((v) => v.sample);
  const ours = await Promise.all(val.map((v) => valScore(v.scored)));
  // The shipped (float32, onnxruntime) scores must agree with the float64 ones we trained on.
  const drift = Math.max(...val.map((v, i) => Math.abs(jsScore(valModel, v) - ours[i]!)));
  if (drift > 1e-4) throw new Error(`onnxruntime and training disagree by ${drift}`);
  const baseline: number[] = [];
  for (const v of val) baseline.push(await baselineScore(v.sample.text));
  const warden = report(valSamples, ours);
  const llm_guardrail = report(valSamples, baseline);
  const thresholds = { warden: warden.threshold_at_1pct_fpr, llm_guardrail: llm_guardrail.threshold_at_1pct_fpr };
  const long_documents = await longDocumentCheck(val, valScore, baselineScore, thresholds);

  // 3. The shipped model: every text, calibrated so that the default threshold is the LOSO one.
  const model = calibrated(train(items, SETTINGS), threshold);
  const onnx = exportOnnx(model, `Warden screening model; featurizer ${FEATURIZER_VERSION}; see MODEL_CARD.md`);
  writeFileSync(MODEL_FILE, onnx);
  const score = await onnxScorer(onnx);

  const metrics = {
    featurizer: FEATURIZER_VERSION,
    seed: SEED,
    settings: SETTINGS,
    model_bytes: onnx.length,
    default_threshold: DEFAULT_THRESHOLD,
    calibrated_from: threshold,
    counts: countBySplit(samples, splits),
    loso,
    warden,
    llm_guardrail,
    long_documents,
  };
  log(`LOSO: AUC ${loso.auc.toFixed(4)} recall@1%FPR ${(100 * loso.recall_at_1pct).toFixed(1)}% recall@default ${(100 * loso.recall_at_default).toFixed(1)}% FPR@default ${(100 * loso.fpr_at_default).toFixed(2)}% worst attack source ${loso.worst_attack_source}`);
  log(summary("warden (val split)", metrics.warden));
  log(summary("llm_guardrail (val split)", metrics.llm_guardrail));
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
