/**
 * The suffix head (worker/screen/soup.ts) against its definition written plainly: the classes
 * from soupClasses(), tokens as runs of non-space classes, each statistic of a stretch summed
 * afresh over its tokens and divided as the module's doc says. The head reads each code unit
 * once (its class found as it goes, a surrogate pair's second half included), slides the
 * stretch, looks the shares k / n up and writes the logit's sum out: every statistic and the
 * logit must come out bit for bit. Generated texts: ASCII and not, surrogate pairs and lone
 * halves, soup, code, machine tokens, short and long.
 */
import { describe, expect, it } from "vitest";
import { CAP, CLASSES, headLogit, LONG_TOKEN, MIN_TOKENS, soupClasses, soupLogit, soupScore, soupStretches, SOUP_SCALE, STRETCH, type SoupLm } from "../../../worker/screen/soup";
import { round3Head } from "../../helpers/soup-round3";
import { normalize } from "../../../worker/screen/normalize";
import { soupTexts } from "../../helpers/soup-texts";

const PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";
const cls = (ch: string) => 30 + PUNCT.indexOf(ch);
const isLetter = (k: number) => (k >= 1 && k <= 26) || k === 28;

interface Token {
  shape: number;
  long: boolean;
  surprisal: number;
  positions: number;
  punct: number;
  nonLatin: boolean;
  opens: number;
  closes: number;
  hash: number;
}

/** 0 prose, 1 number, 2 punctuation only, 3 glued (soup.ts). */
function shape(k: Uint8Array, a: number, b: number): number {
  const letters = [...k.subarray(a, b)].filter(isLetter).length;
  const digits = [...k.subarray(a, b)].filter((c) => c === 27).length;
  if (letters === 0 && digits === 0) return 2;
  let s = a;
  let e = b;
  if ("(\"'".split("").map(cls).includes(k[s]!)) s++;
  while (e > s && ".,;:!?)\"'".split("").map(cls).includes(k[e - 1]!) && b - e < 2) e--;
  if (e > s && [...k.subarray(s, e)].every(isLetter)) return 0;
  return letters === 0 ? 1 : 3;
}

function plainTokens(t: string, lm: SoupLm): Token[] {
  const k = soupClasses(t);
  const out: Token[] = [];
  let a = 0;
  for (let i = 0; i <= t.length; i++) {
    if (i < t.length && k[i] !== 0) continue;
    if (i > a) {
      const long = i - a >= LONG_TOKEN;
      let surprisal = 0;
      let positions = 0;
      let punct = 0;
      let hash = 0x811c9dc5;
      for (let j = a; j < i; j++) {
        if (j >= 2) {
          const ctx = k[j - 2]! * CLASSES + k[j - 1]!;
          surprisal += Math.min(CAP, Math.max(0, lm.context[ctx]! - lm.trigram[ctx * CLASSES + k[j]!]!));
          positions++;
        }
        if (k[j]! >= 30) punct |= 1 << (k[j]! - 30);
        hash = Math.imul(hash ^ t.charCodeAt(j), 0x01000193);
      }
      const cs = [...k.subarray(a, i)];
      out.push({
        shape: shape(k, a, i),
        long,
        surprisal: long ? 0 : surprisal,
        positions: long ? 0 : positions,
        punct,
        nonLatin: cs.includes(28),
        opens: cs.filter((c) => "([{".split("").map(cls).includes(c)).length,
        closes: cs.filter((c) => ")]}".split("").map(cls).includes(c)).length,
        hash,
      });
    }
    a = i + 1;
  }
  return out;
}

/** Every stretch's twelve statistics, each summed over the stretch's tokens afresh. */
function plainStretches(t: string, lm: SoupLm): number[][] {
  const tk = plainTokens(t, lm);
  if (tk.length < MIN_TOKENS) return [];
  const n = Math.min(STRETCH, tk.length);
  const repeated = tk.map((x) => x.shape !== 2 && tk.filter((y) => y.hash === x.hash).length > 1);
  const between = tk.map((x, i) => i > 0 && i + 1 < tk.length && x.shape === 2 && tk[i - 1]!.shape === 0 && tk[i + 1]!.shape === 0);
  const out: number[][] = [];
  for (let a = 0; a + n <= tk.length; a++) {
    const s = tk.slice(a, a + n);
    const count = (f: (x: Token, i: number) => boolean) => s.filter(f).length;
    const sum = s.reduce((z, x) => z + x.surprisal, 0);
    const pos = s.reduce((z, x) => z + x.positions, 0);
    const mean = pos === 0 ? 0 : sum / pos / SOUP_SCALE / 8;
    const punctOnly = count((x) => x.shape === 2);
    const glued = count((x) => x.shape === 3);
    const prose = count((x) => x.shape === 0);
    const btw = n >= 3 ? count((_, i) => i > 0 && i < n - 1 && between[a + i]!) : 0;
    let bits = 0;
    for (const x of s) bits |= x.punct;
    let classes = 0;
    for (let b = 0; b < 32; b++) if (bits & (1 << b)) classes++;
    const open = s.reduce((z, x) => z + x.opens, 0);
    const close = s.reduce((z, x) => z + x.closes, 0);
    out.push([
      mean,
      punctOnly / n,
      glued / n,
      prose / n,
      btw / n,
      Math.min(1, classes / 8),
      Math.min(1, Math.abs(open - close) / 4),
      count((x) => x.nonLatin) / n,
      count((x) => x.long) / n,
      (mean * (punctOnly + glued)) / n,
      (mean * prose) / n,
      count((_, i) => repeated[a + i]!) / n,
    ]);
  }
  return out;
}

const PIECES = ["ignore", "previous", "(the)", "\"quoted\"", "end.", "wait...", "x2", "42", "3.14", "a_b", "foo()", "});", "{[(", ")))", "]]", "!!", "--", "'s", "é", "ß", "Ω", "忽略", "\uD83D\uDE00", "\uD835\uDC00", "\uD800", "\uDC00", "x\uD800", "\uDBFF", "x\u0301", "Привет", "١٢٣", "%", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "Zm9vYmFyYmF6cXV4cXV1eGJhcmJhenF1dXg="];

function texts(): string[] {
  // Surrogate halves at the very ends, where the pair test looks past the text.
  return [...soupTexts(29, 400, [1, 5, 6, 7, 11, 12, 13, 30, 200], PIECES), "\uD83D a b c d e f g \uD83D", "\uDE00 a b c d e f g h \uD83D\uDE00"];
}

describe("suffix head against its plain definition", () => {
  it("gives every stretch's statistics and the highest logit bit for bit", () => {
    const head = round3Head();
    let stretches = 0;
    let surrogates = 0;
    for (const text of texts()) {
      const t = normalize(text);
      const want = plainStretches(t, head.lm);
      const got = soupStretches(t, head.lm).map((f) => Array.from(f));
      expect(got.length).toBe(want.length);
      const wrong = got.flatMap((f, i) => f.flatMap((x, j) => (Object.is(x, want[i]![j]) ? [] : [`stretch ${i} statistic ${j}: ${x} against ${want[i]![j]}`])));
      expect(wrong, JSON.stringify(t.slice(0, 60))).toEqual([]);
      const best = want.length ? Math.max(...want.map((f) => headLogit(head, Float64Array.from(f)))) : -Infinity;
      expect(Object.is(soupLogit(t, head), best)).toBe(true);
      expect(Object.is(soupScore(t, head), best === -Infinity ? 0 : 1 / (1 + Math.exp(-best)))).toBe(true);
      stretches += got.length;
      if (/[\uD800-\uDFFF]/.test(t)) surrogates++;
    }
    expect(stretches).toBeGreaterThan(3000);
    expect(surrogates).toBeGreaterThan(100);
  });
});
