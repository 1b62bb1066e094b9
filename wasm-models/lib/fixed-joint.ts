/**
 * The calibration rule of issue 10 round 21 (notes/round21-rules.md): the classifier keeps the
 * calibration it shipped with (its default and, per harmless source held out, its nested
 * threshold, both from the joint rule of lib/joint.ts with the head it shipped with); the suffix
 * head keeps its own nested calibration; a text is flagged when either head flags it. So a change
 * of the suffix head cannot move the classifier (round 15 failed on exactly that).
 */
import type { Sample } from "./data";
import type { JointRow } from "./joint";
import type { SoupRun } from "./soup-train";

export interface FixedRow {
  source: string;
  n: number;
  /** Either head flags, each at its own default. */
  at_default: number;
  /** Either head flags, each at its threshold chosen without this source. */
  at_nested_default: number;
  /** The head alone at its nested threshold (count). */
  head_nested: number;
}

/** Per harmless source: the classifier's frozen calibration (`classifier`) OR `soup` at its own calibration. */
export function fixedClassifierCheck(samples: Sample[], scores: number[], classifier: { threshold: number; rows: JointRow[] }, soup: SoupRun): FixedRow[] {
  const soupNested = new Map(soup.rows.map((r) => [r.source, r.nested_threshold]));
  return classifier.rows.map((c) => {
    const own = samples.map((s, i) => (s.source === c.source ? i : -1)).filter((i) => i >= 0);
    const soupT = soupNested.get(c.source) ?? soup.threshold;
    const flagged = (t: number, st: number) => own.filter((i) => scores[i]! > t || soup.logits[i]! > st).length;
    return { source: c.source, n: own.length, at_default: flagged(classifier.threshold, soup.threshold) / own.length, at_nested_default: flagged(c.nested_threshold, soupT) / own.length, head_nested: own.filter((i) => soup.logits[i]! > soupT).length };
  });
}
