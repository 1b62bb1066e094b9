/**
 * The featurizer and the suffix head keep scratch between calls (worker/screen/featurize.ts,
 * soup.ts): one large text (the default body limit is 1 MB) must not leave it grown. Before the
 * release, a 1 MB text left ~63 MB of typed arrays pinned per isolate (against 0.6 MB at ecaa530),
 * a standing half of a Worker's 128 MB, for any tenant's later requests in that isolate.
 */
import { describe, expect, it } from "vitest";
import { normalize, scratchSizes, screeningWindows } from "../../../worker/screen/featurize";
import { scratchTokens, soupScore } from "../../../worker/screen/soup";
import { bundledSoupHead } from "../../../worker/screen/soup-lm";

function text(chars: number, spaced: boolean): string {
  let s = "";
  let r = 7;
  while (s.length < chars) {
    r = (Math.imul(r, 1103515245) + 12345) >>> 0;
    s += (r % 100_000).toString(36) + (spaced ? (r % 7 === 0 ? "\n" : " ") : "");
  }
  return s;
}

describe("screening scratch is released after a large text", () => {
  it("keeps no more than a typical text needs, and scores the same afterwards", () => {
    const small = "Summarize this paragraph about the history of Lisbon in three sentences, please.";
    const before = screeningWindows(small);
    for (const big of [text(300_000, true), text(300_000, false)]) {
      const t = normalize(big);
      soupScore(t, bundledSoupHead());
      expect(screeningWindows(big, undefined, t).length).toBeGreaterThan(1000);
      expect(scratchSizes().units).toBeLessThanOrEqual(1 << 16);
      expect(scratchSizes().entries).toBeLessThanOrEqual(1 << 18);
      expect(scratchTokens()).toBeLessThanOrEqual(1 << 15);
    }
    expect(screeningWindows(small)).toEqual(before);
  });
});
