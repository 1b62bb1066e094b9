/**
 * The suffix head's vocabulary (issue 10, round 12; rules in wasm-models/notes/round12-rules.md):
 * which word pieces and which pairs of consecutive word pieces occur in harmless text, as one
 * bitset of 2^WORD_BITS bits. Optimised suffixes put real words in an order no text has and glue
 * pieces into non-words ("similarlynow" once lower-cased); code and markdown, which the
 * character-level statistics confuse with soup, do neither in the same way.
 *
 * A word piece is a maximal run of a–z in the normalized text (lower-cased by the normaliser);
 * the previous piece is the last one before it, across spaces, digits and punctuation; a letter
 * of another script resets it. soup.ts reads pieces inline as it reads the text; forEachPiece()
 * is the same definition on its own, for building the bitset (training) and for tests.
 */

/** log2 of the bitset's size in bits (128 KB). */
export const WORD_BITS = 20;
export const WORD_BYTES = 1 << (WORD_BITS - 3);
/** FNV-1a offset basis: a piece's hash before its first letter. */
export const PIECE_SEED = 0x811c9dc5;

/** The piece's hash after one more letter (its character class 1..26, so case does not matter). */
export const pieceStep = (h: number, letterClass: number): number => Math.imul(h ^ letterClass, 0x01000193);

/** Bit index of a piece. */
export const unigramSlot = (h: number): number => Math.imul(h ^ (h >>> 15), 0x9e3779b1) >>> (32 - WORD_BITS);

/** Bit index of a piece after the piece with hash `prev` (a different mix from unigramSlot). */
export const bigramSlot = (prev: number, h: number): number => {
  const b = Math.imul(prev, 0x27d4eb2d) ^ h;
  return Math.imul(b ^ (b >>> 13), 0x2c1b3c6d) >>> (32 - WORD_BITS);
};

export const hasSlot = (words: Uint8Array, slot: number): boolean => ((words[slot >>> 3]! >> (slot & 7)) & 1) === 1;

export const setSlot = (words: Uint8Array, slot: number): void => {
  words[slot >>> 3]! |= 1 << (slot & 7);
};

const A = 0x61;
const Z = 0x7a;
/** What soup.ts classes as another script's letter (letters, marks and numbers outside ASCII). */
const OTHER_LETTER = /[\p{L}\p{M}\p{N}]/u;

/**
 * Calls visit(unigram slot, bigram slot or -1, end) for every word piece of a normalized text, in
 * order, `end` the code unit after it (the definition soup.ts inlines; it classes A–Z as a–z
 * too, which normalized text has not).
 */
export function forEachPiece(t: string, visit: (unigram: number, bigram: number, end: number) => void): void {
  let h = PIECE_SEED;
  let open = false;
  let prev = 0;
  let hasPrev = false;
  let i = -1;
  for (const ch of t + " ") {
    i += ch.length;
    let cp = ch.codePointAt(0)!;
    if (cp >= 0x41 && cp <= 0x5a) cp += 0x20;
    if (cp >= A && cp <= Z) {
      h = pieceStep(h, cp - 0x60);
      open = true;
      continue;
    }
    if (open) {
      visit(unigramSlot(h), hasPrev ? bigramSlot(prev, h) : -1, i + 1 - ch.length);
      prev = h;
      hasPrev = true;
      h = PIECE_SEED;
      open = false;
    }
    if (cp >= 0x80 && OTHER_LETTER.test(ch)) hasPrev = false;
  }
}

/** The vocabulary of some normalized harmless texts. */
export function buildWords(normalizedTexts: Iterable<string>): Uint8Array {
  const words = new Uint8Array(WORD_BYTES);
  for (const t of normalizedTexts)
    forEachPiece(t, (u, b) => {
      setSlot(words, u);
      if (b >= 0) setSlot(words, b);
    });
  return words;
}
