/**
 * A second view of a normalized text for the directive head (issue 10, round 39; rules in
 * wasm-models/notes/round39-rules.md): the disguises a keyword grammar misses and the classifier
 * only partly sees — letters written as look-alike digits and symbols ("1gn0r3 4ll pr3v10u5
 * 1n5truct10n5") and letters split by a separator ("i.g.n.o.r.e", "r-e-v-e-a-l"). Normalization
 * (normalize.ts) already removes invisibles and folds homoglyphs; these are plain ASCII, so they
 * are folded here, for the grammar only, never for the classifier's features.
 *
 * A token is folded only when it mixes letters with look-alikes, or alternates single letters
 * with one separator; other text is left as it is, so a directive can only appear in the view
 * where a disguised word was. Null when nothing is disguised (the common case: one test).
 */

/** Look-alikes of letters, as leetspeak writes them. */
const LEET: Record<string, string> = { "0": "o", "1": "i", "3": "e", "4": "a", "5": "s", "7": "t", "8": "b", "@": "a", $: "s", "|": "l", "!": "i" };
/** A run of letters, digits and look-alike symbols: a word as leetspeak writes it. */
const LEET_RUN = /[a-z0-9@$|!]+/g;
/** Three or more single letters (or look-alikes), at least one a letter, joined by one separator each: "i.g.n.o.r.e", "r-e-v-e-a-l". */
const SPLIT_WORD = /(?<![a-z0-9])(?=[a-z0-9@$]?(?:[.\-_*·~+][a-z0-9@$])*?[.\-_*·~+]?[a-z])[a-z0-9@$](?:[.\-_*·~+][a-z0-9@$]){2,}(?![a-z0-9])/g;
const SEPARATORS = /[.\-_*·~+]/g;
/** Cheap gate: a look-alike next to a letter, or a letter-separator-letter-separator run. */
const DISGUISED = /[a-z][0134578@$|]|[0134578@$|][a-z]|[a-z]![a-z]|[a-z0-9][.\-_*·~+][a-z0-9][.\-_*·~+][a-z0-9]/;
const LOOK_ALIKE = /[0134578@$|!]/;
const LETTER = /[a-z]/;

/** A run is a disguised word when, without trailing "!" (punctuation), it has a letter and a look-alike. */
function foldRun(run: string): string {
  const word = run.replace(/!+$/, "");
  if (!LETTER.test(word) || !LOOK_ALIKE.test(word)) return run;
  return unleet(word) + run.slice(word.length);
}

const unleet = (word: string): string => word.replace(/[0134578@$|!]/g, (c) => LEET[c]!);

/** The text with disguised words folded, or null when it has none. Input and output are normalized text. */
export function deobfuscated(normalized: string): string | null {
  if (!DISGUISED.test(normalized)) return null;
  let changed = false;
  const out = normalized
    .replace(SPLIT_WORD, (w) => {
      changed = true;
      return unleet(w.replace(SEPARATORS, ""));
    })
    .replace(LEET_RUN, (run) => {
      const folded = foldRun(run);
      if (folded !== run) changed = true;
      return folded;
    });
  return changed ? out : null;
}
