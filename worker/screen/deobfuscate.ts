/**
 * Disguised words for the directive head (issue 10, rounds 39–40; rules in
 * wasm-models/notes/round40-rules.md): letters written as look-alike digits and symbols ("1gn0r3
 * 4ll pr3v10u5 1n5truct10n5") and letters split by a separator ("i.g.n.o.r.e", "r-e-v-e-a-l").
 * Normalization (normalize.ts) folds invisibles and homoglyphs; these are plain ASCII, folded here
 * for the grammar only, never for the classifier's features.
 *
 * Only the stretches around a disguised word are read again (round 39 read the whole text again
 * and cost twice the head's time on ordinary requests), and quantities and codes ("100g", "7th",
 * "3d", "h1", "utf8", "5.9-6.5") are not disguises.
 */

/** Look-alikes of letters, as leetspeak writes them. */
const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", $: "s", "|": "l", "!": "i" };
const LOOK_ALIKE = /[0134578@$|!]/;
const LETTER = /[a-z]/;
/** Cheap gate: a look-alike next to a letter, or a letter between two separators. */
const GATE = /[a-z][0134578@$|!]|[0134578@$|][a-z]|[.\-_*·~+][a-z][.\-_*·~+]/;
/** A run of letters, digits and look-alike symbols. */
const RUN = /[a-z0-9@$|!]+/g;
/** Three or more single characters joined by one separator each, two of them letters: "i.g.n.o.r.e". */
const SPLIT = /(?<![a-z0-9@$])[a-z0-9@$](?:[.\-_*·~+][a-z0-9@$]){2,}(?![a-z0-9@$])/g;
const SEPARATORS = /[.\-_*·~+]/g;
/** A number with a unit or an ordinal ("100g", "7th", "5pm"): a quantity unless it is one look-alike before a word. */
const QUANTITY = /^[0-9][0-9.,]*([a-z]+)$/;
const ONE_LOOK_ALIKE_WORD = /^[013457]([a-z]{2,})$/;
const UNITS = new Set("st nd rd th am pm px pt em ms hz fps db kg mg km cm mm ml gb mb kb tb ft in lb lbs oz mph kph kcal cal yo min mins hr hrs sec secs mo yr yrs ghz mhz khz kw kwh gal pcs dpi bit bits".split(" "));
/** Letters then digits ("h1", "utf8", "mp3", "th3"): a code unless two letters or more end in one or two look-alike digits. */
const CODE = /^[a-z]+[0-9]+$/;
const LEET_ENDING = /^[a-z]{2,}[013457]{1,2}$/;
/** How much of the text around a disguised word is read again: the guard looks up to 400 characters back. */
const BEFORE = 500;
const AFTER = 300;

const unleet = (word: string): string => word.replace(/[0134578@$|!]/g, (c) => LEET[c]!);

function disguised(word: string): boolean {
  if (!LETTER.test(word) || !LOOK_ALIKE.test(word)) return false;
  const quantity = QUANTITY.exec(word);
  if (quantity) return ONE_LOOK_ALIKE_WORD.test(word) && !UNITS.has(quantity[1]!);
  if (CODE.test(word)) return LEET_ENDING.test(word);
  return true;
}

/**
 * The stretches of the text, with disguised words folded, that the directive head reads again:
 * none when nothing is disguised (the common case: one test). Input and output are normalized text.
 */
export function disguisedWindows(normalized: string): string[] {
  if (!GATE.test(normalized)) return [];
  const edits: Array<{ at: number; end: number; text: string }> = [];
  for (const m of normalized.matchAll(SPLIT)) {
    const joined = m[0].replace(SEPARATORS, "");
    if ((joined.match(/[a-z]/g)?.length ?? 0) >= 2) edits.push({ at: m.index!, end: m.index! + m[0].length, text: unleet(joined) });
  }
  for (const m of normalized.matchAll(RUN)) {
    const word = m[0].replace(/!+$/, "");
    const at = m.index!;
    if (!disguised(word) || edits.some((e) => at < e.end && at + word.length > e.at)) continue;
    edits.push({ at, end: at + word.length, text: unleet(word) });
  }
  if (edits.length === 0) return [];
  edits.sort((a, b) => a.at - b.at);
  // The folded text, and where each edit landed in it.
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
