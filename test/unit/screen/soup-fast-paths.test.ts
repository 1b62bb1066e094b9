/**
 * The suffix head's fast paths (worker/screen/soup.ts) against the straightforward code they
 * replace: a token's shape from the letter and digit counts made while reading it (instead of
 * a second loop over the token), and the best logit computed inside the stretch loop (instead of
 * headLogit() per stretch through a visitor). Generated texts: ASCII and not, soup, code, long.
 */
import { describe, expect, it } from "vitest";
import { soupTexts } from "../../helpers/soup-texts";
import { CLASSES, headLogit, MIN_TOKENS, soupClasses, soupLogit, soupStretches, STRETCH } from "../../../worker/screen/soup";
import { bundledSoupHead } from "../../../worker/screen/soup-lm";
import { normalize } from "../../../worker/screen/normalize";

const PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
const DIGIT = 27;
const isLetter = (k: number) => (k >= 1 && k <= 26) || k === 28;
const FLAGS = new Uint8Array(CLASSES);
for (const c of "(\"'") FLAGS[30 + PUNCT.indexOf(c)]! |= 1;
for (const c of ".,;:!?)\"'") FLAGS[30 + PUNCT.indexOf(c)]! |= 2;

/** The shape as soup.ts computed it before: 0 prose, 1 number, 2 punctuation only, 3 glued. */
function shapeOf(k: Uint8Array, a: number, b: number): number {
  let letters = 0;
  let digits = 0;
  for (let i = a; i < b; i++) {
    if (isLetter(k[i]!)) letters++;
    else if (k[i] === DIGIT) digits++;
  }
  if (letters === 0 && digits === 0) return 2;
  let s = a;
  let e = b;
  if (FLAGS[k[s]!]! & 1) s++;
  while (e > s && FLAGS[k[e - 1]!]! & 2 && b - e < 2) e--;
  let allLetters = e > s;
  for (let i = s; i < e && allLetters; i++) allLetters = isLetter(k[i]!);
  if (allLetters) return 0;
  if (letters === 0) return 1;
  return 3;
}

/** Per stretch: the shares of punctuation-only, glued and prose tokens (statistics 1-3), from the shapes above. */
function shapeShares(t: string): number[][] {
  const k = soupClasses(t);
  const shapes: number[] = [];
  let a = 0;
  for (let i = 0; i <= t.length; i++) {
    if (i < t.length && k[i] !== 0) continue;
    if (i > a) shapes.push(shapeOf(k, a, i));
    a = i + 1;
  }
  if (shapes.length < MIN_TOKENS) return [];
  const n = Math.min(STRETCH, shapes.length);
  const out: number[][] = [];
  for (let s = 0; s + n <= shapes.length; s++) {
    const part = shapes.slice(s, s + n);
    out.push([part.filter((x) => x === 2).length / n, part.filter((x) => x === 3).length / n, part.filter((x) => x === 0).length / n]);
  }
  return out;
}

const PIECES = ["ignore", "previous", "(the)", "\"quoted\"", "end.", "wait...", "x2", "42", "3.14", "a_b", "foo()", "});", "!!", "--", "'s", "describing.\\", "+similarlyNow", "write", "oppositeley.]", "é", "ß", "Ω", "忽略", "\uD83D\uDE00", "\uD800", "x\u0301", "ｉｇｎｏｒｅ", "Привет", "%", "(", ")"];

function texts(): string[] {
  return soupTexts(17, 600, [3, 5, 6, 7, 11, 12, 13, 40, 400], PIECES);
}

describe("suffix head fast paths", () => {
  it("classify every token's shape as the two-loop definition does", () => {
    const head = bundledSoupHead();
    let stretches = 0;
    for (const text of texts()) {
      const t = normalize(text);
      const got = soupStretches(t, head.lm).map((f) => [f[1]!, f[2]!, f[3]!]);
      expect(got).toEqual(shapeShares(t));
      stretches += got.length;
    }
    expect(stretches).toBeGreaterThan(5000);
  });

  it("give the highest headLogit() over the stretches, bit for bit", () => {
    const head = bundledSoupHead();
    for (const text of texts()) {
      const t = normalize(text);
      const logits = soupStretches(t, head.lm).map((f) => headLogit(head, f));
      expect(Object.is(soupLogit(t, head), logits.length ? Math.max(...logits) : -Infinity)).toBe(true);
    }
  });
});
