/**
 * Line windows are cut from the whole text's hashes where a line sits in the normalized text
 * between spaces (worker/screen/featurize.ts, linesOf). That shortcut must give exactly what
 * featurizing each distinct line on its own gives, on awkward input too.
 */
import { describe, expect, it } from "vitest";
import blns from "../vectors/blns.json";
import { lineWindows, normalize, WINDOW } from "../../worker/screen/featurize";
import { expectedLineWindows, plainWindows } from "../helpers/line-windows";

const BREAKS = ["\n", "\r\n", "\r", "\u2028", "\u0085", "\n\n \t\n"];


describe("line windows", () => {
  const strings = (blns as string[]).filter((s) => s.length > 0);
  const texts = BREAKS.map((sep, k) => strings.filter((_, i) => i % BREAKS.length === k).join(sep));
  texts.push(strings.map((s) => `  ${s}\u200B `).join("\n"), `${"ΟΔΟΣ Σ ".repeat(100)}\nΣΊΣΥΦΟΣ ΟΔΟΣ ΟΔΟΣ ΟΔΟΣ\nﬁle ① ½ ǅ Ⅻ ㎏ ℌ ＩＧＮＯＲＥ\ne\u0301\u0301le\u0300ve e\u0301le\u0300ve\n\uD83D\uDE00\uD83D\n\uDE00 x\uD800y`);

  it("are what featurizing each distinct line alone gives", () => {
    let windows = 0;
    for (const text of texts) {
      expect(normalize(text).length).toBeGreaterThan(WINDOW);
      const got = lineWindows(text);
      expect(plainWindows(got)).toEqual(plainWindows(expectedLineWindows(text)));
      windows += got.length;
    }
    expect(windows).toBeGreaterThan(100);
  });
});
