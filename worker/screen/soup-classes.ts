/**
 * The suffix head's character classes (soup.ts): every Latin letter its own class (a–z, case
 * folded), every digit one class, every letter or mark of another script one class, other
 * symbols one class, each ASCII punctuation sign its own class; and per class the flags the
 * token shapes and bracket counts read. A class per BMP code unit is looked up in a table
 * filled lazily. Moved out of soup.ts in round 13 (no change).
 */

/** Number of character classes (see classOfCodePoint). */
export const CLASSES = 62;

export const SPACE = 0;
export const DIGIT = 27;
export const OTHER_LETTER = 28;
const OTHER_SYMBOL = 29;
/** ASCII punctuation in code order, classes 30..61. */
export const PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

const LETTER_OR_MARK = /^[\p{L}\p{M}\p{N}]$/u;
/** Class per BMP code unit, 255 = not yet known (filled lazily). */
export const unitClass = new Uint8Array(0x10000).fill(255);

export function classOfCodePoint(cp: number): number {
  if (cp >= 0x61 && cp <= 0x7a) return cp - 0x60;
  if (cp >= 0x41 && cp <= 0x5a) return cp - 0x40;
  if (cp >= 0x30 && cp <= 0x39) return DIGIT;
  if (cp < 0x80) {
    const k = PUNCT.indexOf(String.fromCharCode(cp));
    return k >= 0 ? 30 + k : SPACE;
  }
  return LETTER_OR_MARK.test(String.fromCodePoint(cp)) ? OTHER_LETTER : OTHER_SYMBOL;
}

/** The class of every code unit of `t` (both halves of a surrogate pair get the pair's class). */
export function soupClasses(t: string): Uint8Array {
  return classesInto(t, new Uint8Array(t.length));
}

/** soupClasses() into `out` (at least t.length long), which it returns. */
function classesInto(t: string, out: Uint8Array): Uint8Array {
  for (let i = 0; i < t.length; i++) {
    const c = t.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < t.length) {
      const d = t.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        out[i] = out[i + 1] = classOfCodePoint(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        i++;
        continue;
      }
    }
    out[i] = classOfUnit(c);
  }
  return out;
}

/** The class of a code unit that is not the high half of a surrogate pair (a lone surrogate is a symbol), looked up. */
export function classOfUnit(c: number): number {
  let k = unitClass[c]!;
  if (k === 255) unitClass[c] = k = c >= 0xd800 && c <= 0xdfff ? OTHER_SYMBOL : classOfCodePoint(c);
  return k;
}

/** Per class: may lead a prose word ( " ' (1), may trail one . , ; : ! ? ) " ' (2), opens ( [ { (4), closes ) ] } (8). */
export const FLAGS = new Uint8Array(CLASSES);
for (const c of "(\"'") FLAGS[30 + PUNCT.indexOf(c)]! |= 1;
for (const c of ".,;:!?)\"'") FLAGS[30 + PUNCT.indexOf(c)]! |= 2;
for (const c of "([{") FLAGS[30 + PUNCT.indexOf(c)]! |= 4;
for (const c of ")]}") FLAGS[30 + PUNCT.indexOf(c)]! |= 8;
/** Per bracket class: its kind for soup-brackets.ts (0 ( ) 1 [ ] 2 { }). */
export const KIND = new Uint8Array(CLASSES);
for (const [k, pair] of ["()", "[]", "{}"].entries()) for (const c of pair) KIND[30 + PUNCT.indexOf(c)] = k;
