/**
 * Brackets that never balance anywhere in the text (issue 10, round 13; rules in
 * wasm-models/notes/round13-rules.md). Round 3's head counted |opens − closes| inside a stretch
 * of 12 tokens, so the end of nested JSON (`"animals" ] } } }`) looked as unbalanced as soup;
 * but it closes what the text opened earlier. An optimised suffix's `](` or `}{` closes nothing
 * and opens something that is never closed. Here each closer is matched to the latest unmatched
 * opener of its own kind (( [ { separately, so `( [ ) ]` counts as balanced: cheap, and enough
 * for the JSON, code and markdown that harmless text has); what is left unmatched on either side
 * is counted for the token it sits in.
 *
 * soup.ts calls bracketOpen/bracketClose as it reads the text, then bracketsFinish once; the
 * state is module-level scratch, reset by bracketsStart (the head runs synchronously).
 */

/** Per opener seen: the token it sits in, and the previous still-open opener of its kind (-1: none). */
let tokenOf = new Int32Array(256);
let below = new Int32Array(256);
let used = 0;
/** The latest still-open opener of each kind ( [ { (-1: none). */
const top = new Int32Array(3);

/** Openers of scratch kept between texts (as soup.ts's KEEP_TOKENS): a huge text must not pin its arrays. */
const KEEP = 1 << 15;

/** Starts a text. */
export function bracketsStart(): void {
  used = 0;
  top.fill(-1);
  if (tokenOf.length > KEEP) {
    tokenOf = new Int32Array(256);
    below = new Int32Array(256);
  }
}

/** An opener of `kind` (0 ( 1 [ 2 {) in token `token`. */
export function bracketOpen(kind: number, token: number): void {
  if (used === tokenOf.length) {
    const grow = (a: Int32Array) => {
      const b = new Int32Array(2 * a.length);
      b.set(a);
      return b;
    };
    tokenOf = grow(tokenOf);
    below = grow(below);
  }
  tokenOf[used] = token;
  below[used] = top[kind]!;
  top[kind] = used++;
}

/** A closer of `kind` in token `token`: closes the latest open opener of its kind, else counts as unbalanced in `unbalanced[token]`. */
export function bracketClose(kind: number, token: number, unbalanced: Int32Array): void {
  const e = top[kind]!;
  if (e < 0) unbalanced[token]!++;
  else top[kind] = below[e]!;
}

/** Ends a text: every opener never closed counts as unbalanced in its token. */
export function bracketsFinish(unbalanced: Int32Array): void {
  for (let kind = 0; kind < 3; kind++) for (let e = top[kind]!; e >= 0; e = below[e]!) unbalanced[tokenOf[e]!]!++;
}

/** The same count, written plainly over a text's whitespace tokens (reference for tests and training checks). */
export function unbalancedPerToken(tokens: string[]): number[] {
  const out = tokens.map(() => 0);
  const open: number[][] = [[], [], []];
  tokens.forEach((t, j) => {
    for (const ch of t) {
      const o = "([{".indexOf(ch);
      const c = ")]}".indexOf(ch);
      if (o >= 0) open[o]!.push(j);
      else if (c >= 0) {
        if (open[c]!.length > 0) open[c]!.pop();
        else out[j]!++;
      }
    }
  });
  for (const stack of open) for (const j of stack) out[j]!++;
  return out;
}
