/**
 * The suffix head's "repeated token" statistic (worker/screen/soup.ts, statistic 11: the share of
 * a stretch's tokens with letters or digits that occur more than once in the text) is counted in
 * a hash table of token hashes. Checked against the definition with strings: every stretch of
 * random texts with many repeats, punctuation-only tokens and surrogates.
 */
import { describe, expect, it } from "vitest";
import { rng } from "../../helpers/featurizer-reference";
import { MIN_TOKENS, soupStretches, STRETCH } from "../../../worker/screen/soup";
import { bundledSoupHead } from "../../../worker/screen/soup-lm";

const TOKENS = ["the", "The", "cat", "a", "1", "42", "...", "!", "(", "])", "x.y", "é", "忽略", "\uD83D\uDE00", "\uD800", "--", "ab", "ba", "naïve", "'", "\"quoted\""];

describe("suffix head: repeated tokens", () => {
  it("counts as the definition on every stretch of random texts", () => {
    const r = rng(11);
    const lm = bundledSoupHead().lm;
    let stretches = 0;
    for (let n = 0; n < 300; n++) {
      const count = Math.floor(r() * 60);
      // A fresh vocabulary slice per text, so that some tokens occur once and some often.
      const tokens = Array.from({ length: count }, () => (r() < 0.3 ? `w${Math.floor(r() * 8)}` : TOKENS[Math.floor(r() * TOKENS.length)]!));
      const text = tokens.join(" ");
      const got = soupStretches(text, lm);
      if (tokens.length < MIN_TOKENS) {
        expect(got).toEqual([]);
        continue;
      }
      const times = new Map<string, number>();
      for (const t of tokens) times.set(t, (times.get(t) ?? 0) + 1);
      const repeated = tokens.map((t): number => (/[\p{L}\p{M}\p{N}]/u.test(t) && times.get(t)! > 1 ? 1 : 0));
      const size = Math.min(STRETCH, tokens.length);
      expect(got.length).toBe(tokens.length - size + 1);
      got.forEach((f, a) => expect(f[11]).toBe(repeated.slice(a, a + size).reduce((s, x) => s + x, 0) / size));
      stretches += got.length;
    }
    expect(stretches).toBeGreaterThan(5000);
  });
});
