/**
 * Invisible keyed text watermark (CONTRACT §6 `text_watermark`): generated text carries, every
 * 8–20 words, a block of invisible characters naming the principal and the UTC day, authenticated
 * with the tenant's key and bound to the words it follows, so leaked text can be traced to the
 * account and day it was produced for, and a block moved into other text proves nothing.
 *
 * Block = U+2060 WORD JOINER, then 11 variation selectors U+FE00..U+FE0F (4 bits each) = 44 bits:
 * the day number (days since 1970-01-01) modulo 4096 and a 32-bit tag, the first 32 bits of
 * HMAC-SHA256(tenant key, ["text2", principal, day, context]), where context is the block's
 * preceding `CONTEXT_WORDS` (8) words. The word joiner comes first so the selectors never form a
 * variation sequence with the character before (e.g. "0"+U+FE00 is a slashed zero, "❤"+U+FE0F an
 * emoji); it carries no data and the decoder does not need it. A block goes only right after a
 * plain word (letters, digits, ' and -) followed by white space, and never inside `code`, so URLs,
 * identifiers, markup and code stay byte-identical. Gaps come from HMAC(principal, day). The first
 * block follows the 8th plain word, so every block has 8 words of context: answers shorter than
 * that carry no mark. Do not mark answers whose text is data (JSON response formats, tool arguments).
 *
 * Binding (issue 8 item 10): an earlier version's tag named only principal and day, so the block
 * of any answer pasted into unrelated text verified to its principal — anyone holding one marked
 * answer could frame its owner. Now a block verifies only behind the 8 words it was made for.
 * Words are runs of letters, digits and combining marks, compared after NFKC and lower-casing,
 * ignoring default-ignorable characters (the blocks themselves, ZWJ, soft hyphens), so the
 * robustness below is kept; what moves a block away from its words, or changes one of them, breaks
 * that one block. What a framer can still do: copy a block together with its 8 preceding words —
 * then the suspect text does contain that genuine output, which is what the proof says.
 *
 * Proof: any run of exactly 11 selectors is a candidate block; each distinct (block, context) is a
 * trial and matches a principal when its tag verifies for that principal, the block's day and its
 * context. By chance a block verifies for a given principal with probability 2^-32, so
 * p = P[Bin(trials, 2^-32) ≥ matches] times the number of (principal, day) hypotheses tried
 * (Bonferroni): one block gives p ≈ 2.3e-10 per candidate principal, below 1e-6 up to ≈ 4,000
 * candidates. At most `MAX_BLOCKS` (256) blocks are checked: a long text is attributed long before.
 *
 * Measured on 846 words of English prose, three principals (test/unit/protect/text-watermark.test.ts
 * for the robustness claims; token counts with js-tiktoken 1.0.21):
 * - a block is 12 UTF-16 units, 37 UTF-8 bytes, 23–24 tokens in cl100k_base, 22 in o200k_base
 *   (each selector is 3 UTF-8 bytes that BPE does not merge: ~2 tokens). Zero-width space / non-
 *   joiner cost 1 token but carry 1 bit: 0.6–0.8 tokens per bit against 0.47 for selectors.
 * - default gaps (8–20 words, one block per 15–17 words): +13% characters, +38–41% UTF-8 bytes,
 *   +117–126% tokens (cl100k_base), +109–120% (o200k_base) if the marked text is sent back to a
 *   model. `maxGap` 28 (`minGap` 12) brings that to +86–96% / +81–89%.
 * - survives: any excerpt of 200 UTF-16 units or more that holds a block and its 8 words (every
 *   window tested in the unit test), JSON round trips (also with \u escapes), trim, NFC/NFD/NFKC/
 *   NFKD normalization, line reflow, and removal of \p{Cf} format characters (selectors are
 *   category Mn; only the optional word joiner goes).
 * - removed by: deleting Default_Ignorable_Code_Point characters (/\p{DI}/u), retyping, OCR or
 *   screenshots, paraphrasing (each block needs its 8 words unchanged), any editor or pipeline
 *   that filters variation selectors, and excerpts shorter than a block's distance plus 8 words.
 * Copy and paste between real applications was not measured here (no browser in the test runner);
 * browsers copy variation selectors as text, some chat and office apps drop them.
 */
import { binomialTail, bonferroni, ATTRIBUTION_ALPHA, NOT_ATTRIBUTED, type Attribution } from "./stats";
import { PURPOSE, deriveHmacKey, hmac } from "./keys";

const WORD_JOINER = "\u2060";
const SELECTOR_BASE = 0xfe00;
const DAY_NIBBLES = 3;
const TAG_BYTES = 4;
const NIBBLES = DAY_NIBBLES + 2 * TAG_BYTES;
const DAY_CYCLE = 16 ** DAY_NIBBLES;
const MIN_GAP = 8;
const MAX_GAP = 20;
const DAY_MS = 86_400_000;
/** Words of context a block is bound to; MIN_GAP plain words give every default block all of them. */
export const CONTEXT_WORDS = 8;
/** Longer runs are cut here on both sides, so one huge "word" cannot make a context large. */
const MAX_WORD_UNITS = 256;
/** The verifier checks at most this many distinct blocks. */
const MAX_BLOCKS = 256;

export function textWatermarkKey(master: Uint8Array, tenant: string): Promise<CryptoKey> {
  return deriveHmacKey(master, PURPOSE.textWatermark, [tenant]);
}

export function dayNumber(at: Date | number): number {
  return Math.floor((typeof at === "number" ? at : at.getTime()) / DAY_MS);
}

export function dayString(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

/**
 * The gaps between blocks come from HMAC(key, principal, day); the tags are per block (`tagFor`).
 * They are the same for every answer of a principal on a day, so they are kept per key (the
 * tenant's, itself cached per isolate), principal, day and gap bounds, bounded like the key cache.
 */
const MAX_GAP_LISTS = 2048;
const gapLists = new WeakMap<CryptoKey, Map<string, Promise<readonly number[]>>>();
function gapsFor(key: CryptoKey, principal: string, day: number, minGap: number, maxGap: number): Promise<readonly number[]> {
  const lists = gapLists.get(key) ?? new Map<string, Promise<readonly number[]>>();
  if (lists.size === 0) gapLists.set(key, lists);
  const id = `${principal}|${day}|${minGap}|${maxGap}`;
  let gaps = lists.get(id);
  if (!gaps) {
    if (lists.size >= MAX_GAP_LISTS) lists.clear();
    gaps = hmac(key, `text|${principal}|${day}`).then((mac) => Array.from(mac.subarray(TAG_BYTES), (b) => minGap + (b % (maxGap - minGap + 1))));
    lists.set(id, gaps);
    gaps.catch(() => lists.delete(id));
  }
  return gaps;
}

async function tagFor(key: CryptoKey, principal: string, day: number, context: string): Promise<Uint8Array> {
  return (await hmac(key, JSON.stringify(["text2", principal, day, context]))).subarray(0, TAG_BYTES);
}

function encodeBlock(day: number, tag: Uint8Array): string {
  const nibbles: number[] = [];
  for (let i = DAY_NIBBLES - 1; i >= 0; i--) nibbles.push(Math.floor(day / 16 ** i) % 16);
  for (const b of tag.subarray(0, TAG_BYTES)) nibbles.push(b >>> 4, b & 15);
  return WORD_JOINER + String.fromCharCode(...nibbles.map((n) => SELECTOR_BASE + n));
}

const isSelector = (u: number): boolean => u >= SELECTOR_BASE && u <= SELECTOR_BASE + 15;
const isSpace = (u: number): boolean => u === 0x20 || u === 0x09 || u === 0x0a || u === 0x0d || u === 0xa0 || u === 0x3000;
const WORD = /^[\p{L}\p{N}]$/u;
/** Per UTF-16 unit, so a delta split inside a surrogate pair classifies the same as the whole text. */
const isWordUnit = (u: number): boolean => (u < 0x80 ? ASCII_WORD[u] === 1 : (u >= 0xd800 && u <= 0xdfff) || WORD.test(String.fromCharCode(u)));
/**
 * ASCII by table, the Unicode classes above answered once per unit: in ASCII the letters and digits
 * are exactly [\p{L}\p{N}] and [\p{L}\p{N}\p{M}], no unit is default-ignorable, and NFKC changes
 * nothing (test/unit/protect/text-context-ascii.test.ts checks the marks against the marker of before).
 */
const ASCII_WORD = Uint8Array.from({ length: 0x80 }, (_, u) => ((u >= 0x30 && u <= 0x39) || (u >= 0x41 && u <= 0x5a) || (u >= 0x61 && u <= 0x7a) ? 1 : 0));
const isJoinerUnit = (u: number): boolean => u === 0x27 || u === 0x2d || u === 0x2019;

const CONTEXT_CHAR = /^[\p{L}\p{N}\p{M}]$/u;
const IGNORABLE = /^\p{DI}$/u;
const isHigh = (u: number): boolean => u >= 0xd800 && u <= 0xdbff;
const isLow = (u: number): boolean => u >= 0xdc00 && u <= 0xdfff;

/**
 * The words a block is bound to, fed one UTF-16 unit at a time (so any split of a stream gives the
 * same words): runs of letters, digits and marks, default-ignorable characters skipped (the blocks
 * themselves among them), each word NFKC-normalized and lower-cased.
 */
export class ContextWords {
  readonly #words: string[] = [];
  #current = "";
  /** The word in progress is all ASCII: NFKC would not change it. */
  #ascii = true;
  #high = -1;

  feed(unit: number): void {
    if (unit < 0x80 && this.#high < 0) {
      if (ASCII_WORD[unit] === 1) {
        if (this.#current.length < MAX_WORD_UNITS) this.#current += String.fromCharCode(unit);
      } else this.#end();
      return;
    }
    if (this.#high >= 0) {
      const high = this.#high;
      this.#high = -1;
      if (isLow(unit)) return this.#char(String.fromCharCode(high, unit));
      this.#char(String.fromCharCode(high));
    }
    if (isHigh(unit)) this.#high = unit;
    else this.#char(String.fromCharCode(unit));
  }

  /** The last CONTEXT_WORDS words, the one in progress included. */
  context(): string {
    const words = this.#current ? [...this.#words, this.#norm()] : this.#words;
    return words.slice(-CONTEXT_WORDS).join(" ");
  }

  #char(ch: string): void {
    if (IGNORABLE.test(ch)) return;
    if (CONTEXT_CHAR.test(ch)) {
      if (this.#current.length < MAX_WORD_UNITS) {
        this.#current += ch;
        this.#ascii = false;
      }
      return;
    }
    this.#end();
  }

  #end(): void {
    if (!this.#current) return;
    this.#words.push(this.#norm());
    if (this.#words.length > CONTEXT_WORDS) this.#words.shift();
    this.#current = "";
    this.#ascii = true;
  }

  #norm(): string {
    return this.#ascii ? this.#current.toLowerCase() : norm(this.#current);
  }
}

const norm = (word: string): string => word.normalize("NFKC").toLowerCase();

/**
 * Inserts the mark into text given as deltas (an SSE stream) or whole: push(a) + push(b) equals
 * push(a + b) for any split, because every decision depends only on the text seen so far and a
 * block goes just before a white-space unit. One marker per generated text (per choice index);
 * calls must not overlap (await each push).
 */
export class TextMarker {
  readonly #context = new ContextWords();
  #gapIndex = 0;
  #wordsSince = 0;
  #prevWord = false;
  #tokenPlain = true;
  #inCode = false;
  #prevBacktick = false;

  constructor(
    private readonly key: CryptoKey,
    private readonly principal: string,
    private readonly day: number,
    private readonly gaps: readonly number[],
    private readonly firstGap: number,
  ) {}

  async push(delta: string): Promise<string> {
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
          out += delta.slice(from, i) + encodeBlock(this.day, await tagFor(this.key, this.principal, this.day, this.#context.context()));
          from = i;
          this.#wordsSince = 0;
          this.#gapIndex++;
        }
        this.#context.feed(u);
        this.#tokenPlain = true;
        this.#prevWord = false;
        continue;
      }
      this.#context.feed(u);
      const word = isWordUnit(u);
      if (!word && !isJoinerUnit(u)) this.#tokenPlain = false;
      this.#prevWord = word;
    }
    return out + delta.slice(from);
  }

  #nextGap(): number {
    if (this.#gapIndex === 0) return this.firstGap;
    return this.gaps[(this.#gapIndex - 1) % this.gaps.length] as number;
  }
}

export interface TextMarkerOptions {
  /** Words between blocks, inclusive bounds; defaults 8 and 20 (see the measurements above). */
  minGap?: number;
  maxGap?: number;
}

export async function createTextMarker(key: CryptoKey, principal: string, at: Date | number, options: TextMarkerOptions = {}): Promise<TextMarker> {
  const day = dayNumber(at);
  const minGap = Math.max(1, options.minGap ?? MIN_GAP);
  const maxGap = Math.max(minGap, options.maxGap ?? MAX_GAP);
  const gaps = await gapsFor(key, principal, day, minGap, maxGap);
  // The first block waits for a full context (or for the first gap, if blocks are asked to be denser).
  return new TextMarker(key, principal, day, gaps, Math.min(minGap, CONTEXT_WORDS));
}

export interface TextBlock {
  /** The day number modulo 4096 (11.2 years); `verifyText` resolves it against its `now`. */
  dayLow: number;
  tag: Uint8Array;
  /** The words the block follows, as the tag binds them. */
  context: string;
}

/** Every distinct (block, context) in `text`, at most MAX_BLOCKS: runs of exactly 11 variation selectors. */
export function extractTextBlocks(text: string): TextBlock[] {
  const seen = new Map<string, TextBlock>();
  const words = new ContextWords();
  for (let i = 0; i < text.length && seen.size < MAX_BLOCKS; ) {
    if (!isSelector(text.charCodeAt(i))) {
      words.feed(text.charCodeAt(i));
      i++;
      continue;
    }
    let end = i;
    while (end < text.length && isSelector(text.charCodeAt(end))) end++;
    const context = words.context();
    const id = `${text.slice(i, end)}|${context}`;
    if (end - i === NIBBLES && !seen.has(id)) {
      const nibble = (k: number): number => text.charCodeAt(i + k) - SELECTOR_BASE;
      let dayLow = 0;
      for (let k = 0; k < DAY_NIBBLES; k++) dayLow = dayLow * 16 + nibble(k);
      const tag = new Uint8Array(TAG_BYTES);
      for (let b = 0; b < TAG_BYTES; b++) tag[b] = (nibble(DAY_NIBBLES + 2 * b) << 4) | nibble(DAY_NIBBLES + 2 * b + 1);
      seen.set(id, { dayLow, tag, context });
    }
    // Selectors are default-ignorable: the context skips them, as it skipped nothing else here.
    i = end;
  }
  return [...seen.values()];
}

/**
 * Attributes text to the candidate principal (and day) whose tags its blocks carry. A block's day is
 * the latest day not after `now` with the carried day number modulo 4096.
 */
export async function verifyText(
  text: string,
  key: CryptoKey,
  candidates: readonly string[],
  options: { alpha?: number; now?: Date | number } = {},
): Promise<Attribution> {
  const blocks = extractTextBlocks(text);
  if (blocks.length === 0 || candidates.length === 0) return { ...NOT_ATTRIBUTED, trials: blocks.length };
  const today = dayNumber(options.now ?? Date.now());
  const fullDay = (low: number): number => today - ((((today - low) % DAY_CYCLE) + DAY_CYCLE) % DAY_CYCLE);
  const days = [...new Set(blocks.map((b) => fullDay(b.dayLow)))];
  let best = { principal: "", day: 0, matches: 0 };
  for (const principal of candidates) {
    for (const day of days) {
      let matches = 0;
      for (const b of blocks) {
        if (fullDay(b.dayLow) !== day) continue;
        const expected = await tagFor(key, principal, day, b.context);
        if (b.tag.every((x, i) => x === expected[i])) matches++;
      }
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
