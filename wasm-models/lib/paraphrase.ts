/**
 * Issue 10, round 18 (notes/round18-rules.md): one paraphrased copy of a training text, made by
 * swapping words for their GloVe neighbours (lib/glove-neighbours.ts) and, in `syndrop`, dropping
 * words. Round 20 (notes/round20-rules.md): `wordnet` and `wordnet-heavy` swap from WordNet
 * synonyms (lib/wordnet-synonyms.ts) instead, at probability 0.3 and 0.6, never dropping. Pure and deterministic: the same text, table and seed give the same copy in every fold,
 * so a leave-one-source-out fit never depends on which fold made the copy. The label is not an
 * input: attacks and harmless texts are paraphrased by the same rule, so a copy carries no label
 * signal of its own.
 */
import type { Sample } from "./data";
import { hashString, rng } from "./rng";

export type AugmentMode = "syn" | "syndrop" | "wordnet" | "wordnet-heavy";
export const AUGMENT_MODES: readonly AugmentMode[] = ["syn", "syndrop", "wordnet", "wordnet-heavy"];

export const REPLACE_PROBABILITY = 0.3;
/** Round 20's (B): twice (A)'s rate, fixed before any run. */
export const HEAVY_REPLACE_PROBABILITY = 0.6;
const replaceProbability = (mode: AugmentMode) => (mode === "wordnet-heavy" ? HEAVY_REPLACE_PROBABILITY : REPLACE_PROBABILITY);
/** Which table a mode swaps from: round 18's GloVe neighbours or round 20's WordNet synonyms. */
export const tableSource = (mode: AugmentMode): "glove" | "wordnet" => (mode === "wordnet" || mode === "wordnet-heavy" ? "wordnet" : "glove");
export const DROP_PROBABILITY = 0.1;

/** Lowercase word → its neighbours (nearest first) or synonyms; a word absent here is never swapped. */
export type Neighbours = ReadonlyMap<string, readonly string[]>;

/** Function words of 4+ letters: swapping them changes grammar, not wording. */
export const STOP_WORDS: ReadonlySet<string> = new Set(
  (
    "about above after again against also among amongst been before being below beneath beside besides between beyond both " +
    "cannot could does doing down during each either else even ever every from further hence here hers herself himself " +
    "however into itself just least less many more most much must myself neither never none nothing once only onto other " +
    "others otherwise ours ourselves over same shall should since some such than that their theirs them themselves then " +
    "there thereby therefore these they this those though through thus till toward towards under unless until upon very " +
    "were what whatever when whence whenever where whereas wherever whether which while whom whose will with within without " +
    "would your yours yourself yourselves"
  ).split(" "),
);

/** Words a replacement may apply to: 4+ ASCII letters, not a stop word (the table holds lowercase ASCII words only). */
export const replaceable = (word: string) => /^[A-Za-z]{4,}$/.test(word) && !STOP_WORDS.has(word.toLowerCase());

/** The neighbour written in the word's case pattern: ALL CAPS, Capitalised, or lower case. */
export function withCase(word: string, replacement: string): string {
  if (word.length > 1 && word === word.toUpperCase()) return replacement.toUpperCase();
  if (word[0] !== word[0]!.toLowerCase()) return replacement[0]!.toUpperCase() + replacement.slice(1);
  return replacement;
}

const WORD = /[\p{L}\p{N}]+/gu;

/**
 * The copy of `text`. Replacement and drop draws come from two streams, so the `syndrop` copy is
 * the `syn` copy with words dropped. Every word draws from the drop stream and every replaceable
 * word with neighbours from the replacement stream, whatever the outcome, so one word's fate
 * never shifts another's draws.
 */
export function paraphrase(text: string, neighbours: Neighbours, seed: number, mode: AugmentMode): string {
  const replaceDraw = rng(hashString(`${seed}\u0000${text}`));
  const dropDraw = rng(hashString(`drop\u0000${seed}\u0000${text}`));
  let out = "";
  let at = 0;
  for (const match of text.matchAll(WORD)) {
    const word = match[0];
    const start = match.index!;
    out += text.slice(at, start);
    at = start + word.length;
    const drop = dropDraw() < DROP_PROBABILITY;
    const options = replaceable(word) ? neighbours.get(word.toLowerCase()) : undefined;
    let written = word;
    if (options && options.length > 0) {
      const replace = replaceDraw() < replaceProbability(mode);
      const which = Math.floor(replaceDraw() * options.length);
      if (replace) written = withCase(word, options[which]!);
    }
    if (mode === "syndrop" && drop) {
      // The word goes with the whitespace after it, so no double spaces are left behind.
      while (at < text.length && /\s/.test(text[at]!)) at++;
      continue;
    }
    out += written;
  }
  return out + text.slice(at);
}

/** A training text's copy: the same sample (label, source, group, trainable) with the paraphrased text. */
export const augmentSample = (sample: Sample, neighbours: Neighbours, seed: number, mode: AugmentMode): Sample => ({ ...sample, text: paraphrase(sample.text, neighbours, seed, mode) });
