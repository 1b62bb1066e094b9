/**
 * The featurizer (worker/screen/featurize.ts) reads the text's code units once, looks square
 * roots up, divides once per window for the commonest counts and writes every window into one
 * shared buffer: all for speed, none of it may change a bit of a vector. This is the definition, written plainly
 * (a Map per window, in first-touch order, Math.sqrt per entry), checked against featurize() on
 * random text with surrogates, repeats and bucket collisions that cancel.
 */
import { describe, expect, it } from "vitest";
import { featurize, normalize, WINDOW, windowSpans } from "../../../worker/screen/featurize";
import { referenceWindow, rng } from "../../helpers/featurizer-reference";
import { bundledWordTable } from "../../../worker/screen/vectors";

/** Sliding-window vectors of a text by the definition. */
function reference(text: string): Array<{ indices: number[]; values: number[] }> {
  const t = normalize(text);
  return windowSpans(t.length).map(([a, b]) => referenceWindow(t, a, b));
}

const PIECES = ["ignore ", "the ", "a", "b", "Z", " ", "  ", "\n", ".", "!", "é", "ß", "Ω", "忽略", "\uD83D\uDE00", "\uD800", "\uDC00", "x\u0301", "12", "ﬁ", "\u200B", "aaaa", "abab"];

describe("featurizer against its definition", () => {
  it("is bit for bit the definition on random text of one to several windows", () => {
    expect(bundledWordTable()).toBeNull(); // no word-vector table is shipped: no dense features to compare
    const r = rng(7);
    let windows = 0;
    for (let n = 0; n < 150; n++) {
      const len = Math.floor(r() * 3 * WINDOW);
      let s = "";
      while (s.length < len) s += r() < 0.3 ? String.fromCharCode(32 + Math.floor(r() * 95)) : PIECES[Math.floor(r() * PIECES.length)];
      const got = featurize(s).map((w) => ({ indices: Array.from(w.indices), values: Array.from(w.values) }));
      expect(got).toEqual(reference(s));
      windows += got.length;
    }
    expect(windows).toBeGreaterThan(200);
  });

  it("keeps each window's vector apart although they share one buffer", () => {
    const a = featurize("first text ".repeat(100));
    const copy = a.map((w) => Array.from(w.values));
    featurize("a second, different text ".repeat(80));
    expect(a.map((w) => Array.from(w.values))).toEqual(copy);
  });
});
