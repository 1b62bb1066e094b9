/**
 * scoreTexts packs a request's windows straight from the featurizer's scratch
 * (featurize.ts withScreeningRows, batch.ts packRowsPooled) instead of one typed array per
 * window and a copy of them all: the batches must be those that pack() makes of
 * screeningWindows() of each text, bit for bit, for every split into batches, several texts to a
 * request, and scratch a longer text left behind; and each text's window count must be right.
 */
import { describe, expect, it } from "vitest";
import { rng } from "../../helpers/featurizer-reference";
import { pack, packRowsPooled, type Batch } from "../../../worker/screen/batch";
import { normalize, screeningWindows, withScreeningRows } from "../../../worker/screen/featurize";

const WORDS = ["ignore ", "previous ", "the ", "instructions ", "a", "Z", " ", "  ", "\n", "\n\n", "\r\n", ".", "12", "aaaa", "\t"];
const WIDE = ["é", "忽略", "\uD83D\uDE00", "\uD800", "x\u0301", "ﬁ", "\u200B", "ｉｇｎｏｒｅ", "\u2028"];
const LENGTHS = [0, 3, 16, 255, 511, 513, 769, 2100, 6000];

function text(r: () => number): string {
  const len = LENGTHS[Math.floor(r() * LENGTHS.length)]!;
  const ascii = r() < 0.6;
  let s = "";
  while (s.length < len) {
    if (r() < 0.02) s += "\n";
    else if (!ascii && r() < 0.25) s += WIDE[Math.floor(r() * WIDE.length)];
    else s += r() < 0.5 ? WORDS[Math.floor(r() * WORDS.length)] : String.fromCharCode(32 + Math.floor(r() * 95));
  }
  return s.slice(0, len);
}

/** A batch as plain numbers, the values as their float32 bits (so -0 and 0 differ). */
const bits = (b: Batch) => ({ rows: b.rows, width: b.width, indices: Array.from(b.indices), values: Array.from(new Uint32Array(b.values.buffer, b.values.byteOffset, b.values.length)) });

describe("packing from the featurizer's scratch", () => {
  it("gives pack() of each text's screeningWindows(), bit for bit, for every split into batches", () => {
    const r = rng(23);
    let batches = 0;
    for (let n = 0; n < 120; n++) {
      const texts = Array.from({ length: 1 + Math.floor(r() * 4) }, () => text(r));
      const want = texts.map((t) => screeningWindows(t));
      const all = want.flat();
      const size = [1, 2, 5, 512][n % 4]!;
      const got = withScreeningRows(texts, texts.map(normalize), (rows) => {
        expect(rows.perText).toEqual(want.map((w) => w.length));
        expect(rows.starts.length).toBe(all.length + 1);
        const out: Array<ReturnType<typeof bits>> = [];
        for (let start = 0; start < all.length; start += size) {
          const batch = packRowsPooled(rows, start, Math.min(all.length, start + size));
          out.push(bits(batch));
          batch.release();
        }
        return out;
      });
      const expected: Array<ReturnType<typeof bits>> = [];
      for (let start = 0; start < all.length; start += size) expected.push(bits(pack(all.slice(start, start + size))));
      expect(got).toEqual(expected);
      batches += got.length;
    }
    expect(batches).toBeGreaterThan(300);
  });
});
