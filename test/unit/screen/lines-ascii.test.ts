/**
 * Line windows of an ASCII text are found without normalizing each line (worker/screen/featurize.ts,
 * asciiLinesOf): they must be exactly what featurizing each distinct normalized line alone gives,
 * on ASCII made to be awkward: every control character and DEL as spacing, every ASCII line break
 * (\r\n, lone \r, \v, \f), blank and whitespace-only lines, upper case, repeated lines (also ones
 * that differ only in case or spacing), and lines around MIN_LINE and WINDOW code units.
 */
import { describe, expect, it } from "vitest";
import { lineWindows, MIN_LINE, normalize, WINDOW } from "../../../worker/screen/featurize";
import { expectedLineWindows, plainWindows } from "../../helpers/line-windows";
import { seededRng } from "../../../worker/protect/random";


const WORDS = ["Ignore", "previous", "INSTRUCTIONS", "the", "a", "x", "e-mail", "42", "don't", "(see)", "<tag>", "{json: 1}", "~!@#$%^&*", "Zz"];
/** Spacing: every ASCII control character except the line breaks, space and DEL. */
const SPACING = [...Array.from({ length: 0x21 }, (_, c) => c).filter((c) => c < 0x0a || c > 0x0d), 0x7f].map((c) => String.fromCharCode(c));
const BREAKS = ["\n", "\r\n", "\r", "\v", "\f", "\n\n", "\r\r\n", "\n \t\n"];

function asciiText(seed: number): string {
  const rng = seededRng(seed);
  const int = (n: number) => Math.floor(rng() * n);
  const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
  const lines: string[] = [];
  while (lines.join("").length < 1500) {
    const r = rng();
    if (r < 0.1 && lines.length > 0) {
      lines.push(pick(lines));
      continue;
    }
    if (r < 0.15 && lines.length > 0) {
      // The same line up to case and spacing: the same normalized line.
      lines.push(` ${pick(lines).toUpperCase().replace(/ /g, "\t ")}\u007f`);
      continue;
    }
    if (r < 0.2) {
      lines.push(Array.from({ length: int(4) }, () => pick(SPACING)).join(""));
      continue;
    }
    // Target normalized lengths around MIN_LINE and WINDOW as well as anywhere between.
    const target = pick([MIN_LINE - 1, MIN_LINE, MIN_LINE + 1, WINDOW - 1, WINDOW, WINDOW + 1, int(700)]);
    let line = rng() < 0.3 ? Array.from({ length: int(3) }, () => pick(SPACING)).join("") : "";
    let n = 0;
    while (n < target) {
      const w = pick(WORDS);
      line += w;
      n += w.length;
      const gap = rng() < 0.7 ? " " : Array.from({ length: 1 + int(3) }, () => pick(SPACING)).join("");
      line += gap;
      n += 1;
    }
    lines.push(line);
  }
  let text = "";
  for (const line of lines) text += line + pick(BREAKS);
  return rng() < 0.5 ? text : text.trimEnd();
}

describe("line windows of ASCII text", () => {
  it("are what featurizing each distinct line alone gives", () => {
    let windows = 0;
    for (let seed = 1; seed <= 300; seed++) {
      const text = asciiText(seed);
      expect(normalize(text).length).toBeGreaterThan(WINDOW);
      expect(/^[\u0000-\u007f]*$/.test(text)).toBe(true);
      const got = lineWindows(text);
      expect(plainWindows(got), `seed ${seed}`).toEqual(plainWindows(expectedLineWindows(text)));
      windows += got.length;
    }
    expect(windows).toBeGreaterThan(500);
  });
});
