/**
 * The classifier's default threshold, issue 10 round 22 (notes/round22-rules.md): the highest
 * out-of-source score of any harmless text of any harmless source of 100+ texts we hold (per-source
 * budget 0; never below the pooled 1%-FPR threshold), the classifier alone. Round 10's two harmless
 * sources take part in the calibration only (never trained on), scored by the shipped fit, which
 * has not seen them. Held out of the calibration (nested), every harmless source before this rule
 * came out several times its in-sample rate; the unseen custom-GPT instructions ~7× (the rules).
 */
import { readFileSync } from "node:fs";
import type { Sample } from "./data";
import type { JointRow } from "./joint";
import { familyOf, losoReport } from "./loso";

/** Per-source budget of the rule: no text of a harmless source of 100+ flagged in-sample. */
export const CALIBRATION_BUDGET = 0;
/** Round 10's harmless sources (data/round10-public.json): calibration only, not training. */
export const CALIBRATION_ONLY_SOURCES = ["gpteacher_roleplay", "bigprompt_gpts"];

export function calibrationOnlySamples(file: string): Sample[] {
  const rows = JSON.parse(readFileSync(file, "utf8")) as Sample[];
  return rows.filter((r) => CALIBRATION_ONLY_SOURCES.includes(r.source)).map((r) => ({ ...r, label: 0 as const }));
}

/** The rule's threshold on `scores` (uncalibrated, out-of-source). */
export const ruleThreshold = (samples: Sample[], scores: number[]): number => losoReport(samples, scores, CALIBRATION_BUDGET).threshold_default;

/** The default and, per harmless source, the threshold the rule gives without that source's family, classifier flags alone. */
export function classifierCalibration(samples: Sample[], scores: number[]): { threshold: number; budget: number; rows: JointRow[] } {
  const threshold = ruleThreshold(samples, scores);
  const sources = [...new Set(samples.filter((s) => s.label === 0).map((s) => s.source))].sort();
  const rows = sources.map((source) => {
    const keep = samples.map((s) => familyOf(s.source) !== familyOf(source));
    const nested = ruleThreshold(samples.filter((_, i) => keep[i]), scores.filter((_, i) => keep[i]));
    const own = scores.filter((_, i) => samples[i]!.source === source);
    const rate = (t: number) => own.filter((s) => s > t).length / own.length;
    return { source, n: own.length, at_default: rate(threshold), nested_threshold: nested, at_nested_default: rate(nested) };
  });
  return { threshold, budget: CALIBRATION_BUDGET, rows };
}
