/**
 * The long-document checks' harmless documents (lib/long-documents.ts), for the round 7–9 scripts
 * and long-documents-directives.ts: its own module because those scripts (run.ts, look.ts,
 * look9.ts) run on import.
 */
import type { Sample } from "../lib/data";
import { documents } from "../lib/long-documents";
import { familyOf, MIN_CALIBRATION_TEXTS } from "../lib/loso";

export { documents };

export interface DocumentSet {
  family: string;
  /** "held": a harmless family of 100+ texts (held out together); "small": a smaller source, reported apart. */
  group: "held" | "small";
  target: number;
  docs: string[];
}

/**
 * Round 7's harmless documents, in its fixed order (the draws of `random` depend on it): per
 * harmless family of 100+ texts 100 documents of ~20 KB and 100 of ~5 KB, then per smaller source
 * 50 of each.
 */
export function harmlessDocumentSets(samples: Sample[], random: () => number): DocumentSet[] {
  const benignSources = [...new Set(samples.filter((s) => s.label === 0).map((s) => s.source))].sort();
  const count = (src: string) => samples.filter((s) => s.source === src).length;
  const textsOf = (pred: (s: Sample) => boolean) => samples.filter((s) => s.label === 0 && pred(s)).map((s) => s.text);
  const bigFamilies = [...new Set(benignSources.filter((s) => count(s) >= MIN_CALIBRATION_TEXTS).map(familyOf))].sort();
  const smallSources = benignSources.filter((s) => count(s) < MIN_CALIBRATION_TEXTS);
  const sets: DocumentSet[] = [];
  for (const f of bigFamilies) for (const target of [20_000, 5_000]) sets.push({ family: f, group: "held", target, docs: documents(textsOf((s) => familyOf(s.source) === f), 100, target, random) });
  for (const src of smallSources) for (const target of [20_000, 5_000]) sets.push({ family: familyOf(src), group: "small", target, docs: documents(textsOf((s) => s.source === src), 50, target, random) });
  return sets;
}
