/**
 * Issue 10, round 20 (notes/round20-rules.md): the synonym table lib/paraphrase.ts swaps words
 * from in `--augment wordnet|wordnet-heavy`, parsed from WordNet 3.0's index and data files
 * (format: wndb(5WN)). Pure: strings in, table out, so the parser is unit-tested on a fixture
 * and the files are read elsewhere (lib/wordnet-files.ts).
 *
 * For a lowercase single-word lemma: the other single-word lemmas of its FIRST synset (WordNet's
 * most frequent sense) of each part of speech, in the order the parts are given, at most
 * SYNONYMS. No word-sense disambiguation and no morphology: a key is a base form, and its most
 * frequent sense stands for every use of the word.
 */
import type { Neighbours } from "./paraphrase";

export const SYNONYMS = 5;
const SINGLE_WORD = /^[a-z]+$/;

/** One part of speech: the text of its index file and of its data file. */
export interface WordnetPart {
  index: string;
  data: string;
}

/**
 * index.pos line: `lemma pos synset_cnt p_cnt [ptr_symbol...] sense_cnt tagsense_cnt offset...`;
 * the first offset is the most frequent sense. Licence lines start with a space.
 */
export function firstSenses(index: string): Map<string, string> {
  const first = new Map<string, string>();
  for (const line of index.split("\n")) {
    if (line === "" || line.startsWith(" ")) continue;
    const f = line.trim().split(/\s+/);
    const lemma = f[0]!;
    if (!SINGLE_WORD.test(lemma)) continue;
    const pointers = Number(f[3]);
    const offset = f[4 + pointers + 2];
    if (offset && /^\d{8}$/.test(offset)) first.set(lemma, offset);
  }
  return first;
}

/**
 * data.pos line: `offset lex_filenum ss_type w_cnt word lex_id [word lex_id...] ...`, w_cnt in
 * hex; adjectives may carry a syntactic marker `(a)`, `(p)` or `(ip)` after the word.
 */
export function synsetWords(data: string): Map<string, string[]> {
  const words = new Map<string, string[]>();
  for (const line of data.split("\n")) {
    if (line === "" || line.startsWith(" ")) continue;
    const f = line.split(" ");
    const count = parseInt(f[3]!, 16);
    const lemmas: string[] = [];
    for (let i = 0; i < count; i++) lemmas.push(f[4 + 2 * i]!.replace(/\((a|p|ip)\)$/, ""));
    words.set(f[0]!, lemmas);
  }
  return words;
}

/** The table: parts in their fixed order (noun, verb, adjective, adverb in round 20). */
export function synonymTable(parts: readonly WordnetPart[]): Neighbours {
  const perPart = parts.map((p) => ({ first: firstSenses(p.index), words: synsetWords(p.data) }));
  const keys = new Set(perPart.flatMap((p) => [...p.first.keys()]));
  const table = new Map<string, string[]>();
  for (const key of [...keys].sort()) {
    const synonyms: string[] = [];
    for (const { first, words } of perPart) {
      const offset = first.get(key);
      if (!offset) continue;
      for (const w of words.get(offset) ?? []) {
        if (synonyms.length === SYNONYMS) break;
        if (w !== key && SINGLE_WORD.test(w) && !synonyms.includes(w)) synonyms.push(w);
      }
    }
    if (synonyms.length > 0) table.set(key, synonyms);
  }
  return table;
}
