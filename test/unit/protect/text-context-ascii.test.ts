import { describe, expect, it } from "vitest";
import { ContextWords, createTextMarker } from "../../../worker/protect/text-watermark";
import { hmac } from "../../../worker/protect/keys";
import { seededRng } from "../../../worker/protect/random";

/**
 * The ASCII shortcuts of the text watermark (a table instead of the Unicode regexes, no NFKC for an
 * ASCII word) must mark exactly as before: the marker of before, copied here, is the reference.
 */
const WORD = /^[\p{L}\p{N}]$/u;
const CONTEXT_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const IGNORABLE = /^\p{DI}$/u;

class OldContextWords {
  readonly #words: string[] = [];
  #current = "";
  #high = -1;
  feed(unit: number): void {
    if (this.#high >= 0) {
      const high = this.#high;
      this.#high = -1;
      if (unit >= 0xdc00 && unit <= 0xdfff) return this.#char(String.fromCharCode(high, unit));
      this.#char(String.fromCharCode(high));
    }
    if (unit >= 0xd800 && unit <= 0xdbff) this.#high = unit;
    else this.#char(String.fromCharCode(unit));
  }
  context(): string {
    const words = this.#current ? [...this.#words, norm(this.#current)] : this.#words;
    return words.slice(-8).join(" ");
  }
  #char(ch: string): void {
    if (IGNORABLE.test(ch)) return;
    if (CONTEXT_CHAR.test(ch)) {
      if (this.#current.length < 256) this.#current += ch;
      return;
    }
    if (!this.#current) return;
    this.#words.push(norm(this.#current));
    if (this.#words.length > 8) this.#words.shift();
    this.#current = "";
  }
}
const norm = (word: string): string => word.normalize("NFKC").toLowerCase();

async function oldMark(key: CryptoKey, principal: string, at: number, text: string): Promise<string> {
  const day = Math.floor(at / 86_400_000);
  const mac = await hmac(key, `text|${principal}|${day}`);
  const gaps = Array.from(mac.subarray(4), (b) => 8 + (b % 13));
  const context = new OldContextWords();
  let gapIndex = 0, wordsSince = 0, prevWord = false, tokenPlain = true, inCode = false, prevBacktick = false;
  let out = "";
  let from = 0;
  const isSpace = (u: number) => u === 0x20 || u === 0x09 || u === 0x0a || u === 0x0d || u === 0xa0 || u === 0x3000;
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (u === 0x60) {
      if (!prevBacktick) inCode = !inCode;
      prevBacktick = true;
    } else prevBacktick = false;
    if (isSpace(u)) {
      const next = gapIndex === 0 ? 8 : gaps[(gapIndex - 1) % gaps.length]!;
      if (prevWord && tokenPlain && !inCode && ++wordsSince >= next) {
        const tag = (await hmac(key, JSON.stringify(["text2", principal, day, context.context()]))).subarray(0, 4);
        const nibbles: number[] = [];
        for (let k = 2; k >= 0; k--) nibbles.push(Math.floor(day / 16 ** k) % 16);
        for (const b of tag) nibbles.push(b >>> 4, b & 15);
        out += text.slice(from, i) + "\u2060" + String.fromCharCode(...nibbles.map((n) => 0xfe00 + n));
        from = i;
        wordsSince = 0;
        gapIndex++;
      }
      context.feed(u);
      tokenPlain = true;
      prevWord = false;
      continue;
    }
    context.feed(u);
    const word = (u >= 0xd800 && u <= 0xdfff) || WORD.test(String.fromCharCode(u));
    if (!word && !(u === 0x27 || u === 0x2d || u === 0x2019)) tokenPlain = false;
    prevWord = word;
  }
  return out + text.slice(from);
}

const PLAIN = ["the", "harbour", "Morning", "boats", "and", "42", "ÉCOLE", "naïve", "ß", "日本語", "İstanbul", "ﬁne", "Ⅻ", "𝐁old"];
const ODD = ["the", "Harbour", "ÉCOLE", "ﬁne", "naïve", "e\u0301", "𝐁old", "😀", "\ud800", "\udc00x", "soft\u00adhyphen", "zw\u200dj", "it's", "well-known", "`code`", "```", "x.y", "42", "Ⅻ", "日本語", "\ufe0f", "ß", "İstanbul", "a".repeat(300)];
const PIECES = [...PLAIN, ...PLAIN, ...PLAIN, ...PLAIN, ...ODD];
const SPACES = [" ", " ", " ", "\n", "\t", "\u00a0", "\u3000", ", ", ". ", ""];

function randomText(rng: () => number, words: number): string {
  let s = "";
  for (let i = 0; i < words; i++) s += PIECES[Math.floor(rng() * PIECES.length)]! + SPACES[Math.floor(rng() * SPACES.length)]!;
  return s;
}

describe("text watermark ASCII shortcuts", () => {
  it("reads the same context words as the Unicode regexes, unit by unit", () => {
    const rng = seededRng(new Uint8Array(32).fill(3));
    for (let n = 0; n < 200; n++) {
      const text = randomText(rng, 40);
      const now = new ContextWords();
      const old = new OldContextWords();
      for (let i = 0; i < text.length; i++) {
        now.feed(text.charCodeAt(i));
        old.feed(text.charCodeAt(i));
        // As JSON: lone surrogates in a failure message would break the test runner's socket.
        expect(JSON.stringify(now.context())).toBe(JSON.stringify(old.context()));
      }
    }
    for (let u = 0; u < 0x80; u++) expect(IGNORABLE.test(String.fromCharCode(u)), `U+${u.toString(16)}`).toBe(false);
  });

  it("marks texts exactly as the marker of before, whole and split", async () => {
    const key = await crypto.subtle.importKey("raw", new Uint8Array(32).fill(7), { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    const rng = seededRng(new Uint8Array(32).fill(5));
    const at = Date.UTC(2026, 11, 7);
    let marked = 0;
    for (let n = 0; n < 60; n++) {
      const text = randomText(rng, 120);
      const want = JSON.stringify(await oldMark(key, "key:p", at, text));
      if (want.includes("\u2060")) marked++;
      expect(JSON.stringify(await (await createTextMarker(key, "key:p", at)).push(text))).toBe(want);
      const marker = await createTextMarker(key, "key:p", at);
      const cut = Math.floor(rng() * text.length);
      expect(JSON.stringify((await marker.push(text.slice(0, cut))) + (await marker.push(text.slice(cut))))).toBe(want);
    }
    expect(marked).toBeGreaterThan(40);
  });
});
