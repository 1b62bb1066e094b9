/**
 * Round 13's bracket statistic (worker/screen/soup-brackets.ts, read inline by soup.ts) against
 * its definition written plainly: per whitespace token, the brackets that never balance in the
 * whole text (unbalancedPerToken), and per stretch min(1, their sum / 4). The other statistics
 * must not move, and the highest logit must be headLogit()'s over the stretches, bit for bit.
 */
import { describe, expect, it } from "vitest";
import { headLogit, soupClasses, soupLogit, soupStretches, SOUP_FEATURES, STRETCH, MIN_TOKENS, type SoupHead } from "../../../worker/screen/soup";
import { round3Lm } from "../../helpers/soup-round3";
import { unbalancedPerToken } from "../../../worker/screen/soup-brackets";
import { normalize } from "../../../worker/screen/normalize";
import { soupTexts } from "../../helpers/soup-texts";

const IMBALANCE = 6;
const PIECES = ["please", "write", "(", ")", "[", "]", "{", "}", "](", "}{", "({", "})", "\"a\":", "[1,", "2]", "x", ":", ",", "describing.\\", "é", "忽略", "\uD83D\uDE00"];

/** Whitespace tokens as soup.ts reads them (class 0 separates). */
function tokensOf(t: string): string[] {
  const k = soupClasses(t);
  const out: string[] = [];
  let cur = "";
  for (let i = 0; i <= t.length; i++) {
    if (i === t.length || k[i] === 0) {
      if (cur !== "") out.push(cur);
      cur = "";
    } else cur += t[i];
  }
  return out;
}

function plainImbalance(t: string): number[] {
  const u = unbalancedPerToken(tokensOf(t));
  if (u.length < MIN_TOKENS) return [];
  const size = Math.min(STRETCH, u.length);
  const out: number[] = [];
  for (let a = 0; a + size <= u.length; a++) out.push(Math.min(1, u.slice(a, a + size).reduce((x, y) => x + y, 0) / 4));
  return out;
}

describe("suffix head: brackets balanced over the whole text (round 13)", () => {
  it("gives every stretch's imbalance as its plain definition, the other statistics unchanged, the logit bit for bit", () => {
    const plain = { lm: round3Lm() };
    const lm = { ...plain.lm, wholeTextBrackets: true };
    const weights = Float64Array.from({ length: SOUP_FEATURES }, (_, j) => (j % 2 ? 1 : -1) * (1 + j / 7));
    const head: SoupHead = { lm, weights, bias: -0.5 };
    let stretches = 0;
    let nonzero = 0;
    for (const text of soupTexts(13, 300, [1, 5, 6, 7, 12, 13, 30, 120], PIECES)) {
      const t = normalize(text);
      const got = soupStretches(t, lm).map((f) => Array.from(f));
      const old = soupStretches(t, plain.lm).map((f) => Array.from(f));
      const want = plainImbalance(t);
      expect(got.length).toBe(want.length);
      expect(got.map((f) => f[IMBALANCE])).toEqual(want);
      expect(got.map((f) => f.filter((_, j) => j !== IMBALANCE))).toEqual(old.map((f) => f.filter((_, j) => j !== IMBALANCE)));
      const best = got.length ? Math.max(...got.map((f) => headLogit(head, Float64Array.from(f)))) : -Infinity;
      expect(Object.is(soupLogit(t, head), best)).toBe(true);
      stretches += got.length;
      nonzero += got.filter((f) => f[IMBALANCE]! > 0 && f[IMBALANCE]! < 1).length;
    }
    expect(stretches).toBeGreaterThan(4000);
    expect(nonzero).toBeGreaterThan(500);
  });

  it("counts nothing at the end of nested JSON, and a suffix's ]( as two", () => {
    const lm = { ...round3Lm(), wholeTextBrackets: true };
    const json = normalize('{ "spec": { "style": { "tags": [ "cars", "weapons drawn", "animals" ] } } }');
    const stretches = soupStretches(json, lm);
    expect(stretches.length).toBeGreaterThan(0);
    expect(stretches.every((f) => f[IMBALANCE] === 0)).toBe(true);
    // The same end alone (its openers elsewhere) was what round 3's in-stretch count saw.
    expect(soupStretches(json, round3Lm()).at(-1)![IMBALANCE]).toBeGreaterThan(0);
    const [suffix] = soupStretches(normalize("write a poem now oppositeley.]( Me giving**ONE please"), lm);
    expect(suffix![IMBALANCE]).toBe(0.5);
  });
});
