/**
 * The screening featurizer: text -> normalized string -> overlapping windows -> one sparse,
 * L2-normalized vector of hashed character 4- and 5-grams, words and word pairs per window
 * (normalization, which folds disguises such as tag characters and homoglyphs: normalize.ts).
 *
 * This one module is imported by the training script (Node) and by the Worker (workerd); the
 * model is only valid if both produce the same vectors bit for bit, which
 * test/screening/featurize-vectors.test.ts checks against vectors written by training. Hence the
 * choices below: integer hashing with Math.imul, integer counts, values made with Math.sqrt
 * (correctly rounded everywhere, unlike log), results rounded to float32 once.
 *
 * Changing anything here changes the model's input: bump FEATURIZER_VERSION and retrain
 * (the signed manifest records the version and the Worker refuses a mismatch).
 */
import { fmix32 } from "../hash";
import { SOUP_ID } from "./soup-table";
import { normalize } from "./normalize";
import { VECTOR_ID, VECTOR_WORDS } from "./vector-table";
import { bundledWordTable, pooledVectors, prepareVectors, VECTOR_FEATURES, type TextVectors, type WordTable } from "./vectors";

export { normalize };

/**
 * The version names the word-vector table too (a model is only valid with the table it was
 * trained with; "none" when no table is used), and the suffix head (soup.ts), so that the signed
 * manifest pins the head the Worker runs.
 */
export const featurizerVersion = (vectorId: string, soupId: string = SOUP_ID) => `warden-hash-ngram-v6+vec-${vectorId}+soup-${soupId}`;
export const FEATURIZER_VERSION = featurizerVersion(VECTOR_ID);

/** Number of hash buckets (a power of two); the model holds one weight per bucket. */
export const DIM = 1 << 16;
/**
 * Model inputs: the hashed buckets, then the pooled word vectors (vectors.ts) at DIM + k when a
 * word-vector table is used; without one the model has no weights for them (they would be dead).
 */
export const featureCount = (table: WordTable | null): number => DIM + (table ? VECTOR_FEATURES : 0);
/** Model inputs of the shipped featurizer (VECTOR_WORDS, not the decoded table: nothing decoded at import). */
export const FEATURES = DIM + (VECTOR_WORDS > 0 ? VECTOR_FEATURES : 0);
/** Window length and stride in UTF-16 code units of the normalized text. */
export const WINDOW = 512;
export const STRIDE = 256;
/** Lines shorter than this (normalized) get no window of their own. */
export const MIN_LINE = 16;
/** Character n-gram lengths (consecutive, ascending: they share one rolling hash). */
export const CHAR_NGRAMS = [5] as const;
/** Each word or word pair counts as much as this many character n-grams (chosen by cross-validation). */
export const WORD_WEIGHT = 3;

/** One window's features: unique bucket indices (in first-seen order) and their values (unit L2 norm). */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
}

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const SEED_CHAR = 0x3c6ef372;
const SEED_WORD = 0x9e3779b9;
const SEED_UNIGRAM = 0x510e527f;
const SEED_BIGRAM = 0x1f83d9ab;

const LINE_BREAK = /\r\n|[\n\v\f\r\u0085\u2028\u2029]/;

/**
 * Window spans [start, end) over a normalized text of `length` code units. Windows overlap by
 * half, and the last one is aligned to the end, so every stretch of WINDOW - STRIDE code units
 * (e.g. an injection at the very end of a long document) lies wholly inside some window.
 */
export function windowSpans(length: number): Array<[number, number]> {
  if (length === 0) return [];
  if (length <= WINDOW) return [[0, length]];
  const spans: Array<[number, number]> = [];
  let start = 0;
  for (; start + WINDOW < length; start += STRIDE) spans.push([start, start + WINDOW]);
  spans.push([length - WINDOW, length]);
  return spans;
}

/** Murmur3's finalizer spreads FNV's weak low bits before we take them as the bucket. */
const mix = fmix32;

/**
 * The text's code units, read once (the n-gram loop and the word scan both read them). Scratch
 * reused across calls, safe because featurizing is synchronous (two calls never interleave in
 * one isolate).
 */
let units = new Uint16Array(1024);
/** Scratch kept between calls at most this large (code units, vector entries): a 1 MB text must not pin tens of MB per isolate. */
const KEEP_UNITS = 1 << 16;
const KEEP_ENTRIES = 1 << 18;

function codeUnits(text: string): Uint16Array {
  const len = text.length;
  if (units.length < len) units = new Uint16Array(Math.max(len, 2 * units.length));
  for (let i = 0; i < len; i++) units[i] = text.charCodeAt(i);
  return units;
}

const CHAR_SEED = FNV_OFFSET ^ SEED_CHAR;
/** charHashes() is written out for one n-gram length, 5: changing CHAR_NGRAMS fails to compile here until it is rewritten. */
const FIVE_GRAMS_ONLY: readonly [5] = CHAR_NGRAMS;

/**
 * Per-position hashes of the character n-grams, one array per length in CHAR_NGRAMS: FNV-1a
 * over the n code units, then mix(h ^ n). Written out for 5-grams, the last five code units
 * held in locals: a loop over k with a length test per step cost twice as much.
 */
function charHashes(text: string, shared: boolean): Int32Array[] {
  const len = text.length;
  // The code units are read as the hashes need them and left in `units` for words().
  if (units.length < len) units = new Uint16Array(Math.max(len, 2 * units.length));
  const u = units;
  const n = FIVE_GRAMS_ONLY[0];
  const size = Math.max(0, len - n + 1);
  // Shared: the per-isolate scratch, possibly longer than `size` (only [0, size) is read).
  if (shared && hashScratch.length < size) hashScratch = new Int32Array(Math.max(size, 2 * hashScratch.length));
  const out = shared ? hashScratch : new Int32Array(size);
  if (len < n) {
    for (let i = 0; i < len; i++) u[i] = text.charCodeAt(i);
    return [out];
  }
  let u1 = (u[0] = text.charCodeAt(0));
  let u2 = (u[1] = text.charCodeAt(1));
  let u3 = (u[2] = text.charCodeAt(2));
  let u4 = (u[3] = text.charCodeAt(3));
  for (let p = 0; p < size; p++) {
    const u0 = u1;
    u1 = u2;
    u2 = u3;
    u3 = u4;
    u4 = u[p + 4] = text.charCodeAt(p + 4);
    let h = Math.imul(CHAR_SEED ^ u0, FNV_PRIME);
    h = Math.imul(h ^ u1, FNV_PRIME);
    h = Math.imul(h ^ u2, FNV_PRIME);
    h = Math.imul(h ^ u3, FNV_PRIME);
    h = Math.imul(h ^ u4, FNV_PRIME);
    out[p] = mix(h ^ n);
  }
  return [out];
}

/** Words of a text as parallel arrays; `count` of them are used. */
interface Words {
  count: number;
  start: Int32Array;
  end: Int32Array;
  unigram: Int32Array;
  /** Hash of (previous word, this word); meaningless for the first word. */
  bigram: Int32Array;
}

const wordArrays = (cap: number): Words => ({ count: 0, start: new Int32Array(cap), end: new Int32Array(cap), unigram: new Int32Array(cap), bigram: new Int32Array(cap) });

/**
 * The n-gram hashes and words of the one text per call that is parsed into scratch (the whole
 * normalized text: every window but a line normalized apart reads it), reused across calls like
 * `units`: fresh typed arrays per call cost more than filling them (a 2 KB text: ~10 µs).
 */
let hashScratch = new Int32Array(1024);
let wordScratch = wordArrays(512);

const WORD_CHAR = /^[\p{L}\p{N}]$/u;
/** Whether a BMP code unit is a letter or digit: 0 not yet known, 1 yes, 2 no (filled lazily). */
const wordUnit = new Uint8Array(0x10000);

function isWordCodePoint(cp: number): boolean {
  if (cp < 0x10000) {
    let k = wordUnit[cp]!;
    if (k === 0) wordUnit[cp] = k = WORD_CHAR.test(String.fromCharCode(cp)) ? 1 : 2;
    return k === 1;
  }
  return WORD_CHAR.test(String.fromCodePoint(cp));
}

/**
 * The same words as `text.matchAll(/[\p{L}\p{N}]+/gu)`, found without allocating a match per
 * word: a scan over code points (a lone surrogate is neither letter nor digit, as in the regex).
 * Reads the code units charHashes() left in `units`.
 */
function words(len: number, shared: boolean): Words {
  const u = units;
  // At most one word per two code units (a word and its separator), plus one.
  const cap = (len >> 1) + 1;
  if (shared && wordScratch.start.length < cap) wordScratch = wordArrays(Math.max(cap, 2 * wordScratch.start.length));
  const w: Words = shared ? wordScratch : wordArrays(cap);
  let count = 0;
  let prev = 0;
  let i = 0;
  while (i < len) {
    let c = u[i]!;
    let size = 1;
    let cp = c;
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
      const d = u[i + 1]!;
      if (d >= 0xdc00 && d <= 0xdfff) {
        cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
        size = 2;
      }
    }
    if (!isWordCodePoint(cp)) {
      i += size;
      continue;
    }
    const start = i;
    let h = FNV_OFFSET ^ SEED_WORD;
    for (;;) {
      h = Math.imul(h ^ c, FNV_PRIME);
      if (size === 2) h = Math.imul(h ^ u[i + 1]!, FNV_PRIME);
      i += size;
      if (i >= len) break;
      c = u[i]!;
      size = 1;
      cp = c;
      if (c >= 0xd800 && c <= 0xdbff && i + 1 < len) {
        const d = u[i + 1]!;
        if (d >= 0xdc00 && d <= 0xdfff) {
          cp = ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
          size = 2;
        }
      }
      if (!isWordCodePoint(cp)) break;
    }
    w.start[count] = start;
    w.end[count] = i;
    w.unigram[count] = mix(h ^ SEED_UNIGRAM);
    w.bigram[count] = mix(Math.imul(prev, 0x2c1b3c6d) ^ h ^ SEED_BIGRAM);
    prev = h;
    count++;
  }
  w.count = count;
  return w;
}

/**
 * A window's counts per bucket and the buckets touched, in first-touch order; then the windows'
 * vectors, back to back, before they are cut into one buffer per call. Counts are whole
 * numbers, so integer arithmetic keeps them (and the norm) exact in any order.
 */
const acc = new Int16Array(DIM);
// 16 bits (half the cache of 32; measured in workerd) hold any window's count: at most WINDOW - 4
// character n-grams and, at weight WORD_WEIGHT, WINDOW / 2 words and as many pairs in one bucket.
if (WINDOW - 4 + WORD_WEIGHT * WINDOW > 0x7fff) throw new Error("a window's counts can overflow the 16-bit accumulator");
const touched = new Int32Array(DIM);
let outIndices = new Int32Array(1 << 14);
let outValues = new Float32Array(1 << 14);
let outLength = 0;

/** Math.sqrt of the small counts, looked up (the same doubles: Math.sqrt is correctly rounded). */
const SQRT = Float64Array.from({ length: 4096 }, (_, c) => Math.sqrt(c));

/**
 * Appends the window's vector (touched buckets [0, touchedCount), in first-touch order; `mass`
 * = the sum of their counts' magnitudes), then the window's dense features (pooled word
 * vectors, outside the L2 norm, which is over the hashed part); leaves the accumulator zeroed.
 * Returns the vector's length.
 */
function collect(touchedCount: number, mass: number, dense: Float32Array | null): number {
  const extra = dense ? dense.length : 0;
  if (outLength + touchedCount + extra > outIndices.length) {
    const cap = Math.max(2 * outIndices.length, outLength + touchedCount + extra);
    const indices = new Int32Array(cap);
    const values = new Float32Array(cap);
    indices.set(outIndices.subarray(0, outLength));
    values.set(outValues.subarray(0, outLength));
    outIndices = indices;
    outValues = values;
  }
  const o = outLength;
  const norm = Math.sqrt(mass);
  // (-r) / norm is -(r / norm) in IEEE arithmetic, rounded to float32 alike: the two commonest
  // magnitudes (a character n-gram seen once, a word once) are divided once per window.
  const one = 1 / norm;
  const word = SQRT[WORD_WEIGHT]! / norm;
  let kept = 0;
  for (let j = 0; j < touchedCount; j++) {
    const i = touched[j]!;
    const c = acc[i]!;
    // Buckets whose hits cancelled out are left out (and a repeated entry finds zero here).
    if (c === 0) continue;
    acc[i] = 0;
    outIndices[o + kept] = i;
    const m = Math.abs(c);
    const v = m === 1 ? one : m === WORD_WEIGHT ? word : (m < 4096 ? SQRT[m]! : Math.sqrt(m)) / norm;
    // Times -1 or 1 is exact (a sign flip); the sign is a coin toss, a branch on it often mispredicted.
    outValues[o + kept++] = v * ((c >> 31) | 1);
  }
  for (let k = 0; k < extra; k++) {
    outIndices[o + kept + k] = DIM + k;
    outValues[o + kept + k] = dense![k]!;
  }
  const size = kept + extra;
  outLength += size;
  return size;
}

/** What windows of one normalized text share: n-gram hashes, words, their word vectors (null: no table). */
interface Parsed {
  chars: Int32Array[];
  w: Words;
  v: TextVectors | null;
}

/** `shared`: into the per-isolate scratch, valid until the next shared parse (one per call: the whole text). */
function parse(t: string, table: WordTable | null, shared: boolean): Parsed {
  const chars = charHashes(t, shared);
  const w = words(t.length, shared);
  return { chars, w, v: table ? prepareVectors(table, w.unigram, w.count) : null };
}

/** The 32-bit hash the featurizer gives a single (normalized) word: the word-vector table's key. */
export function wordHash(word: string): number {
  codeUnits(word);
  const w = words(word.length, false);
  if (w.count !== 1) throw new Error(`not one word: ${word}`);
  return w.unigram[0]!;
}

/** Appends the vector of the window [a, b) of a parsed text; returns its length. */
function windowVector({ chars, w, v }: Parsed, a: number, b: number): number {
  let touchedCount = 0;
  // The sum of the counts' magnitudes (the squared L2 norm), kept as they change: whole numbers, exact in any order.
  let mass = 0;
  for (let g = 0; g < CHAR_NGRAMS.length; g++) {
    const hashes = chars[g]!;
    const last = b - CHAR_NGRAMS[g]!;
    for (let p = a; p <= last; p++) {
      const h = hashes[p]!;
      const i = h & (DIM - 1);
      const c = acc[i]!;
      // A bucket whose hits cancelled to zero and is hit again is listed twice; collect() keeps the first.
      if (c === 0) touched[touchedCount++] = i;
      // The top bit is the sign, so collisions tend to cancel.
      const n = c + ((h >> 31) | 1);
      acc[i] = n;
      mass += Math.abs(n) - Math.abs(c);
    }
  }
  // Words wholly inside the window; the first one's pair reaches outside it.
  const firstWord = firstWordFrom(w, a);
  let k = firstWord;
  for (; k < w.count && w.end[k]! <= b; k++) {
    let h = w.unigram[k]!;
    let i = h & (DIM - 1);
    let c = acc[i]!;
    if (c === 0) touched[touchedCount++] = i;
    let n = c + WORD_WEIGHT * ((h >> 31) | 1);
    acc[i] = n;
    mass += Math.abs(n) - Math.abs(c);
    if (k > firstWord) {
      h = w.bigram[k]!;
      i = h & (DIM - 1);
      c = acc[i]!;
      if (c === 0) touched[touchedCount++] = i;
      n = c + WORD_WEIGHT * ((h >> 31) | 1);
      acc[i] = n;
      mass += Math.abs(n) - Math.abs(c);
    }
  }
  return collect(touchedCount, mass, v ? pooledVectors(v, firstWord, k) : null);
}

/**
 * The vectors of windows (text and span each), every text parsed once: one Int32Array and one
 * Float32Array hold all of them (a typed array per window cost more than filling it).
 */
function emit(windows: ReadonlyArray<readonly [Parsed, number, number]>): SparseVector[] {
  outLength = 0;
  const sizes = windows.map(([parsed, a, b]) => windowVector(parsed, a, b));
  const indices = outIndices.slice(0, outLength);
  const values = outValues.slice(0, outLength);
  releaseScratch();
  let o = 0;
  return sizes.map((size) => {
    const vec = { indices: indices.subarray(o, o + size), values: values.subarray(o, o + size) };
    o += size;
    return vec;
  });
}

/** Drops scratch a large text grew beyond what typical texts need (the next large text allocates again, as before the shared buffer). */
function releaseScratch(): void {
  if (units.length > KEEP_UNITS) units = new Uint16Array(1024);
  if (hashScratch.length > KEEP_UNITS) hashScratch = new Int32Array(1024);
  if (wordScratch.start.length > KEEP_UNITS >> 1) wordScratch = wordArrays(512);
  if (outIndices.length > KEEP_ENTRIES) {
    outIndices = new Int32Array(1 << 14);
    outValues = new Float32Array(1 << 14);
  }
}

/** Scratch held between calls (code units, vector entries): test/unit/screen/scratch-release.test.ts. */
export const scratchSizes = (): { units: number; entries: number; hashes: number; words: number } => ({
  units: units.length,
  entries: outIndices.length,
  hashes: hashScratch.length,
  words: wordScratch.start.length,
});

/** Index of the first word starting at or after `a` (binary search; starts are ascending). */
function firstWordFrom(w: Words, a: number): number {
  let lo = 0;
  let hi = w.count;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (w.start[mid]! < a) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Features of every sliding window of `text` (none for an empty or whitespace-only text).
 * `table` is the shipped word-vector table unless training passes another (or null: none).
 */
export function featurize(text: string, table: WordTable | null = bundledWordTable()): SparseVector[] {
  return slidingWindows(normalize(text), table);
}

function slidingWindows(t: string, table: WordTable | null): SparseVector[] {
  const parsed = parse(t, table, true);
  return emit(windowSpans(t.length).map(([a, b]) => [parsed, a, b] as const));
}

/** A window as the text it is cut from (the normalized text, or a line normalized alone) and its span. */
export interface WindowSource {
  t: string;
  a: number;
  b: number;
}

/**
 * One more window per distinct line of a text longer than one window. An injection that is a
 * line or paragraph of its own (the usual case in documents, e-mails and conversations) is then
 * also scored alone, instead of only sharing a sliding window with up to 500 characters of
 * harmless text that dilute it. Training fits sliding windows only; these are scored in use.
 */
export function lineWindows(text: string, table: WordTable | null = bundledWordTable()): SparseVector[] {
  const t = normalize(text);
  return t.length > WINDOW ? vectors(linesOf(text, t), table) : [];
}

/**
 * Line windows of `text`, whose normalized form is `t`.
 *
 * `t` is, in practice, the non-empty normalized lines joined by single spaces (line breaks are
 * whitespace). Where a line is found at its expected offset between spaces (or the ends), its
 * n-grams and words are exactly those of the span of `t` it covers (a space is no letter, digit
 * or surrogate half), so its window is cut from `t`'s hashes instead of hashing the line again.
 * Where not (normalizing in context can differ, e.g. NFKC across a line break), the line is
 * featurized alone, as it always was.
 */
function linesOf(text: string, t: string): WindowSource[] {
  const ascii = asciiLinesOf(text, t);
  if (ascii) return ascii;
  const out: WindowSource[] = [];
  const seen = new Set<string>();
  let at = 0;
  for (const line of text.split(LINE_BREAK)) {
    const n = normalize(line);
    const a = at;
    const b = a + n.length;
    if (n.length > 0) at = b + 1;
    if (n.length < MIN_LINE || n.length > WINDOW || seen.has(n)) continue;
    seen.add(n);
    const inPlace = t.startsWith(n, a) && (a === 0 || t.charCodeAt(a - 1) === 32) && (b === t.length || t.charCodeAt(b) === 32);
    out.push(inPlace ? { t, a, b } : { t: n, a: 0, b: n.length });
  }
  return out;
}

/**
 * linesOf() for an ASCII text, without normalizing each line. normalize() of ASCII text
 * lower-cases it, turns every maximal run of [\u0000-\u0020\u007F] into one space and trims:
 * `t` is the lines' words joined by single spaces, and every line break is in that set. So each
 * non-empty normalized line is the span of `t` at the running offset, as long as its words and
 * the gaps between them, and is found in place without building it. Returns null (the general
 * path then runs) if `text` is not ASCII (found on the way: no test of its own) or the spans do
 * not add up to `t`, i.e. `t` is not normalize(text).
 */
function asciiLinesOf(text: string, t: string): WindowSource[] | null {
  const out: WindowSource[] = [];
  const seen = new Set<string>();
  let at = 0;
  let len = 0;
  let gap = false;
  const len0 = text.length;
  for (let i = 0; i <= len0; i++) {
    const c = i < len0 ? text.charCodeAt(i) : 0x0a;
    // \n, \v, \f, \r (LINE_BREAK's ASCII members; \r\n leaves an empty line between, which adds nothing).
    if (c >= 0x0a && c <= 0x0d) {
      if (len > 0) {
        const a = at;
        const b = a + len;
        at = b + 1;
        if (len >= MIN_LINE && len <= WINDOW) {
          const n = t.slice(a, b);
          if (!seen.has(n)) {
            seen.add(n);
            out.push({ t, a, b });
          }
        }
      }
      len = 0;
      gap = false;
    } else if (c <= 0x20 || c === 0x7f) {
      if (len > 0) gap = true;
    } else if (c > 0x7f) return null;
    else {
      if (gap) len++;
      gap = false;
      len++;
    }
  }
  return (at === 0 ? 0 : at - 1) === t.length ? out : null;
}

/**
 * Every window the Worker scores for a text, as sources: the sliding windows, then the line
 * windows.
 */
export function screeningPlan(text: string, t: string = normalize(text)): WindowSource[] {
  const out = windowSpans(t.length).map(([a, b]): WindowSource => ({ t, a, b }));
  return t.length > WINDOW ? out.concat(linesOf(text, t)) : out;
}

/** Vectors of windows: the whole text is parsed once, a line normalized alone when it is reached. */
function vectors(plan: WindowSource[], table: WordTable | null): SparseVector[] {
  if (plan.length === 0) return [];
  const main = plan[0]!.t;
  const parsedMain = parse(main, table, true);
  return emit(plan.map(({ t, a, b }) => [t === main ? parsedMain : parse(t, table, false), a, b] as const));
}

/** Windows of several texts back to back: window w is entries [starts[w], starts[w + 1]) of `indices` and `values`. */
export interface WindowRows {
  indices: Int32Array;
  values: Float32Array;
  starts: readonly number[];
  /** Windows per text, in order. */
  perText: readonly number[];
}

/**
 * screeningWindows() of every text (`normalized[k]` = normalize(texts[k])), back to back in the
 * featurizer's scratch, handed to `use` without a typed array per window or a copy (those were
 * ~7% of the featurizer): `use` runs before this returns and must not keep the arrays, which the
 * next call writes over. The same vectors, bit for bit (test/unit/screen/pack-rows.test.ts).
 */
export function withScreeningRows<T>(texts: readonly string[], normalized: readonly string[], use: (rows: WindowRows) => T, table: WordTable | null = bundledWordTable()): T {
  outLength = 0;
  const starts = [0];
  const perText: number[] = [];
  for (let k = 0; k < texts.length; k++) {
    const plan = screeningPlan(texts[k]!, normalized[k]);
    if (plan.length > 0) {
      const main = plan[0]!.t;
      const parsedMain = parse(main, table, true);
      for (const { t, a, b } of plan) {
        windowVector(t === main ? parsedMain : parse(t, table, false), a, b);
        starts.push(outLength);
      }
    }
    perText.push(plan.length);
  }
  try {
    return use({ indices: outIndices, values: outValues, starts, perText });
  } finally {
    releaseScratch();
  }
}

/**
 * Every window the Worker scores for a text: the sliding windows, then the line windows.
 * `normalized` is normalize(text) when the caller has it already (score.ts: the suffix head reads it too).
 */
export function screeningWindows(text: string, table: WordTable | null = bundledWordTable(), normalized?: string): SparseVector[] {
  return vectors(screeningPlan(text, normalized), table);
}
