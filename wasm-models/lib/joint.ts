/**
 * The default threshold of both heads together (issue 10, fourth round; rules in
 * wasm-models/notes/round4-rules.md). Round 3 set the classifier's and the suffix head's
 * budgets separately and the union came out over 1% on one harmless source (acp_roleplay 1.01%
 * nested). Here a text the suffix head flags (at its own calibrated threshold) counts as flagged
 * at every classifier threshold, so the classifier's default is chosen on the union of flags.
 */
import type { Sample } from "./data";
import { DEFAULT_BUDGET, familyOf, losoReport, MIN_CALIBRATION_TEXTS, type LosoReport } from "./loso";
import type { SoupRun } from "./soup-train";

/** Classifier scores with every text the suffix head flags raised to +Infinity (flagged at any threshold). */
export function jointScores(samples: Sample[], scores: number[], soup: SoupRun): number[] {
  return scores.map((s, i) => (soup.logits[i]! > soup.threshold ? Infinity : s));
}

export interface JointRow {
  source: string;
  n: number;
  /** Union of flags at the in-sample joint default. */
  at_default: number;
  /** Classifier threshold chosen without this source's family (union rule). */
  nested_threshold: number;
  /** Union of flags, each head at the threshold chosen without this source. */
  at_nested_default: number;
}

/** Per harmless source, nested: both heads' thresholds chosen without the source, union of flags. */
export function jointCheck(samples: Sample[], scores: number[], soup: SoupRun, budget = DEFAULT_BUDGET): { threshold: number; budget: number; rows: JointRow[] } {
  const joint = jointScores(samples, scores, soup);
  const threshold = losoReport(samples, joint, budget).threshold_default;
  const soupNested = new Map(soup.rows.map((r) => [r.source, r.nested_threshold]));
  const sources = [...new Set(samples.filter((s) => s.label === 0).map((s) => s.source))].sort();
  const rows = sources.map((source) => {
    const keep = samples.map((s) => familyOf(s.source) !== familyOf(source));
    const nested = losoReport(samples.filter((_, i) => keep[i]), joint.filter((_, i) => keep[i]), budget).threshold_default;
    const own = samples.map((s, i) => (s.source === source ? i : -1)).filter((i) => i >= 0);
    const soupT = soupNested.get(source) ?? soup.threshold;
    const flagged = (t: number, st: number) => own.filter((i) => scores[i]! > t || soup.logits[i]! > st).length / own.length;
    return { source, n: own.length, at_default: flagged(threshold, soup.threshold), nested_threshold: nested, at_nested_default: flagged(nested, soupT) };
  });
  return { threshold, budget, rows };
}

/** The declared rule: per-source budget 0.75%; if any harmless source of 100+ comes out above 1% nested, once more at 0.5%. */
export function jointCalibration(samples: Sample[], scores: number[], soup: SoupRun): { threshold: number; budget: number; rows: JointRow[] } {
  const first = jointCheck(samples, scores, soup);
  const over = first.rows.some((r) => r.n >= MIN_CALIBRATION_TEXTS && r.at_nested_default > 0.01);
  return over ? jointCheck(samples, scores, soup, 0.005) : first;
}

export function logJoint(c: { threshold: number; budget: number; rows: JointRow[] }, log: (line: string) => void): void {
  const pct = (x: number) => `${(100 * x).toFixed(2)}%`;
  log(`joint default (classifier threshold on the union of flags, per-source budget ${pct(c.budget)}): ${c.threshold.toFixed(4)}`);
  for (const r of c.rows) log(`  joint ${r.source.padEnd(32)} n=${r.n} at default ${pct(r.at_default)}  nested (t=${r.nested_threshold.toFixed(4)}) ${pct(r.at_nested_default)}`);
}

/** The classifier's report with its default columns at `threshold` (the joint default), classifier flags alone. */
export function atJointDefault(samples: Sample[], scores: number[], report: LosoReport, threshold: number): LosoReport {
  const above = (idx: number[]) => (idx.length === 0 ? NaN : idx.filter((i) => scores[i]! > threshold).length / idx.length);
  const idxOf = (pred: (s: Sample) => boolean) => samples.map((s, i) => (pred(s) ? i : -1)).filter((i) => i >= 0);
  return {
    ...report,
    threshold_default: threshold,
    recall_at_default: above(idxOf((s) => s.label === 1)),
    fpr_at_default: above(idxOf((s) => s.label === 0)),
    rows: report.rows.map((r) => ({ ...r, at_default: above(idxOf((s) => s.source === r.source)) })),
  };
}
