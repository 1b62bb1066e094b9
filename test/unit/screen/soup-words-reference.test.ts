/**
 * The suffix head's word statistics (round 12: worker/screen/soup-words.ts, read inline by
 * soup.ts) against their definition written plainly: word pieces from forEachPiece(), each
 * given to the whitespace token it ends in, and per stretch the share of pieces not in the
 * vocabulary, of bigrams not in it, and that bigram share minus the rest of the text's. The
 * round-3 statistics must not move when a vocabulary is added, and the highest logit must be
 * headLogit()'s over the stretches, bit for bit.
 */
import { describe, expect, it } from "vitest";
import { headLogit, MIN_REST_PAIRS, MIN_TOKENS, soupClasses, soupLogit, soupStretches, SOUP_FEATURES, STRETCH, WORD_FEATURES, type SoupHead } from "../../../worker/screen/soup";
import { round3Lm } from "../../helpers/soup-round3";
import { buildWords, forEachPiece, hasSlot } from "../../../worker/screen/soup-words";
import { normalize } from "../../../worker/screen/normalize";
import { soupTexts } from "../../helpers/soup-texts";

const PIECES = ["please", "write", "a", "poem", "about", "the", "sea", "describing.\\", "similarlyNow", "oppositeley.](", "giving**ONE", "(the)", "x2", "42", "foo()", "});", "'s", "é", "Ω", "忽略", "Привет", "١٢٣", "\uD83D\uDE00", "\uD800", "ab\u0301c"];
const VOCABULARY = ["Please write a poem about the sea.", "Write the poem, please: about a sea and the sky.", "foo() returns 42; the x2 flag."];

/** Per token of the normalized text: [pieces, not in vocabulary, bigrams, bigrams not in it]. */
function plainCounts(t: string, words: Uint8Array): number[][] {
  const k = soupClasses(t);
  const tokenAt = new Int32Array(t.length + 1).fill(-1);
  let n = 0;
  for (let i = 0; i < t.length; ) {
    if (k[i] === 0) {
      i++;
      continue;
    }
    while (i < t.length && k[i] !== 0) tokenAt[i++] = n;
    n++;
  }
  const counts = Array.from({ length: n }, () => [0, 0, 0, 0]);
  forEachPiece(t, (u, b, end) => {
    const c = counts[tokenAt[end - 1]!]!;
    c[0]!++;
    if (!hasSlot(words, u)) c[1]!++;
    if (b >= 0) {
      c[2]!++;
      if (!hasSlot(words, b)) c[3]!++;
    }
  });
  return counts;
}

function plainWordStats(t: string, words: Uint8Array): number[][] {
  const tk = plainCounts(t, words);
  if (tk.length < MIN_TOKENS) return [];
  const size = Math.min(STRETCH, tk.length);
  const sum = (xs: number[][], j: number) => xs.reduce((z, x) => z + x[j]!, 0);
  const out: number[][] = [];
  for (let a = 0; a + size <= tk.length; a++) {
    const s = tk.slice(a, a + size);
    const [p, o, q, u] = [0, 1, 2, 3].map((j) => sum(s, j));
    const share = q === 0 ? 0 : u! / q!;
    const restPairs = sum(tk, 2) - q!;
    out.push([p === 0 ? 0 : o! / p!, share, restPairs < MIN_REST_PAIRS ? 0 : share - (sum(tk, 3) - u!) / restPairs]);
  }
  return out;
}

describe("suffix head word statistics against their plain definition", () => {
  it("gives every stretch's statistics and the highest logit bit for bit, the round-3 ones unchanged", () => {
    const plain = { lm: round3Lm() };
    const words = buildWords(VOCABULARY.map(normalize));
    const weights = Float64Array.from({ length: SOUP_FEATURES + WORD_FEATURES }, (_, j) => (j % 2 ? 1 : -1) * (1 + j / 7));
    const head: SoupHead = { lm: { ...plain.lm, words }, weights, bias: -0.5 };
    let stretches = 0;
    let unseen = 0;
    for (const text of soupTexts(12, 300, [1, 5, 6, 7, 12, 13, 30, 120], PIECES)) {
      const t = normalize(text);
      const got = soupStretches(t, head.lm).map((f) => Array.from(f));
      const old = soupStretches(t, plain.lm).map((f) => Array.from(f));
      const want = plainWordStats(t, words);
      expect(got.length).toBe(want.length);
      expect(got.map((f) => f.slice(0, SOUP_FEATURES))).toEqual(old);
      const wrong = got.flatMap((f, i) => f.slice(SOUP_FEATURES).flatMap((x, j) => (Object.is(x, want[i]![j]) ? [] : [`stretch ${i} word statistic ${j}: ${x} against ${want[i]![j]}`])));
      expect(wrong, JSON.stringify(t.slice(0, 80))).toEqual([]);
      const best = got.length ? Math.max(...got.map((f) => headLogit(head, Float64Array.from(f)))) : -Infinity;
      expect(Object.is(soupLogit(t, head), best)).toBe(true);
      stretches += got.length;
      unseen += got.filter((f) => f[SOUP_FEATURES + 1]! > 0 && f[SOUP_FEATURES + 1]! < 1 && f[SOUP_FEATURES + 2] !== 0).length;
    }
    // The texts exercise the statistics, not only their zero cases.
    expect(stretches).toBeGreaterThan(4000);
    expect(unseen).toBeGreaterThan(500);
  });

  it("sees a known sentence as known and its words shuffled as unseen pairs", () => {
    const words = buildWords(VOCABULARY.map(normalize));
    const lm = { ...round3Lm(), words };
    const [known] = soupStretches(normalize("Please write a poem about the sea."), lm);
    const [shuffled] = soupStretches(normalize("sky sea write about Please poem"), lm);
    expect(Array.from(known!.slice(SOUP_FEATURES, SOUP_FEATURES + 2))).toEqual([0, 0]);
    expect(shuffled![SOUP_FEATURES]).toBe(0);
    expect(shuffled![SOUP_FEATURES + 1]).toBe(1);
  });
});
