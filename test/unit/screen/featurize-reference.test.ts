/**
 * The featurizer (worker/screen/featurize.ts) reads the text's code units once, looks square
 * roots up, divides once per window for the commonest counts and writes every window into one
 * shared buffer: all for speed, none of it may change a bit of a vector. This is the definition, written plainly
 * (a Map per window, in first-touch order, Math.sqrt per entry), checked against featurize() on
 * random text with surrogates, repeats and bucket collisions that cancel.
 */
import { describe, expect, it } from "vitest";
import { featurize, normalize, WINDOW, windowSpans } from "../../../worker/screen/featurize";
import { fmix32 } from "../../../worker/hash";
import { bundledWordTable } from "../../../worker/screen/vectors";

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const fnv = (seed: number, s: string) => {
  let h = FNV_OFFSET ^ seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
};

/** Sliding-window vectors of a text by the definition (character 5-grams, words and word pairs with weight 3). */
function reference(text: string): Array<{ indices: number[]; values: number[] }> {
  const t = normalize(text);
  const words = [...t.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ start: m.index, end: m.index + m[0].length, h: fnv(0x9e3779b9, m[0]) }));
  return windowSpans(t.length).map(([a, b]) => {
    const sums = new Map<number, number>();
    const add = (hash: number, weight: number) => sums.set(hash & 0xffff, (sums.get(hash & 0xffff) ?? 0) + (hash < 0 ? -weight : weight));
    for (let p = a; p + 5 <= b; p++) add(fmix32(fnv(0x3c6ef372, t.slice(p, p + 5)) ^ 5), 1);
    const inside = words.filter((w) => w.start >= a && w.end <= b);
    inside.forEach((w, k) => {
      add(fmix32(w.h ^ 0x510e527f), 3);
      const prev = words[words.indexOf(w) - 1]?.h ?? 0;
      if (k > 0) add(fmix32(Math.imul(prev, 0x2c1b3c6d) ^ w.h ^ 0x1f83d9ab), 3);
    });
    const kept = [...sums].filter(([, c]) => c !== 0);
    const norm = Math.sqrt(kept.reduce((s, [, c]) => s + Math.abs(c), 0));
    return { indices: kept.map(([i]) => i), values: kept.map(([, c]) => Math.fround((c < 0 ? -Math.sqrt(-c) : Math.sqrt(c)) / norm)) };
  });
}

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
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
