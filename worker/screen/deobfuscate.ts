/**
 * Disguised words for the directive head (issue 10, rounds 39–46; rules in
 * wasm-models/notes/round41-rules.md … round46-rules.md): letters written as look-alike digits and
 * symbols ("1gn0r3 4ll pr3v10u5 1n5truct10n5"), letters split by a separator ("i.g.n.o.r.e",
 * "r-e-v-e-a-l") and letters spaced out ("i g n o r e a l l …"). Normalization (normalize.ts)
 * folds invisibles and homoglyphs; these are plain ASCII, folded here for the grammar only, never
 * for the classifier's features.
 *
 * Only words in which a look-alike touches a letter are looked at (found from the look-alikes
 * alone, in one pass; ordinary prose has none; rounds 42–43), quantities ("100g", "7th", "1920s")
 * are left alone, and only the stretches around a disguised word are read again.
 */

import { DETERMINER, HIDDEN, ORDERS, OVERRIDE_VERB, PRIOR_WORDS, REVEAL_VERB, SETUP } from "./directive-verbs";

/** Look-alikes of letters, as leetspeak writes them. */
const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", $: "s", "|": "l" };
/** Look-alike characters; one touching a letter starts a disguised word (the run of WORD characters around it). */
const LOOK = /[0134578@$|]/g;
const WORD = /[a-z0-9@$|]/;
/** Three or more single characters joined by one separator each: "i.g.n.o.r.e", "r-e-v-e-a-l". */
const SPLIT = /(?<![a-z0-9@$])[a-z0-9@$](?:[.\-_*·~+][a-z0-9@$]){2,}(?![a-z0-9@$])/g;
const SEPARATORS = /[.\-_*·~+]/g;
/** What any separated run holds: a character between two separators (a cheap test before SPLIT). */
const SEPARATED = /[.\-_*·~+][a-z0-9@$][.\-_*·~+]/;
/** The gate's second half: a letter between two separators. */
const SEPARATED_LETTER = /[.\-_*·~+][a-z][.\-_*·~+]/;
/** A cheap test before SPACED: two single letters between spaces. */
const SPACED_GATE = / [a-z] [a-z] /;
/** Round 46: four or more single letters spaced out ("i g n o r e a l l …"); normalization has made every gap one space. */
const SPACED = /(?<![a-z0-9])[a-z](?: [a-z]){3,}(?![a-z0-9])/g;
/**
 * The words a spaced-out run is cut back into, longest first: the directive head's own word classes
 * and the few words its rules join them with. A run of other words stays letters, so it cannot
 * become a directive.
 */
const RUN_WORDS = [
  ...new Set(
    [OVERRIDE_VERB, REVEAL_VERB, DETERMINER, PRIOR_WORDS, ORDERS, HIDDEN, SETUP, "you are is was were now and to me what new mode do anything no with free from enabled say only then instead everything before told given word for verbatim text words"]
      .join(" ")
      .match(/[a-z]{2,}/g)!,
  ),
].sort((a, b) => b.length - a.length || (a < b ? -1 : 1));

/** A spaced-out run's letters cut into words, longest match first; a letter no word starts at stays alone. */
function words(letters: string): string {
  const out: string[] = [];
  for (let i = 0; i < letters.length; ) {
    const word = RUN_WORDS.find((w) => letters.startsWith(w, i)) ?? letters[i]!;
    out.push(word);
    i += word.length;
  }
  return out.join(" ");
}

/** Digits then letters: a quantity ("100g", "1920s", "5pm") or an ordinal ("7th"), unless look-alike digits start a word ("4ll", "0nly", "73ll"). */
const QUANTITY = /^([0-9][0-9.,]*)([a-z]+)$/;
const UNITS = new Set("st nd rd th s am pm px pt em ms hz fps db kg mg km cm mm ml gb mb kb tb ft in lb lbs oz mph mpg kph kcal cal yo min mins hr hrs sec secs mo yr yrs ghz mhz khz kw kwh gal pcs dpi bit bits x k m g d p".split(" "));
/** How much of the text around a disguised word is read again: the guard looks up to 400 characters back. */
const BEFORE = 500;
const AFTER = 300;

const isLetter = (code: number): boolean => code >= 97 && code <= 122;

/** Where look-alikes touch a letter (a look-alike's index), in order. One pass over the look-alikes, not over every position. */
function touches(t: string): number[] {
  const at: number[] = [];
  LOOK.lastIndex = 0;
  for (let m = LOOK.exec(t); m; m = LOOK.exec(t)) if (isLetter(t.charCodeAt(m.index - 1)) || isLetter(t.charCodeAt(m.index + 1))) at.push(m.index);
  return at;
}

const unleet = (word: string): string => word.replace(/[0134578@$|]/g, (c) => LEET[c]!);

function quantity(word: string): boolean {
  const m = QUANTITY.exec(word);
  if (!m) return false;
  const [, digits, letters] = m as unknown as [string, string, string];
  return /[^0134578]/.test(digits) || letters.length < 2 || UNITS.has(letters);
}

/**
 * The stretches of the text, with disguised words folded, that the directive head reads again:
 * none when nothing is disguised. Input and output are normalized text.
 */
export function disguisedWindows(normalized: string): string[] {
  const touching = touches(normalized);
  const separated = SEPARATED.test(normalized);
  const spaced = SPACED_GATE.test(normalized);
  if (touching.length === 0 && !(separated && SEPARATED_LETTER.test(normalized)) && !spaced) return [];
  const edits: Array<{ at: number; end: number; text: string }> = [];
  // Disguises never overlap in the view: a later one that would is left out.
  const add = (at: number, end: number, text: string) => {
    if (!edits.some((e) => at < e.end && end > e.at)) edits.push({ at, end, text });
  };
  if (separated)
    for (const m of normalized.matchAll(SPLIT)) {
      const joined = m[0].replace(SEPARATORS, "");
      if ((joined.match(/[a-z]/g)?.length ?? 0) >= 2) add(m.index!, m.index! + m[0].length, unleet(joined));
    }
  let done = 0;
  for (const index of touching) {
    if (index < done) continue;
    let at = index;
    let end = index + 1;
    while (at > 0 && WORD.test(normalized[at - 1]!)) at--;
    while (end < normalized.length && WORD.test(normalized[end]!)) end++;
    done = end;
    const word = normalized.slice(at, end);
    if (!quantity(word)) add(at, end, unleet(word));
  }
  if (spaced) for (const m of normalized.matchAll(SPACED)) add(m.index!, m.index! + m[0].length, words(m[0].replaceAll(" ", "")));
  if (edits.length === 0) return [];
  edits.sort((a, b) => a.at - b.at);
  let view = "";
  let from = 0;
  const spans: Array<[number, number]> = [];
  for (const e of edits) {
    view += normalized.slice(from, e.at);
    spans.push([view.length, view.length + e.text.length]);
    view += e.text;
    from = e.end;
  }
  view += normalized.slice(from);
  const windows: string[] = [];
  let start = -1;
  let end = -1;
  for (const [a, b] of spans) {
    const s = Math.max(0, a - BEFORE);
    const t = Math.min(view.length, b + AFTER);
    if (start >= 0 && s <= end) end = Math.max(end, t);
    else {
      if (start >= 0) windows.push(view.slice(start, end));
      start = s;
      end = t;
    }
  }
  windows.push(view.slice(start, end));
  return windows;
}
