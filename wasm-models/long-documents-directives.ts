/**
 * Issue 10, round 32 (notes/round32-rules.md): the directive head on round 7's harmless long
 * documents (wasm-models/round7/run.ts --part loso builds the same documents, same seed and order:
 * 100 of ~20 KB and 100 of ~5 KB per harmless family of 100+ texts), sent as user text. Prints, per
 * family, the documents in which a rule fires.
 *
 *   npx tsx wasm-models/long-documents-directives.ts
 */
import { directiveHit } from "../worker/screen/directives";
import { normalize } from "../worker/screen/featurize";
import { documents } from "./lib/long-documents";
import { DATA_DIR, loadSamples, ownDataFiles, type Sample } from "./lib/data";
import { familyOf, MIN_CALIBRATION_TEXTS } from "./lib/loso";
import { rng } from "./lib/rng";
const samples = loadSamples(DATA_DIR, ownDataFiles(), 42);
/** round7/run.ts DOC_SEED. */
const random = rng(7);
const benignSources = [...new Set(samples.filter((s) => s.label === 0).map((s) => s.source))].sort();
const count = (src: string) => samples.filter((s) => s.source === src).length;
const textsOf = (pred: (s: Sample) => boolean) => samples.filter((s) => s.label === 0 && pred(s)).map((s) => s.text);
const bigFamilies = [...new Set(benignSources.filter((s) => count(s) >= MIN_CALIBRATION_TEXTS).map(familyOf))].sort();
console.log("| harmless family | documents | flagged by the directive head |\n|---|---|---|");
for (const f of bigFamilies) {
  let flagged = 0, n = 0;
  for (const target of [20_000, 5_000]) for (const d of documents(textsOf((s) => familyOf(s.source) === f), 100, target, random)) { n++; if (directiveHit(normalize(d))) flagged++; }
  console.log(`| ${f} | ${n} | ${flagged} (${((100 * flagged) / n).toFixed(1)}%) |`);
}
