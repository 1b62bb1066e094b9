/**
 * Issue 10, round 20 (notes/round20-rules.md): WordNet 3.0 read from Debian's `wordnet-base`
 * (`apt-get install -y wordnet-base`; WordNet 3.0 licence, Princeton University). Training-time
 * only, with `--augment wordnet|wordnet-heavy`; never needed by npm test or CI.
 * `npx tsx wasm-models/lib/wordnet-files.ts [word...]` prints the table's size and entries.
 */
import { existsSync, readFileSync } from "node:fs";
import type { Neighbours } from "./paraphrase";
import { synonymTable } from "./wordnet-synonyms";

const DIR = process.env.WORDNET_DIR ?? "/usr/share/wordnet";
/** The fixed order of the parts of speech: it decides which synonyms fill the 5 places first. */
const PARTS = ["noun", "verb", "adj", "adv"] as const;

export function wordnetTable(log: (line: string) => void): Neighbours {
  if (!existsSync(`${DIR}/data.noun`)) throw new Error(`WordNet 3.0 not found in ${DIR}: apt-get install -y wordnet-base`);
  const table = synonymTable(PARTS.map((p) => ({ index: readFileSync(`${DIR}/index.${p}`, "latin1"), data: readFileSync(`${DIR}/data.${p}`, "latin1") })));
  log(`wordnet synonyms: ${table.size} words with at least one synonym, ${[...table.values()].reduce((n, s) => n + s.length, 0)} synonyms`);
  return table;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const table = wordnetTable(console.log);
  for (const w of process.argv.slice(2)) console.log(`${w}: ${(table.get(w) ?? []).join(", ") || "(none)"}`);
}
