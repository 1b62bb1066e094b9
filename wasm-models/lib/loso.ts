/**
 * Leave-one-source-out evaluation: for every source, fit without it (and without anything
 * near-duplicate to it, and without its translations), then score it. Every text thus gets a
 * score from a model that never saw its source — the closest stand-in we have for data from
 * elsewhere, and the number that predicts the acceptance tests, unlike a pooled split.
 */
import type { Sample } from "./data";
import type { Featurized } from "./examples";
import { rateAbove, rocAuc, thresholdAtFpr } from "./metrics";

/** Sources that are translations or halves of one another are held out together. */
const FAMILY: Record<string, string> = {
  purplellama: "purplellama",
  purplellama_multilingual: "purplellama",
  purplellama_system: "purplellama_system",
  purplellama_multilingual_system: "purplellama_system",
  deepset_attack: "deepset",
  deepset_benign: "deepset",
  own_ml_attack: "own_ml",
  own_ml_benign: "own_ml",
};
/**
 * --purplellama-together (exploratory, issue 10 fifth round): PurpleLlama's attacks, its system
 * prompts and its judge questions are halves of the same test cases; held out apart, the benign
 * halves teach the model PurpleLlama's own vocabulary (secret keys, topics) as harmless.
 */
const PURPLELLAMA_TOGETHER = typeof process !== "undefined" && process.argv.includes("--purplellama-together");
export const familyOf = (source: string) => (PURPLELLAMA_TOGETHER && /^purplellama(_multilingual)?(_system|_judge)?$/.test(source) ? "purplellama" : (FAMILY[source] ?? source));

export type Trainer<M> = (items: Featurized[]) => M;
export type Scorer<M> = (model: M, item: Featurized) => number;

/** Out-of-source score for every item, in order. `roots` are the near-duplicate cluster ids. */
export function leaveOneSourceOut<M>(items: Featurized[], roots: number[], train: Trainer<M>, score: Scorer<M>, log?: (line: string) => void): number[] {
  const scores = new Array<number>(items.length).fill(NaN);
  const families = [...new Set(items.map((i) => familyOf(i.sample.source)))].sort();
  for (const family of families) {
    const held = items.map((item, i) => (familyOf(item.sample.source) === family ? i : -1)).filter((i) => i >= 0);
    const heldRoots = new Set(held.map((i) => roots[i]!));
    const model = train(items.filter((item, i) => familyOf(item.sample.source) !== family && !heldRoots.has(roots[i]!)));
    for (const i of held) scores[i] = score(model, items[i]!);
    log?.(`loso: held out ${family} (${held.length} texts)`);
  }
  return scores;
}

/**
 * Benign sources this large take part in calibrating the default threshold. In a smaller one,
 * "at most 1%" means "not one text", which would set the default by the single highest score of
 * a few dozen texts — chance, not a rate. Smaller sources are still reported per source.
 */
export const MIN_CALIBRATION_TEXTS = 100;

export interface SourceRow {
  source: string;
  label: 0 | 1;
  n: number;
  /** Attack sources: share flagged at the pooled 1%-FPR threshold. Benign: share flagged there. */
  at_1pct: number;
  /** Share flagged at the calibrated default threshold. */
  at_default: number;
  /** Attack sources only: AUC against all benign texts. */
  auc: number;
}

export interface LosoReport {
  /** Threshold that flags 1% of all benign texts (pooled), on out-of-source scores. */
  threshold_1pct: number;
  /** Lowest threshold that flags at most 1% of all benign texts and at most DEFAULT_BUDGET of every benign source of MIN_CALIBRATION_TEXTS or more (the calibrated default). */
  threshold_default: number;
  recall_at_1pct: number;
  recall_at_default: number;
  fpr_at_default: number;
  auc: number;
  worst_attack_source: string;
  worst_benign_source: string;
  rows: SourceRow[];
}

/**
 * Share of a harmless source of MIN_CALIBRATION_TEXTS+ the default may flag. 0.75%, not 1%
 * (issue 10, third round): calibrated in-sample at 1%, the source that set the threshold
 * (acp_roleplay) came out at 1.12% when it was held out of the calibration too (nested,
 * lib/loso-check.ts); at 0.75% every harmless source held out stays at or below 0.79%.
 */
export const DEFAULT_BUDGET = 0.0075;

export function losoReport(samples: Sample[], scores: number[], maxBenignFpr = DEFAULT_BUDGET): LosoReport {
  const attack = scores.filter((_, i) => samples[i]!.label === 1);
  const benign = scores.filter((_, i) => samples[i]!.label === 0);
  const sources = [...new Set(samples.map((s) => s.source))].sort();
  const bySource = new Map(sources.map((s) => [s, scores.filter((_, i) => samples[i]!.source === s)]));
  const t1 = thresholdAtFpr(benign, 0.01);
  let tDefault = t1;
  for (const s of sources) {
    const scoresOf = bySource.get(s)!;
    const benignSource = samples.find((x) => x.source === s)!.label === 0;
    if (benignSource && scoresOf.length >= MIN_CALIBRATION_TEXTS) tDefault = Math.max(tDefault, thresholdAtFpr(scoresOf, maxBenignFpr));
  }
  const rows: SourceRow[] = sources.map((source) => {
    const s = bySource.get(source)!;
    const label = samples.find((x) => x.source === source)!.label;
    return { source, label, n: s.length, at_1pct: rateAbove(s, t1), at_default: rateAbove(s, tDefault), auc: label === 1 ? rocAuc(s, benign) : NaN };
  });
  const attacks = rows.filter((r) => r.label === 1);
  const benigns = rows.filter((r) => r.label === 0);
  return {
    threshold_1pct: t1,
    threshold_default: tDefault,
    recall_at_1pct: rateAbove(attack, t1),
    recall_at_default: rateAbove(attack, tDefault),
    fpr_at_default: rateAbove(benign, tDefault),
    auc: rocAuc(attack, benign),
    worst_attack_source: attacks.reduce((a, b) => (b.at_1pct < a.at_1pct ? b : a)).source,
    worst_benign_source: benigns.reduce((a, b) => (b.at_1pct > a.at_1pct ? b : a)).source,
    rows,
  };
}
