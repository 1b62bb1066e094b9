/**
 * Tokenizer vocabularies as soup: GCG and random-search suffixes are sequences of a target
 * tokenizer's pieces, and a uniform draw from a vocabulary is that search space without the
 * search. lib/soup-blind.ts draws its fixed checks from four vocabularies; round 33
 * (notes/round33-rules.md) fits the suffix head against draws from two of them (cl100k_base and
 * p50k_base) and keeps the LLaMA SentencePiece vocabulary, which GCG searches for Llama-2 and
 * Vicuna, out of every fit as the check that decides.
 */
import { getEncoding, type TiktokenEncoding } from "js-tiktoken";

/** A tiktoken vocabulary's printable-ASCII tokens below `ids` (the ordinary tokens, specials excluded), in id order. */
export function tiktokenPieces(encoding: TiktokenEncoding, ids: number): string[] {
  const enc = getEncoding(encoding);
  const pieces: string[] = [];
  for (let id = 0; id < ids; id++) {
    let s: string;
    try {
      s = enc.decode([id]);
    } catch {
      continue;
    }
    if (/^[\x20-\x7e]+$/.test(s) && s.trim() !== "") pieces.push(s);
  }
  return pieces;
}

export const CL100K_IDS = 100256;
export const P50K_IDS = 50281;

let training: [string[], string[]] | undefined;
/** Round 33's training vocabularies, decoded once per process: cl100k_base, p50k_base. */
export function trainingVocabularies(): [string[], string[]] {
  return (training ??= [tiktokenPieces("cl100k_base", CL100K_IDS), tiktokenPieces("p50k_base", P50K_IDS)]);
}

/** Fewest and most pieces of a training draw: GCG optimises 20, random search 25; shorter ones hide better. */
const MIN_PIECES = 10;
const MAX_PIECES = 25;

/** One training suffix: MIN_PIECES..MAX_PIECES pieces drawn uniformly with replacement, joined as decoded, trimmed. */
export function vocabularySoup(pieces: string[], random: () => number): string {
  const n = MIN_PIECES + Math.floor(random() * (MAX_PIECES - MIN_PIECES + 1));
  return Array.from({ length: n }, () => pieces[Math.floor(random() * pieces.length)]!).join("").trim();
}
