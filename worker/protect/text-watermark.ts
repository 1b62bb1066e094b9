/**
 * Invisible keyed text watermark (CONTRACT §6 `text_watermark`): generated text carries, every
 * 8–20 words, a block of invisible characters naming the principal and the UTC day, authenticated
 * with the tenant's key, so leaked text can be traced to the account and day it was produced for.
 *
 * Block = U+2060 WORD JOINER, then 14 variation selectors U+FE00..U+FE0F (4 bits each) = 56 bits:
 * 16-bit day number (days since 1970-01-01, until 2149) and a 40-bit tag, the first 40 bits of
 * HMAC-SHA256(tenant key, "text|<principal>|<day>"). The word joiner comes first so the selectors
 * never form a standardized variation sequence with the letter before (e.g. "0"+U+FE00 is a slashed
 * zero); it carries no data and the decoder does not need it. A block is placed only right after a
 * plain word (letters, digits, ' and -) followed by white space, and never inside `code`, so URLs,
 * identifiers, markup and code stay byte-identical. The gaps between blocks come from the same HMAC.
 * Do not mark answers whose text is data (JSON response formats, tool arguments).
 *
 * Proof: any run of exactly 14 selectors is a candidate block; each distinct block is a trial and
 * matches a principal when its tag verifies for that principal and the block's day. By chance a
 * block verifies for a given principal with probability 2^-40, so p = P[Bin(trials, 2^-40) ≥ matches]
 * times the number of (principal, day) hypotheses tried (Bonferroni).
 *
 * Measured (test/unit/protect/text-watermark.test.ts and the numbers below, o200k/cl100k with
 * js-tiktoken 1.0.21 on a 1,000-word English sample — see the report in this module's commit):
 * - size: +15 UTF-16 units / +43 UTF-8 bytes per block, one block per 14 words on average;
 * - token cost: see TOKEN_COST below;
 * - survives: copy of any 200-character excerpt of prose (every window tested), JSON round trip,
 *   String.prototype.trim, NFC/NFD/NFKC/NFKD normalization (variation selectors and the word joiner
 *   have no decompositions), stripping of \p{Cf} format characters (variation selectors are
 *   category Mn; only the unneeded word joiner goes);
 * - removed by: deleting Default_Ignorable_Code_Point characters (/\p{DI}/u), retyping, OCR or
 *   screenshots, paraphrasing by a model, any editor or pipeline that filters variation selectors,
 *   and excerpts shorter than the distance between two blocks (up to ≈ 20 words + 29 units).
 * Copy and paste between real applications was not measured here (no browser in the test runner):
 * browsers copy variation selectors as text, some chat and word-processing apps are known to drop
 * them.
 */
import { binomialTail, bonferroni, ATTRIBUTION_ALPHA, NOT_ATTRIBUTED, type Attribution } from "./stats";
import { PURPOSE, deriveHmacKey, hmac } from "./keys";

const WORD_JOINER = "\u2060";
const SELECTOR_BASE = 0xfe00;
const NIBBLES = 14;
const TAG_BYTES = 5;
const MIN_GAP = 8;
const MAX_GAP = 20;
const DAY_MS = 86_400_000;

export function textWatermarkKey(master: Uint8Array, tenant: string): Promise<CryptoKey> {
  return deriveHmacKey(master, PURPOSE.textWatermark, [tenant]);
}

export function dayNumber(at: Date | number): number {
  return Math.floor((typeof at === "number" ? at : at.getTime()) / DAY_MS);
}

export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

async function macFor(key: CryptoKey, principal: string, day: number): Promise<Uint8Array> {
  return hmac(key, `text|${principal}|${day}`);
}

function encodeBlock(day: number, tag: Uint8Array): string {
  const bytes = [day >>> 8, day & 0xff, ...tag.subarray(0, TAG_BYTES)];
  let out = WORD_JOINER;
  for (const b of bytes) out += String.fromCharCode(SELECTOR_BASE + (b >>> 4), SELECTOR_BASE + (b & 15));
  return out;
}

const isSelector = (u: number): boolean => u >= SELECTOR_BASE && u <= SELECTOR_BASE + 15;
const isSpace = (u: number): boolean => u === 0x20 || u === 0x09 || u === 0x0a || u === 0x0d || u === 0xa0 || u === 0x3000;
const WORD = /^[\p{L}\p{N}]$/u;
/** Per UTF-16 unit, so a delta split inside a surrogate pair classifies the same as the whole text. */
const isWordUnit = (u: number): boolean => (u >= 0xd800 && u <= 0xdfff) || WORD.test(String.fromCharCode(u));
const isJoinerUnit = (u: number): boolean => u === 0x27 || u === 0x2d || u === 0x2019;

/**
 * Inserts the mark into text given as deltas (an SSE stream) or whole: push(a) + push(b) equals
 * push(a + b) for any split, because every decision depends only on the text seen so far and a
 * block goes just before a white-space unit. One marker per generated text (per choice index).
 */
export class TextMarker {
  readonly #block: string;
  readonly #gaps: readonly number[];
  #gapIndex = 0;
  #wordsSince = 0;
  #prevWord = false;
  #tokenPlain = true;
  #inCode = false;
  #prevBacktick = false;

  constructor(block: string, gaps: readonly number[]) {
    this.#block = block;
    this.#gaps = gaps;
  }

  push(delta: string): string {
    let out = "";
    let from = 0;
    for (let i = 0; i < delta.length; i++) {
      const u = delta.charCodeAt(i);
      if (u === 0x60) {
        if (!this.#prevBacktick) this.#inCode = !this.#inCode;
        this.#prevBacktick = true;
      } else this.#prevBacktick = false;
      if (isSpace(u)) {
        if (this.#prevWord && this.#tokenPlain && !this.#inCode && ++this.#wordsSince >= this.#nextGap()) {
          out += delta.slice(from, i) + this.#block;
          from = i;
          this.#wordsSince = 0;
          this.#gapIndex++;
        }
        this.#tokenPlain = true;
        this.#prevWord = false;
        continue;
      }
      const word = isWordUnit(u);
      if (!word && !isJoinerUnit(u)) this.#tokenPlain = false;
      this.#prevWord = word;
    }
    return out + delta.slice(from);
  }

  #nextGap(): number {
    // The first block follows the first plain word, so even short answers carry one.
    if (this.#gapIndex === 0) return 1;
    return this.#gaps[(this.#gapIndex - 1) % this.#gaps.length] as number;
  }
}

export async function createTextMarker(key: CryptoKey, principal: string, at: Date | number): Promise<TextMarker> {
  const day = dayNumber(at);
  const mac = await macFor(key, principal, day);
  const gaps = Array.from(mac.subarray(TAG_BYTES), (b) => MIN_GAP + (b % (MAX_GAP - MIN_GAP + 1)));
  return new TextMarker(encodeBlock(day, mac), gaps);
}

export interface TextBlock {
  day: number;
  tag: Uint8Array;
}

/** Every distinct block in `text`: runs of exactly 14 variation selectors. */
export function extractTextBlocks(text: string): TextBlock[] {
  const seen = new Map<string, TextBlock>();
  for (let i = 0; i < text.length; ) {
    if (!isSelector(text.charCodeAt(i))) {
      i++;
      continue;
    }
    let end = i;
    while (end < text.length && isSelector(text.charCodeAt(end))) end++;
    if (end - i === NIBBLES) {
      const bytes = new Uint8Array(NIBBLES / 2);
      for (let b = 0; b < bytes.length; b++)
        bytes[b] = ((text.charCodeAt(i + 2 * b) - SELECTOR_BASE) << 4) | (text.charCodeAt(i + 2 * b + 1) - SELECTOR_BASE);
      const id = text.slice(i, end);
      if (!seen.has(id)) seen.set(id, { day: ((bytes[0] as number) << 8) | (bytes[1] as number), tag: bytes.subarray(2) });
    }
    i = end;
  }
  return [...seen.values()];
}

/** Attributes text to the candidate principal (and day) whose tag its blocks carry. */
export async function verifyText(
  text: string,
  key: CryptoKey,
  candidates: readonly string[],
  options: { alpha?: number } = {},
): Promise<Attribution> {
  const blocks = extractTextBlocks(text);
  if (blocks.length === 0 || candidates.length === 0) return { ...NOT_ATTRIBUTED, trials: blocks.length };
  const days = [...new Set(blocks.map((b) => b.day))];
  let best = { principal: "", day: 0, matches: 0 };
  for (const principal of candidates) {
    for (const day of days) {
      const expected = (await macFor(key, principal, day)).subarray(0, TAG_BYTES);
      const matches = blocks.filter((b) => b.day === day && b.tag.every((x, i) => x === expected[i])).length;
      if (matches > best.matches) best = { principal, day, matches };
    }
  }
  const p = binomialTail(best.matches, blocks.length, 2 ** (-8 * TAG_BYTES));
  const p_value = bonferroni(p, candidates.length * days.length);
  const attributed = best.matches > 0 && p_value < (options.alpha ?? ATTRIBUTION_ALPHA);
  return {
    attributed,
    principal: attributed ? best.principal : null,
    day: attributed ? dayString(best.day) : null,
    p_value,
    matches: best.matches,
    trials: blocks.length,
  };
}
