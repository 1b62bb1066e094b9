/**
 * Every window the Worker scores (screeningWindows: sliding and line windows), against the
 * featurizer's definition written plainly: a Map of counts per window in first-touch order,
 * Math.sqrt per entry, the norm summed afresh. The featurizer instead keeps the squared norm as
 * the counts change, fills one output pass per window, flips signs by multiplying, and parses
 * each text into per-isolate scratch reused by the next call (worker/screen/featurize.ts): none
 * of it may change a bit. Texts: ASCII and not, multi-line, long, lengths around the window
 * edges (256, 512, 768), calls alternating long and short so that scratch left by a longer text
 * is read by a shorter one.
 */
import { describe, expect, it } from "vitest";
import { referenceWindow, rng } from "../../helpers/featurizer-reference";
import { normalize, screeningPlan, screeningWindows, scratchSizes, windowSpans, type WindowSource } from "../../../worker/screen/featurize";

/** One window's vector by the definition. */
const reference = ({ t, a, b }: WindowSource) => referenceWindow(t, a, b);

const WORDS = ["ignore ", "previous ", "the ", "instructions ", "a", "b", "Z", " ", "  ", "\n", "\n\n", "\r\n", ".", "!", "12", "aaaa", "abab", "\t", "x"];
const WIDE = ["é", "ß", "Ω", "忽略", "\uD83D\uDE00", "\uD800", "\uDC00", "x\u0301", "ﬁ", "\u200B", "ｉｇｎｏｒｅ", "\u0085", "\u2028"];
const LENGTHS = [5, 16, 255, 256, 257, 511, 512, 513, 767, 768, 769, 1030, 2100, 6000];

function text(r: () => number, len: number, ascii: boolean, lineEvery: number): string {
  let s = "";
  while (s.length < len) {
    if (r() < lineEvery) s += "\n";
    else if (!ascii && r() < 0.25) s += WIDE[Math.floor(r() * WIDE.length)];
    else s += r() < 0.5 ? WORDS[Math.floor(r() * WORDS.length)] : String.fromCharCode(32 + Math.floor(r() * 95));
  }
  return s.slice(0, len);
}

const plain = (ws: ReturnType<typeof screeningWindows>) => ws.map((w) => ({ indices: Array.from(w.indices), values: Array.from(w.values) }));

describe("screening windows against the featurizer's definition", () => {
  it("are bit for bit the definition on generated texts, scratch reused across calls", () => {
    const r = rng(11);
    let windows = 0;
    let lineWindows = 0;
    for (let n = 0; n < 240; n++) {
      // Alternate a long text and one of an edge length, so a short text reads scratch a longer one left.
      const len = n % 2 === 0 ? 3000 + Math.floor(r() * 3000) : LENGTHS[(n >> 1) % LENGTHS.length]! + Math.floor(r() * 3) - 1;
      const s = text(r, len, n % 4 < 2, [0, 0.01, 0.05][n % 3]!);
      const plan = screeningPlan(s, normalize(s));
      const got = plain(screeningWindows(s));
      expect(got).toEqual(plan.map(reference));
      windows += got.length;
      lineWindows += plan.length - windowSpans(normalize(s).length).length;
    }
    expect(windows).toBeGreaterThan(1000);
    expect(lineWindows).toBeGreaterThan(200);
  });

  it("holds the largest counts a window can reach (one n-gram or word repeated throughout)", () => {
    for (const s of ["a".repeat(600), "a ".repeat(700), "ab".repeat(400), "x\n".repeat(900), "aaaaa ".repeat(200), "é".repeat(520)]) {
      const plan = screeningPlan(s, normalize(s));
      expect(plain(screeningWindows(s))).toEqual(plan.map(reference));
    }
  });

  it("keeps a call's vectors when the next call reuses the scratch", () => {
    const a = screeningWindows("line one of the first text\n".repeat(60));
    const copy = plain(a);
    screeningWindows("x".repeat(9000) + "\nsecond, longer text\n".repeat(400));
    expect(plain(a)).toEqual(copy);
  });

  it("gives the parse scratch back after a large text, and grows it again a little at a time", () => {
    screeningWindows("word ".repeat(200_000));
    expect(scratchSizes().hashes).toBeLessThanOrEqual(1 << 16);
    expect(scratchSizes().words).toBeLessThanOrEqual(1 << 15);
    // Each text just longer than the scratch the one before left (1024, doubled on growth).
    const r = rng(3);
    for (const len of [1030, 1100, 1300, 2060, 2300, 4110, 4500, 8200, 9000]) {
      const s = text(r, len, len % 2 === 0, 0.01);
      const plan = screeningPlan(s, normalize(s));
      expect(plain(screeningWindows(s))).toEqual(plan.map(reference));
    }
  });
});
