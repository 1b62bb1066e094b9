/**
 * normalize() takes a short path for ASCII text (lower-casing and irregular spacing only,
 * worker/screen/normalize.ts). It must give exactly what the general steps give, which the
 * training side's vectors were made with: random ASCII strings over all 128 code units, weighted
 * towards what the short path treats specially (spaces, controls, capitals).
 */
import { describe, expect, it } from "vitest";
import { rng } from "../../helpers/featurizer-reference";
import { normalize, normalizeUnicode } from "../../../worker/screen/normalize";

const SPECIAL = [" ", " ", "  ", "\t", "\n", "\r\n", "\v", "\f", "\u0000", "\u001f", "\u007f", "\u001c", "A", "Z", "a", "."];

describe("normalize: the ASCII short path", () => {
  it("equals the general steps on edge cases", () => {
    for (const s of ["", " ", "  ", "\t", "a", "A", " a", "a ", "a  b", "a \t b", "\u0000", "x\u007fy", " \n ", "Hello World!", "ABC  def\r\n\r\nGHI "]) {
      expect(normalize(s), JSON.stringify(s)).toBe(normalizeUnicode(s));
    }
  });

  it("equals the general steps on 20,000 random ASCII strings", () => {
    const r = rng(20261206);
    for (let n = 0; n < 20_000; n++) {
      const len = Math.floor(r() * 40);
      let s = "";
      for (let k = 0; k < len; k++) s += r() < 0.5 ? SPECIAL[Math.floor(r() * SPECIAL.length)] : String.fromCharCode(Math.floor(r() * 128));
      if (normalize(s) !== normalizeUnicode(s)) expect(normalize(s), JSON.stringify(s)).toBe(normalizeUnicode(s));
    }
  });
});
