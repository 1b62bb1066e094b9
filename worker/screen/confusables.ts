/**
 * Script-aware confusable folding (issue 10, round 8; wasm-models/notes/round8-rules.md).
 *
 * Folding every look-alike character to its UTS #39 prototype undoes homoglyph spoofing
 * ("іgnоrе" in Cyrillic letters is "ignore"), but it also turns ordinary Russian, Greek or Arabic
 * into a mix of Latin and IPA letters that matches nothing the model learnt. Spoofing shows in the
 * word itself, so only such words are folded:
 *   - a word (a maximal run of letters, marks and digits) that mixes scripts, Common and Inherited
 *     ignored and the CJK scripts counted as one (Japanese and Korean mix them legitimately);
 *   - a word that folding turns into ASCII letters and digits only (a whole-script spoof: Cyrillic
 *     "рор", Latin "ıgnore").
 * Characters outside words are folded only into ASCII ("‚" → ","; "。" stays itself): a prototype
 * that is not ASCII helps no English phrase be recognised and merges unrelated punctuation.
 */

type Fold = (text: string) => string;

const ASCII_ONLY = /^[\u0000-\u007F]*$/;
const WORD_CHAR = /[\p{L}\p{M}\p{N}]/u;
const NO_SCRIPT = /[\p{Script=Common}\p{Script=Inherited}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u;
/** Scripts a letter may belong to (ids 2..); any letter of none of them counts as "other" (id 1). */
const SCRIPTS = [
  "Latin", "CJK", "Cyrillic", "Greek", "Armenian", "Hebrew", "Arabic", "Syriac", "Thaana", "Nko", "Devanagari",
  "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala",
  "Thai", "Lao", "Tibetan", "Myanmar", "Georgian", "Ethiopic", "Cherokee", "Canadian_Aboriginal",
  "Ogham", "Runic", "Khmer", "Mongolian", "Yi", "Lisu", "Vai", "Bamum", "Coptic", "Tifinagh",
  "Glagolitic", "Gothic", "Deseret", "Osage", "Adlam", "Javanese", "Balinese", "Tai_Le", "Old_Italic",
].map((name) => (name === "CJK" ? CJK : new RegExp(`\\p{Script=${name}}`, "u")));
const LATIN = 2;

/**
 * What a code point is here, computed on first sight and cached (a 2 KB text meets a few dozen
 * distinct letters): KNOWN, WORD (letter, mark or digit), TO_ASCII (its fold is ASCII), CHANGES
 * (folding changes it), and in the low byte its script id (0: Common or Inherited).
 */
const KNOWN = 0x8000;
const WORD = 0x4000;
const TO_ASCII = 0x2000;
const CHANGES = 0x1000;
const TO_ALNUM = 0x0800;
const SCRIPT = 0xff;
const bmp = new Uint16Array(0x10000);
const astral = new Map<number, number>();
/**
 * The BMP's caches are bounded by the BMP (a 128 KB array; at most 65,536 script entries); astral
 * code points (over a million) are cached only up to this many, so that requests spraying distinct
 * ones cannot grow the isolate's memory without bound. Past it they are classified each time.
 */
const MAX_ASTRAL_CACHED = 4096;
/** The fold of every code point seen that folding changes. */
const folds = new Map<number, string>();

/** Script id of a code point: 0 Common or Inherited, 1 a letter of no listed script, 2.. SCRIPTS. */
const scripts = new Map<number, number>();
function scriptId(cp: number): number {
  let id = scripts.get(cp);
  if (id !== undefined) return id;
  const ch = String.fromCodePoint(cp);
  const k = NO_SCRIPT.test(ch) ? -2 : SCRIPTS.findIndex((re) => re.test(ch));
  id = k + LATIN;
  if (cp <= 0xffff || scripts.size < MAX_ASTRAL_CACHED) scripts.set(cp, id);
  return id;
}

function classify(cp: number, fold: Fold): number {
  const ch = String.fromCodePoint(cp);
  let info = KNOWN;
  if (WORD_CHAR.test(ch)) info |= WORD | scriptId(cp);
  const folded = fold(ch);
  if (folded !== ch) {
    info |= CHANGES;
    folds.set(cp, folded);
  }
  if (ASCII_ONLY.test(folded)) info |= TO_ASCII;
  if (/^[a-z0-9]+$/.test(folded)) info |= TO_ALNUM;
  return info;
}

function infoOf(cp: number, fold: Fold): number {
  if (cp < 0x80) {
    const c = cp | 0x20;
    if (c >= 0x61 && c <= 0x7a) return KNOWN | WORD | TO_ASCII | TO_ALNUM | LATIN;
    return cp >= 0x30 && cp <= 0x39 ? KNOWN | WORD | TO_ASCII | TO_ALNUM : KNOWN | TO_ASCII;
  }
  if (cp <= 0xffff) return bmp[cp] || (bmp[cp] = classify(cp, fold));
  let info = astral.get(cp);
  if (info === undefined) {
    info = classify(cp, fold);
    if (astral.size < MAX_ASTRAL_CACHED) astral.set(cp, info);
  }
  return info;
}

/** Whether a word's letters belong to two or more scripts (Common and Inherited ignored, CJK one). */
export function mixesScripts(word: string): boolean {
  let first = 0;
  for (const ch of word) {
    const cp = ch.codePointAt(0)!;
    const script = cp < 0x80 ? (/[a-z]/i.test(ch) ? LATIN : 0) : scriptId(cp);
    if (script === 0) continue;
    if (first === 0) first = script;
    else if (script !== first) return true;
  }
  return false;
}

/** Folds `text` (already NFKC'd and lower-cased) where the rules above say; `fold` folds everything (always the same function: its per-character results are cached). */
export function foldScriptAware(text: string, fold: Fold): string {
  if (ASCII_ONLY.test(text)) return text;
  let out = "";
  let copied = 0; // text[copied..] is not yet in out
  let i = 0;
  while (i < text.length) {
    const cp = text.codePointAt(i)!;
    const size = cp > 0xffff ? 2 : 1;
    const info = infoOf(cp, fold);
    if (!(info & WORD)) {
      // Outside words: only into ASCII.
      if (info & CHANGES && info & TO_ASCII) {
        out += text.slice(copied, i) + folds.get(cp)!;
        copied = i + size;
      }
      i += size;
      continue;
    }
    // A word: [start, i) once scanned.
    const start = i;
    let first = 0;
    let mixed = false;
    let changes = false;
    let toAlnum = true;
    while (i < text.length) {
      const c = text.codePointAt(i)!;
      const f = infoOf(c, fold);
      if (!(f & WORD)) break;
      const script = f & SCRIPT;
      if (script !== 0) {
        if (first === 0) first = script;
        else if (script !== first) mixed = true;
      }
      if (f & CHANGES) changes = true;
      if (!(f & TO_ALNUM)) toAlnum = false;
      i += c > 0xffff ? 2 : 1;
    }
    if (changes && (mixed || toAlnum)) {
      out += text.slice(copied, start);
      for (let j = start; j < i; ) {
        const c = text.codePointAt(j)!;
        const size = c > 0xffff ? 2 : 1;
        out += folds.get(c) ?? text.slice(j, j + size);
        j += size;
      }
      copied = i;
    }
  }
  return copied === 0 ? text : out + text.slice(copied);
}
