/**
 * Second look at leave-one-source-out scores (issue 10, third round; rules fixed beforehand in
 * wasm-models/notes/round3-rules.md). Pooling the scores of ~36 different models on one
 * threshold lets one model's scale decide for all, and the default's calibration was in-sample
 * (every harmless source took part in choosing the threshold it was then measured at). Here:
 *
 * - a source-balanced threshold: the lowest at which the mean over benign sources (one vote
 *   each) of the share flagged is at most 1%; recall of every attack source there, their mean
 *   (macro recall) and the worst;
 * - nested calibration of the default: for every harmless source S, the default threshold chosen
 *   by the shipped rule (losoReport's threshold_default) from all the other sources, applied to S.
 */
import type { Sample } from "./data";
import { familyOf, losoReport } from "./loso";
import { rateAbove } from "./metrics";

export interface LosoCheck {
  threshold_balanced: number;
  /** Per attack source: share flagged at the source-balanced threshold. */
  attack_rows: Array<{ source: string; n: number; at_balanced: number }>;
  macro_recall_at_balanced: number;
  worst_attack_source: string;
  worst_attack_recall: number;
  /** Per harmless source: share flagged at the in-sample default and at the default chosen without it. */
  benign_rows: Array<{ source: string; n: number; at_default: number; nested_threshold: number; at_nested_default: number }>;
}

export function losoCheck(samples: Sample[], scores: number[]): LosoCheck {
  const sources = [...new Set(samples.map((s) => s.source))].sort();
  const labelOf = (src: string) => samples.find((s) => s.source === src)!.label;
  const bySource = new Map(sources.map((src) => [src, scores.filter((_, i) => samples[i]!.source === src)]));
  const benignSources = sources.filter((s) => labelOf(s) === 0);
  const attackSources = sources.filter((s) => labelOf(s) === 1);

  // Source-balanced threshold: scan candidate thresholds (every benign score) from high to low.
  const meanBenignRate = (t: number) => benignSources.reduce((sum, s) => sum + rateAbove(bySource.get(s)!, t), 0) / benignSources.length;
  const candidates = [...new Set(benignSources.flatMap((s) => bySource.get(s)!))].sort((a, b) => b - a);
  let tBal = candidates[0] ?? 1;
  for (const t of candidates) {
    if (meanBenignRate(t) > 0.01) break;
    tBal = t;
  }
  const attack_rows = attackSources.map((source) => ({ source, n: bySource.get(source)!.length, at_balanced: rateAbove(bySource.get(source)!, tBal) }));
  const worst = attack_rows.reduce((a, b) => (b.at_balanced < a.at_balanced ? b : a));

  const inSample = losoReport(samples, scores).threshold_default;
  const benign_rows = benignSources.map((source) => {
    const keep = samples.map((s) => familyOf(s.source) !== familyOf(source));
    const nested = losoReport(samples.filter((_, i) => keep[i]), scores.filter((_, i) => keep[i])).threshold_default;
    const own = bySource.get(source)!;
    return { source, n: own.length, at_default: rateAbove(own, inSample), nested_threshold: nested, at_nested_default: rateAbove(own, nested) };
  });
  return {
    threshold_balanced: tBal,
    attack_rows,
    macro_recall_at_balanced: attack_rows.reduce((s, r) => s + r.at_balanced, 0) / attack_rows.length,
    worst_attack_source: worst.source,
    worst_attack_recall: worst.at_balanced,
    benign_rows,
  };
}

export function logLosoCheck(c: LosoCheck, log: (line: string) => void): void {
  const pct = (x: number) => `${(100 * x).toFixed(1)}%`;
  log(`LOSO check: source-balanced threshold ${c.threshold_balanced.toFixed(4)}, macro recall ${pct(c.macro_recall_at_balanced)}, worst ${c.worst_attack_source} ${pct(c.worst_attack_recall)}`);
  for (const r of c.attack_rows) log(`  attack ${r.source.padEnd(30)} n=${r.n} at balanced ${pct(r.at_balanced)}`);
  for (const r of c.benign_rows) log(`  benign ${r.source.padEnd(30)} n=${r.n} at default (in-sample) ${pct(r.at_default)}  nested (t=${r.nested_threshold.toFixed(4)}) ${pct(r.at_nested_default)}`);
}
