/**
 * The one text normalization in front of the screening featurizer, used by training (Node) and
 * by the Worker alike (featurize.ts imports it): the model only sees text after this, so every
 * disguise folded here is a disguise the model never has to learn.
 *
 *   1. Unicode tag characters (U+E0000–E007F) are decoded: tag-ASCII (U+E0020–E007E) becomes the
 *      ASCII it shadows, set off by spaces. Renderers draw tags as nothing, but models read them,
 *      so attackers smuggle whole instructions in them.
 *   2. NFKC: full-width, compatibility and mathematical letter forms become plain letters.
 *   3. Invisible characters are removed (every Default_Ignorable_Code_Point: zero-width spaces
 *      and joiners, bidi controls, soft hyphen, variation selectors, fillers…), so that
 *      "ig\u200Bnore" is "ignore".
 *   4. Lower case, then confusables: a non-ASCII character that Unicode's confusables data
 *      (UTS #39, via the `unhomoglyph` package) says looks like another is replaced by its
 *      prototype, lower-cased ("іgnоrе" in Cyrillic is "ignore") — since issue 10's round 8 only
 *      in words that mix scripts or fold entirely into ASCII, and outside words only into ASCII
 *      (confusables.ts), so that genuine Russian, Greek or Arabic keep their letters. ASCII
 *      itself is left alone — the skeleton would turn every "m" into "rn" and "1" into "l".
 *      Lower-casing first lets a capital look-alike find its small form's prototype (Cyrillic
 *      "І" → "і" → "i", where the data maps "І" to "l").
 *   5. Whitespace and control characters collapse to one space; the ends are trimmed.
 *
 * Changing anything here changes the model's input: bump FEATURIZER_VERSION and retrain.
 */
import prototypes from "unhomoglyph/data.json";
import { foldScriptAware } from "./confusables";

const TAGS = /[\u{E0000}-\u{E007F}]+/gu;
/** Default ignorables, plus the few invisibles Unicode does not list as such (Mongolian, Khmer, Hangul fillers are). */
const INVISIBLE = /[\p{Default_Ignorable_Code_Point}\u034F\u061C\u115F\u1160\u17B4\u17B5\u180B-\u180F\u200B-\u200F\u202A-\u202E\u2060-\u206F\u3164\uFE00-\uFE0F\uFEFF\uFFA0]/gu;
const SPACE_OR_CONTROL = /[\s\p{Cc}]+/gu;
const ASCII_ONLY = /^[\u0000-\u007F]*$/;
/** In ASCII text, step 5's runs minus the single spaces it would replace by themselves. */
const ASCII_SPACE_RUN = /[\u0000-\u0020\u007F]{2,}|[\u0000-\u001F\u007F]/g;

/** Tag-ASCII run → " ascii " (cancel tag, language tag and unassigned tags decode to nothing). */
function decodeTags(run: string): string {
  let out = "";
  for (const ch of run) {
    const cp = ch.codePointAt(0)! - 0xe0000;
    if (cp >= 0x20 && cp <= 0x7e) out += String.fromCharCode(cp);
  }
  return ` ${out} `;
}

/**
 * Lower-cased prototypes, built on first use: `single` maps a BMP code unit to the one code unit
 * that replaces it (0: none; MULTI: the replacement is longer, see `multi`); astral code points
 * are looked up in `astral`. Typed arrays and code units keep a 2 KB Cyrillic text fast.
 */
const MULTI = 0xffff;
let single: Uint16Array | undefined;
const multi = new Map<number, string>();
const astral = new Map<number, string>();

function foldTable(): Uint16Array {
  if (single) return single;
  const table = new Uint16Array(0x10000);
  for (const [from, to] of Object.entries(prototypes as Record<string, string>)) {
    const cp = from.codePointAt(0)!;
    if (cp < 0x80 || from.length !== String.fromCodePoint(cp).length) continue;
    const lower = to.toLowerCase();
    if (cp > 0xffff) astral.set(cp, lower);
    else if (lower.length === 1 && lower.charCodeAt(0) !== MULTI) table[cp] = lower.charCodeAt(0);
    else {
      table[cp] = MULTI;
      multi.set(cp, lower);
    }
  }
  return (single = table);
}

function pushString(units: number[], s: string): void {
  for (let k = 0; k < s.length; k++) units.push(s.charCodeAt(k));
}

function foldConfusables(text: string): string {
  if (ASCII_ONLY.test(text)) return text;
  const table = foldTable();
  const units: number[] = [];
  let changed = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) {
      units.push(c);
      continue;
    }
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        const to = astral.get(((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000);
        if (to === undefined) units.push(c, d);
        else {
          pushString(units, to);
          changed = true;
        }
        i++;
        continue;
      }
    }
    const to = table[c]!;
    if (to === 0) units.push(c);
    else {
      if (to === MULTI) pushString(units, multi.get(c)!);
      else units.push(to);
      changed = true;
    }
  }
  if (!changed) return text;
  let out = "";
  for (let k = 0; k < units.length; k += 4096) out += String.fromCharCode(...units.slice(k, k + 4096));
  return out;
}

/** Round 8 (confusables.ts): fold only mixed-script and whole-script-spoof words; off only for training's --fold-all comparison. */
let scriptAware = true;
/** Sets the folding; returns the previous setting. */
export function useScriptAwareFolding(on: boolean): boolean {
  const was = scriptAware;
  scriptAware = on;
  return was;
}

export function normalize(text: string): string {
  if (ASCII_ONLY.test(text)) {
    // Steps 1-3 and the confusables leave ASCII as it is (no tags, NFKC changes nothing, no
    // ASCII character is invisible): only lower-casing and step 5 are left, and step 5 only
    // where it changes something (test/unit/screen/normalize-ascii.test.ts pins the equality).
    return text.toLowerCase().replace(ASCII_SPACE_RUN, " ").trim();
  }
  return normalizeUnicode(text);
}

/** normalize() by the general steps, for any text. */
export function normalizeUnicode(text: string): string {
  const untagged = text.replace(TAGS, decodeTags);
  const plain = untagged.normalize("NFKC").replace(INVISIBLE, "").toLowerCase();
  return (scriptAware ? foldScriptAware(plain, foldConfusables) : foldConfusables(plain)).replace(SPACE_OR_CONTROL, " ").trim();
}
