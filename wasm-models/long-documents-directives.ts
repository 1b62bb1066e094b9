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
import { DATA_DIR, loadSamples, ownDataFiles } from "./lib/data";
import { rng } from "./lib/rng";
import { harmlessDocumentSets } from "./round7/documents";

/** round7/run.ts DOC_SEED. */
const sets = harmlessDocumentSets(loadSamples(DATA_DIR, ownDataFiles(), 42), rng(7)).filter((s) => s.group === "held");
console.log("| harmless family | documents | flagged by the directive head |\n|---|---|---|");
for (const family of [...new Set(sets.map((s) => s.family))]) {
  const docs = sets.filter((s) => s.family === family).flatMap((s) => s.docs);
  const flagged = docs.filter((d) => directiveHit(normalize(d)) !== null).length;
  console.log(`| ${family} | ${docs.length} | ${flagged} (${((100 * flagged) / docs.length).toFixed(1)}%) |`);
}
