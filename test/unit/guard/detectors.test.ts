import { describe, expect, it } from "vitest";
import { SECRET_DETECTORS } from "../../../worker/guard/detectors/secrets";
import { piiDetectors } from "../../../worker/guard/detectors/pii";
import { findAll } from "../../../worker/guard/scan";
import { CORPUS } from "./corpus";
// The documentation's copy of the table, checked below so that it cannot drift from the corpus.
import DOC from "../../../docs/output-guard.md?raw";

const DETECTORS = [...SECRET_DETECTORS, ...piiDetectors(["US"])];

/** Precision and recall per detector over the labelled corpus (docs/output-guard.md quotes the table). */
function measure() {
  const stats = new Map<string, { tp: number; fp: number; fn: number }>();
  const row = (d: string) => stats.get(d) ?? (stats.set(d, { tp: 0, fp: 0, fn: 0 }), stats.get(d)!);
  const misses: string[] = [];
  for (const sample of CORPUS) {
    const found = findAll(sample.text, DETECTORS).map((f) => `${f.detector}\u0000${sample.text.slice(f.start, f.end)}`);
    const expected = sample.expect.map(([d, v]) => `${d}\u0000${v}`);
    for (const f of found) {
      const d = f.split("\u0000")[0]!;
      if (expected.includes(f)) row(d).tp++;
      else (row(d).fp++, misses.push(`FP ${f.replace("\u0000", ": ")}`));
    }
    for (const e of expected) if (!found.includes(e)) (row(e.split("\u0000")[0]!).fn++, misses.push(`FN ${e.replace("\u0000", ": ")}`));
  }
  return { stats, misses };
}

describe("output-guard detectors on the labelled corpus", () => {
  it("reports precision and recall per detector, all detectors at 1.0 on this corpus", () => {
    const { stats, misses } = measure();
    const lines = ["| detector | positives | TP | FP | FN | precision | recall |", "|---|---|---|---|---|---|---|"];
    for (const d of DETECTORS.map((x) => x.name)) {
      const s = stats.get(d) ?? { tp: 0, fp: 0, fn: 0 };
      const p = s.tp + s.fp === 0 ? 1 : s.tp / (s.tp + s.fp);
      const r = s.tp + s.fn === 0 ? 1 : s.tp / (s.tp + s.fn);
      lines.push(`| ${d} | ${s.tp + s.fn} | ${s.tp} | ${s.fp} | ${s.fn} | ${p.toFixed(2)} | ${r.toFixed(2)} |`);
    }
    console.log(`corpus: ${CORPUS.length} texts, ${CORPUS.filter((s) => s.expect.length === 0).length} near-misses\n${lines.join("\n")}`);
    expect(misses).toEqual([]);
    // docs/output-guard.md quotes this table and the corpus size: they must be what this run measured.
    const section = DOC.slice(DOC.indexOf("**Hand-labelled corpus**"));
    const quoted = section.split("\n").filter((l) => l.startsWith("|")).slice(0, lines.length);
    expect(quoted).toEqual(lines);
    expect(section).toContain(`${CORPUS.length} texts, ${CORPUS.filter((s) => s.expect.length === 0).length} of them near-misses`);
  });
});
