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
const ASCII_WORD = /^[a-z0-9]+$/;
/** A word, or one non-ASCII character outside words (ASCII outside words never folds). */
const PIECE = /[\p{L}\p{M}\p{N}]+|[^\p{L}\p{M}\p{N}\u0000-\u007F]/gu;
const WORD_START = /^[\p{L}\p{M}\p{N}]/u;
const NO_SCRIPT = /[\p{Script=Common}\p{Script=Inherited}]/u;
const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}\p{Script=Bopomofo}]/u;
/** Scripts a letter may belong to; any letter of none of them counts as script "other". */
const SCRIPTS = [
  "Latin", "Cyrillic", "Greek", "Armenian", "Hebrew", "Arabic", "Syriac", "Thaana", "Nko", "Devanagari",
  "Bengali", "Gurmukhi", "Gujarati", "Oriya", "Tamil", "Telugu", "Kannada", "Malayalam", "Sinhala",
  "Thai", "Lao", "Tibetan", "Myanmar", "Georgian", "Ethiopic", "Cherokee", "Canadian_Aboriginal",
  "Ogham", "Runic", "Khmer", "Mongolian", "Yi", "Lisu", "Vai", "Bamum", "Coptic", "Tifinagh",
  "Glagolitic", "Gothic", "Deseret", "Osage", "Adlam", "Javanese", "Balinese", "Tai_Le", "Old_Italic",
].map((name) => [name, new RegExp(`\\p{Script=${name}}`, "u")] as const);

const scriptCache = new Map<number, string | null>();

/** The script a code point counts as here: null for Common and Inherited. */
function scriptOf(ch: string): string | null {
  const cp = ch.codePointAt(0)!;
  const known = scriptCache.get(cp);
  if (known !== undefined) return known;
  let script: string | null = "other";
  if (NO_SCRIPT.test(ch)) script = null;
  else if (CJK.test(ch)) script = "CJK";
  else for (const [name, re] of SCRIPTS) if (re.test(ch)) { script = name; break; }
  scriptCache.set(cp, script);
  return script;
}

export function mixesScripts(word: string): boolean {
  let first: string | null = null;
  for (const ch of word) {
    const s = ch.charCodeAt(0) < 0x80 ? (/[a-z]/i.test(ch) ? "Latin" : null) : scriptOf(ch);
    if (s === null) continue;
    if (first === null) first = s;
    else if (s !== first) return true;
  }
  return false;
}

/** Folds `text` (already NFKC'd and lower-cased) where the rules above say; `fold` folds everything. */
export function foldScriptAware(text: string, fold: Fold): string {
  if (ASCII_ONLY.test(text)) return text;
  return text.replace(PIECE, (piece) => {
    if (ASCII_ONLY.test(piece)) return piece;
    const folded = fold(piece);
    if (folded === piece) return piece;
    if (!WORD_START.test(piece)) return ASCII_ONLY.test(folded) ? folded : piece;
    return mixesScripts(piece) || ASCII_WORD.test(folded) ? folded : piece;
  });
}
