/**
 * The suffix head: adversarial suffixes (GCG and other optimised token soup) are not language,
 * and the classifier cannot learn soup it has not seen. This head needs no attack examples: it
 * is a small logistic model over a few statistics of every stretch of STRETCH whitespace tokens,
 * fitted on harmless text against random soup made from harmless text's own words and ASCII
 * punctuation (wasm-models/lib/soup-train.ts); a text scores as its most soup-like stretch.
 *
 * Statistics of a stretch: how surprising its characters are to a character-class trigram model
 * of harmless text (classes, not characters: every letter or mark of a non-Latin script is one
 * class, every digit another, so another language or a number is not surprising by its
 * alphabet), the shares of token shapes (prose word, number, punctuation only, glued), how many
 * punctuation-only tokens stand between prose words (soup's signature; code puts operators
 * between identifiers), the variety of punctuation, bracket imbalance, non-Latin letters, and
 * machine tokens (whitespace-free tokens of LONG_TOKEN+ code units: base64, hashes, URLs, which
 * are not scored by the language model).
 *
 * Training and Worker run this same module: integer counts, then float arithmetic in a fixed
 * order and Math.exp (the same V8 code in Node and workerd), so they agree bit for bit
 * (test/screening/featurize-vectors.test.ts).
 */

import { bigramSlot, hasSlot, PIECE_SEED, pieceStep, unigramSlot } from "./soup-words";
import { bracketClose, bracketOpen, bracketsFinish, bracketsStart } from "./soup-brackets";
import { CLASSES, classOfCodePoint, classOfUnit, DIGIT, FLAGS, KIND, OTHER_LETTER, SPACE, unitClass } from "./soup-classes";

export { CLASSES, soupClasses } from "./soup-classes";

/** Log counts are stored in eighths of a bit. */
export const SOUP_SCALE = 8;
/** Add-V smoothing: an unseen context is worth log2(SOUP_V) bits. */
export const SOUP_V = 64;
/** Longest counted surprisal per position: 12 bits. */
export const CAP = 12 * SOUP_SCALE;
/** Whitespace-free tokens this long are machine text (base64, hashes, URLs), not scored by the language model. */
export const LONG_TOKEN = 24;
/** Tokens per stretch (a suffix is ~15-25 tokenizer pieces, often fewer whitespace tokens). */
export const STRETCH = 12;
/** Texts with fewer tokens than this have no stretch. */
export const MIN_TOKENS = 6;

export const TRIGRAMS = CLASSES * CLASSES * CLASSES;
export const CONTEXTS = CLASSES * CLASSES;
/** Statistics per stretch (see forEachStretch); the head has one weight each, plus a bias. */
export const SOUP_FEATURES = 12;
/** Word-level statistics per stretch added when the head has a vocabulary (round 12, soup-words.ts). */
export const WORD_FEATURES = 3;

export interface SoupLm {
  /** round(SOUP_SCALE · log2(count + 1)) per trigram (a·CLASSES² + b·CLASSES + c), capped at 255. */
  trigram: Uint8Array;
  /** round(SOUP_SCALE · log2(count + SOUP_V)) per context (a·CLASSES + b), capped at 255. */
  context: Uint8Array;
  /** Round 12: the harmless vocabulary of word pieces and piece bigrams (soup-words.ts), or none (the round-3 head). */
  words?: Uint8Array;
  /** Round 13: bracket imbalance counts brackets that never balance in the whole text (soup-brackets.ts), not |opens − closes| in the stretch. */
  wholeTextBrackets?: boolean;
}

export interface SoupHead {
  lm: SoupLm;
  weights: Float64Array;
  /** The bias, shifted by calibration so that the calibrated threshold scores 0.9 (the default). */
  bias: number;
}


const PROSE = 0;
const NUMBER = 1;
const PUNCT_ONLY = 2;
const GLUED = 3;

/** Per-token integer counts, from which every stretch statistic is a sum. */
interface Tokens {
  count: number;
  shape: Uint8Array;
  nonLatin: Uint8Array;
  long: Uint8Array;
  /** Sum of capped surprisals (eighths of a bit) and scored positions. */
  surprisal: Int32Array;
  positions: Int32Array;
  /** Bit set of the ASCII punctuation classes in the token (32 bits). */
  punct: Int32Array;
  opens: Int32Array;
  closes: Int32Array;
  /** With wholeTextBrackets: brackets in the token that never balance in the text (soup-brackets.ts). */
  unbalanced: Int32Array;
  wholeBrackets: boolean;
  /** 1 for a token with letters or digits that occurs more than once in the text (code and data repeat their names; soup rarely does). */
  repeated: Uint8Array;
  /** Room for a flag per token (forEachStretch). */
  between: Uint8Array;
  /** With a vocabulary: word pieces, pieces not in it, bigrams (a piece with a previous one), bigrams not in it, per token. */
  pieces: Int32Array;
  oov: Int32Array;
  pairs: Int32Array;
  unseen: Int32Array;
  /** Their sums over the text (pairs and unseen only: the contrast of a stretch with the rest). */
  totalPairs: number;
  totalUnseen: number;
}

/**
 * The shape of a token of `size` code units with `letters` letters and `digits` digits, whose
 * first class is `first` and last two are `last` and `before` (`before` is read only when the
 * token has two code units left after stripping its lead), all taken by the caller as it reads
 * the token. Prose: letters only once one leading ( " ' and up to two trailing . , ; : ! ? ) " '
 * are stripped; those are punctuation, never letters, so the rest is all letters exactly when it
 * is as long as the token's letter count.
 */
function shapeOf(size: number, first: number, last: number, before: number, letters: number, digits: number): number {
  if (letters === 0 && digits === 0) return PUNCT_ONLY;
  const s = FLAGS[first]! & 1;
  let e = size;
  if (e > s && FLAGS[last]! & 2) {
    e--;
    if (e > s && FLAGS[before]! & 2) e--;
  }
  if (e > s && letters === e - s) return PROSE;
  if (letters === 0) return NUMBER;
  return GLUED;
}


/**
 * Per-token arrays reused across calls, grown on demand: the head runs synchronously, so two
 * calls never interleave in one isolate, and a Tokens is read only before the next call.
 */
let scratchCap = 0;
let scratchOf: ReturnType<typeof allocate> | undefined;
const allocate = (cap: number) => ({
  shape: new Uint8Array(cap),
  nonLatin: new Uint8Array(cap),
  long: new Uint8Array(cap),
  surprisal: new Int32Array(cap),
  positions: new Int32Array(cap),
  punct: new Int32Array(cap),
  opens: new Int32Array(cap),
  closes: new Int32Array(cap),
  unbalanced: new Int32Array(cap),
  repeated: new Uint8Array(cap),
  hashes: new Int32Array(cap),
  slot: new Int32Array(cap),
  between: new Uint8Array(cap),
  pieces: new Int32Array(cap),
  oov: new Int32Array(cap),
  pairs: new Int32Array(cap),
  unseen: new Int32Array(cap),
  keys: new Int32Array(4 * cap),
  seen: new Uint8Array(4 * cap),
});

/** Tokens of scratch kept between calls: a 1 MB text must not pin ~28 MB per isolate. */
const KEEP_TOKENS = 1 << 15;

/** Drops scratch a large text grew beyond KEEP_TOKENS (call when no Tokens is read any more). */
function releaseScratch(): void {
  if (scratchCap > KEEP_TOKENS) {
    scratchOf = undefined;
    scratchCap = 0;
  }
}

/** Tokens of scratch held between calls: test/unit/screen/scratch-release.test.ts. */
export const scratchTokens = (): number => scratchCap;

function scratch(cap: number): ReturnType<typeof allocate> {
  if (!scratchOf || cap > scratchCap) {
    scratchCap = Math.max(cap, 2 * scratchCap, 512);
    scratchOf = allocate(scratchCap);
  }
  return scratchOf;
}

function tokens(t: string, lm: SoupLm): Tokens {
  const len = t.length;
  const sc = scratch((len >> 1) + 1);
  const { shape, surprisal, positions, punct, repeated, hashes } = sc;
  const nonLatinOf = sc.nonLatin;
  const longOf = sc.long;
  const opensOf = sc.opens;
  const closesOf = sc.closes;
  const { context, trigram } = lm;
  const words = lm.words;
  const piecesOf = sc.pieces;
  const oovOf = sc.oov;
  const pairsOf = sc.pairs;
  const unseenOf = sc.unseen;
  const wholeBrackets = lm.wholeTextBrackets === true;
  const unbalancedOf = sc.unbalanced;
  if (wholeBrackets) bracketsStart();
  // Word pieces (runs of a-z) with a vocabulary only: the running piece's hash, whether one is
  // open, the previous piece's hash and whether there is one, the token's counts, the text's.
  let ph = PIECE_SEED;
  let inPiece = false;
  let prev = 0;
  let hasPrev = false;
  let pieces = 0;
  let oov = 0;
  let pairs = 0;
  let unseen = 0;
  let totalPairs = 0;
  let totalUnseen = 0;
  // One pass over the code units, each class found as it is read (the classes soupClasses()
  // gives), the last two in locals for the trigram context and the token's shape, and the
  // running token's counts in locals. A token's surprisal is summed as it goes and dropped at
  // its end if it turns out long: integer sums, so the result equals summing only the tokens
  // that are not long.
  let n = 0;
  let a = 0;
  let sum = 0;
  let pos = 0;
  let bits = 0;
  let nonLatin = 0;
  let letters = 0;
  let digits = 0;
  let opens = 0;
  let closes = 0;
  let first = SPACE;
  let k1 = SPACE;
  let k2 = SPACE;
  /** The class of the low half of a surrogate pair whose high half was just read, else 255. */
  let pending = 255;
  let h = 0x811c9dc5;
  for (let i = 0; i <= len; i++) {
    let c = SPACE;
    let x = 0;
    if (i < len) {
      x = t.charCodeAt(i);
      if (pending !== 255) {
        c = pending;
        pending = 255;
      } else if (x >= 0xd800 && x <= 0xdbff && i + 1 < len) {
        const d = t.charCodeAt(i + 1);
        c = d >= 0xdc00 && d <= 0xdfff ? (pending = classOfCodePoint(((x - 0xd800) << 10) + (d - 0xdc00) + 0x10000)) : classOfUnit(x);
      } else {
        c = unitClass[x]!;
        if (c === 255) c = classOfUnit(x);
      }
    }
    // A word piece (only ever open with a vocabulary) ends at any class but a-z, inside its token or at its end: counted for the running token.
    if (inPiece && (c === SPACE || c > 26)) {
      pieces++;
      if (!hasSlot(words!, unigramSlot(ph))) oov++;
      if (hasPrev) {
        pairs++;
        if (!hasSlot(words!, bigramSlot(prev, ph))) unseen++;
      }
      prev = ph;
      hasPrev = true;
      ph = PIECE_SEED;
      inPiece = false;
    }
    if (c !== SPACE) {
      if (i === a) {
        first = c;
        if (wholeBrackets) unbalancedOf[n] = 0;
      }
      // Latin letters (classes 1..26) first: most of any text.
      if (c <= 26) {
        letters++;
        if (words !== undefined) {
          ph = pieceStep(ph, c);
          inPiece = true;
        }
      } else if (c === DIGIT) digits++;
      else if (c === OTHER_LETTER) {
        letters++;
        nonLatin = 1;
        // No bigram across scripts.
        hasPrev = false;
      } else if (c >= 30) {
        bits |= 1 << (c - 30);
        const f = FLAGS[c]!;
        if (f & 4) {
          opens++;
          if (wholeBrackets) bracketOpen(KIND[c]!, n);
        }
        if (f & 8) {
          closes++;
          if (wholeBrackets) bracketClose(KIND[c]!, n, unbalancedOf);
        }
      }
      // The trigram ending at i, with the space before the token as context where there is one.
      if (i >= 2) {
        const ctx = k2 * CLASSES + k1;
        const sp = context[ctx]! - trigram[ctx * CLASSES + c]!;
        sum += sp < 0 ? 0 : sp > CAP ? CAP : sp;
        pos++;
      }
      h = Math.imul(h ^ x, 0x01000193);
      k2 = k1;
      k1 = c;
      continue;
    }
    if (i > a) {
      const long = i - a >= LONG_TOKEN;
      shape[n] = shapeOf(i - a, first, k1, k2, letters, digits);
      longOf[n] = long ? 1 : 0;
      hashes[n] = h;
      surprisal[n] = long ? 0 : sum;
      positions[n] = long ? 0 : pos;
      punct[n] = bits;
      nonLatinOf[n] = nonLatin;
      opensOf[n] = opens;
      closesOf[n] = closes;
      if (words !== undefined) {
        piecesOf[n] = pieces;
        oovOf[n] = oov;
        pairsOf[n] = pairs;
        unseenOf[n] = unseen;
        totalPairs += pairs;
        totalUnseen += unseen;
        pieces = oov = pairs = unseen = 0;
      }
      n++;
      sum = pos = bits = nonLatin = letters = digits = opens = closes = 0;
      h = 0x811c9dc5;
    }
    k2 = k1;
    k1 = SPACE;
    a = i + 1;
  }
  markRepeated(hashes, n, shape, repeated, sc);
  if (wholeBrackets) bracketsFinish(unbalancedOf);
  return {
    count: n,
    shape,
    nonLatin: nonLatinOf,
    long: longOf,
    surprisal,
    positions,
    punct,
    opens: opensOf,
    closes: closesOf,
    unbalanced: unbalancedOf,
    wholeBrackets,
    repeated,
    between: sc.between,
    pieces: piecesOf,
    oov: oovOf,
    pairs: pairsOf,
    unseen: unseenOf,
    totalPairs,
    totalUnseen,
  };
}

/**
 * repeated[j] = 1 for a token that is not punctuation only and whose hash occurs more than once
 * among all n tokens' hashes: counted in an open-addressing table (a typed-array sort of the
 * hashes cost more than the rest of the head).
 */
function markRepeated(hashes: Int32Array, n: number, shape: Uint8Array, repeated: Uint8Array, sc: { keys: Int32Array; seen: Uint8Array; slot: Int32Array }): void {
  let bits = 4;
  while (1 << bits < 2 * n) bits++;
  const mask = (1 << bits) - 1;
  const { keys, seen, slot } = sc;
  // 0 = empty slot, else the number of tokens with this key (1 or 2: more need not be told apart).
  seen.fill(0, 0, mask + 1);
  for (let j = 0; j < n; j++) {
    const key = hashes[j]!;
    let i = Math.imul(key, 0x9e3779b1) >>> (32 - bits);
    while (seen[i] !== 0 && keys[i] !== key) i = (i + 1) & mask;
    if (seen[i] === 0) {
      keys[i] = key;
      seen[i] = 1;
    } else seen[i] = 2;
    slot[j] = i;
  }
  for (let j = 0; j < n; j++) repeated[j] = shape[j] !== PUNCT_ONLY && seen[slot[j]!] === 2 ? 1 : 0;
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

/**
 * Calls visit(out) for every stretch of `size` consecutive tokens, in order, with out holding
 * the stretch's statistics, each roughly in 0..1. The window's counts slide (one token in, one
 * out) instead of being summed again: they are whole numbers, so every statistic is exactly
 * what summing the stretch afresh gives. The punctuation classes seen are kept as a count per
 * class, since a bit set cannot forget a token.
 */
/** forEachStretch()'s per-class counts, reused (it runs synchronously). */
const PER_CLASS = new Int32Array(32);

function forEachStretch(tk: Tokens, size: number, out: Float64Array, visit: (out: Float64Array) => void, withWords: boolean): void {
  stretches(tk, size, out, visit, null, withWords);
}

/**
 * The highest headLogit() over the stretches, computed inline (the same products and sums in
 * the same order, so the same double): a visitor per stretch cost a call each.
 */
function bestLogit(tk: Tokens, size: number, out: Float64Array, head: SoupHead): number {
  return stretches(tk, size, out, null, head, head.lm.words !== undefined);
}

/** share[] of stretches() for up to STRETCH tokens; Math.min(1, k / 8) for the 0..32 punctuation classes; Math.min(1, k / 4) below 4 (1 from there on). */
const SHARE = new Float64Array(STRETCH + 1);
const VARIETY = Float64Array.from({ length: 33 }, (_, k) => Math.min(1, k / 8));
const IMBALANCE = Float64Array.from({ length: 4 }, (_, k) => Math.min(1, k / 4));
const TWELVE_FEATURES: 12 = SOUP_FEATURES;
const ZERO_WEIGHTS = new Float64Array(TWELVE_FEATURES + WORD_FEATURES);
/** The contrast statistic needs at least this many bigrams outside the stretch (else it is 0). */
export const MIN_REST_PAIRS = 4;

/** forEachStretch() with `visit`, or bestLogit() with `head` (one of them); returns the best logit (-Infinity when visiting). */
function stretches(tk: Tokens, size: number, out: Float64Array, visit: ((out: Float64Array) => void) | null, head: SoupHead | null, withWords: boolean): number {
  let best = -Infinity;
  const bias = head ? head.bias : 0;
  // The weights in locals (written out for SOUP_FEATURES = 12: changing it fails to compile below until this is rewritten).
  const w = head ? head.weights : ZERO_WEIGHTS;
  const [w0, w1, w2, w3, w4, w5, w6, w7, w8, w9, w10, w11] = [w[0]!, w[1]!, w[2]!, w[3]!, w[4]!, w[5]!, w[6]!, w[7]!, w[8]!, w[9]!, w[10]!, w[11]!];
  const [w12, w13, w14] = withWords ? [w[12]!, w[13]!, w[14]!] : [0, 0, 0];
  const { pieces, oov, pairs, unseen, totalPairs, totalUnseen } = tk;
  let pc = 0;
  let oc = 0;
  let qc = 0;
  let uc = 0;
  const { count, shape, surprisal, positions, nonLatin, long, closes, repeated, punct, wholeBrackets } = tk;
  // Round 13: the stretch's never-balanced brackets (summed as `open`, `close` unused) instead of |opens − closes|.
  const opens = wholeBrackets ? tk.unbalanced : tk.opens;
  // 1 for a punctuation-only token with a prose word on both sides (counted when both are inside the stretch).
  const between = tk.between;
  between[0] = 0;
  if (count > 1) between[count - 1] = 0;
  for (let i = 1; i + 1 < count; i++) between[i] = shape[i] === PUNCT_ONLY && shape[i - 1] === PROSE && shape[i + 1] === PROSE ? 1 : 0;
  const perClass = PER_CLASS.fill(0);
  let sum = 0;
  let pos = 0;
  let punctOnly = 0;
  let glued = 0;
  let prose = 0;
  let btw = 0;
  let latin = 0;
  let longs = 0;
  let open = 0;
  let close = 0;
  let rep = 0;
  let bits = 0;
  const n = size;
  // k / n for the counts k = 0..n of tokens in a stretch, divided once per call instead of per stretch: the same doubles.
  const share = SHARE.length > n ? SHARE : new Float64Array(n + 1);
  for (let k = 0; k <= n; k++) share[k] = k / n;
  for (let b = 0; b < count; b++) {
    // Token b comes in.
    const s = shape[b]!;
    sum += surprisal[b]!;
    pos += positions[b]!;
    if (s === PUNCT_ONLY) punctOnly++;
    else if (s === GLUED) glued++;
    else if (s === PROSE) prose++;
    latin += nonLatin[b]!;
    longs += long[b]!;
    open += opens[b]!;
    close += closes[b]!;
    rep += repeated[b]!;
    if (withWords) {
      pc += pieces[b]!;
      oc += oov[b]!;
      qc += pairs[b]!;
      uc += unseen[b]!;
    }
    for (let x = punct[b]!; x !== 0; x &= x - 1) {
      const k = 31 - Math.clz32(x & -x);
      if (perClass[k]!++ === 0) bits |= 1 << k;
    }
    const a = b + 1 - size;
    if (a < 0) continue;
    // The stretch is [a, b]; `between` counts tokens a+1 .. b-1.
    if (size >= 3) {
      if (a === 0) for (let i = 1; i < b; i++) btw += between[i]!;
      else btw += between[b - 1]!;
    }
    const mean = pos === 0 ? 0 : sum / pos / SOUP_SCALE / 8; // bits per position / 8
    const f1 = share[punctOnly]!;
    const f2 = share[glued]!;
    const f3 = share[prose]!;
    const f4 = share[btw]!;
    const f5 = VARIETY[popcount(bits)]!;
    const imbalance = wholeBrackets ? open : Math.abs(open - close);
    const f6 = imbalance < 4 ? IMBALANCE[imbalance]! : 1;
    const f7 = share[latin]!;
    const f8 = share[longs]!;
    const f9 = (mean * (punctOnly + glued)) / n;
    const f10 = (mean * prose) / n;
    const f11 = share[rep]!;
    if (head) {
      // headLogit()'s sum, written out: the same products added in the same order.
      let z = bias;
      z += w0 * mean;
      z += w1 * f1;
      z += w2 * f2;
      z += w3 * f3;
      z += w4 * f4;
      z += w5 * f5;
      z += w6 * f6;
      z += w7 * f7;
      z += w8 * f8;
      z += w9 * f9;
      z += w10 * f10;
      z += w11 * f11;
      if (withWords) {
        const f13 = qc === 0 ? 0 : uc / qc;
        const restPairs = totalPairs - qc;
        z += w12 * (pc === 0 ? 0 : oc / pc);
        z += w13 * f13;
        z += w14 * (restPairs < MIN_REST_PAIRS ? 0 : f13 - (totalUnseen - uc) / restPairs);
      }
      if (z > best) best = z;
    } else {
      out[0] = mean;
      out[1] = f1;
      out[2] = f2;
      out[3] = f3;
      out[4] = f4;
      out[5] = f5;
      out[6] = f6;
      out[7] = f7;
      out[8] = f8;
      out[9] = f9;
      out[10] = f10;
      out[11] = f11;
      if (withWords) {
        const f13 = qc === 0 ? 0 : uc / qc;
        const restPairs = totalPairs - qc;
        out[12] = pc === 0 ? 0 : oc / pc;
        out[13] = f13;
        out[14] = restPairs < MIN_REST_PAIRS ? 0 : f13 - (totalUnseen - uc) / restPairs;
      }
      visit!(out);
    }
    // Token a goes out.
    const t = shape[a]!;
    sum -= surprisal[a]!;
    pos -= positions[a]!;
    if (t === PUNCT_ONLY) punctOnly--;
    else if (t === GLUED) glued--;
    else if (t === PROSE) prose--;
    latin -= nonLatin[a]!;
    longs -= long[a]!;
    open -= opens[a]!;
    close -= closes[a]!;
    rep -= repeated[a]!;
    if (withWords) {
      pc -= pieces[a]!;
      oc -= oov[a]!;
      qc -= pairs[a]!;
      uc -= unseen[a]!;
    }
    for (let x = punct[a]!; x !== 0; x &= x - 1) {
      const k = 31 - Math.clz32(x & -x);
      if (--perClass[k]! === 0) bits &= ~(1 << k);
    }
    if (size >= 3) btw -= between[a + 1]!;
  }
  return best;
}

/** Every stretch's statistics (STRETCH tokens, step one token; one stretch of all tokens for a shorter text). */
export function soupStretches(normalized: string, lm: SoupLm): Float64Array[] {
  const tk = tokens(normalized, lm);
  if (tk.count < MIN_TOKENS) {
    releaseScratch();
    return [];
  }
  const out: Float64Array[] = [];
  const withWords = lm.words !== undefined;
  forEachStretch(tk, Math.min(STRETCH, tk.count), new Float64Array(featureCount(lm)), (f) => out.push(f.slice()), withWords);
  releaseScratch();
  return out;
}

export const headLogit = (head: Pick<SoupHead, "weights" | "bias">, f: Float64Array): number => {
  let z = head.bias;
  for (let j = 0; j < head.weights.length; j++) z += head.weights[j]! * f[j]!;
  return z;
};

/** Statistics per stretch of a head with this language model (and vocabulary, if any). */
export const featureCount = (lm: SoupLm): number => SOUP_FEATURES + (lm.words ? WORD_FEATURES : 0);

const STRETCH_OUT = new Float64Array(SOUP_FEATURES + WORD_FEATURES);

/** The head's highest logit over the stretches of a normalized text (-Infinity without a stretch). */
export function soupLogit(normalized: string, head: SoupHead): number {
  const tk = tokens(normalized, head.lm);
  if (tk.count < MIN_TOKENS) {
    releaseScratch();
    return -Infinity;
  }
  const best = bestLogit(tk, Math.min(STRETCH, tk.count), STRETCH_OUT, head);
  releaseScratch();
  return best;
}

/** The suffix head's score of a normalized text, 0..1 (0.9 at the calibrated threshold). */
export function soupScore(normalized: string, head: SoupHead): number {
  const z = soupLogit(normalized, head);
  return z === -Infinity ? 0 : 1 / (1 + Math.exp(-z));
}

/** FNV-1a over the head's tables and weights, as 8 hex digits: part of the featurizer version the signed manifest names. */
export function soupHeadId(head: SoupHead): string {
  let h = 0x811c9dc5;
  for (const table of head.lm.words ? [head.lm.trigram, head.lm.context, head.lm.words] : [head.lm.trigram, head.lm.context]) for (let i = 0; i < table.length; i++) h = Math.imul(h ^ table[i]!, 0x01000193);
  // The round-3 and round-12 heads keep their ids; round 13's bracket statistic is part of its id.
  const params = `${Array.from(head.weights).join(",")};${head.bias}${head.lm.wholeTextBrackets ? ";brackets=text" : ""}`;
  for (let i = 0; i < params.length; i++) h = Math.imul(h ^ params.charCodeAt(i), 0x01000193);
  return (h >>> 0).toString(16).padStart(8, "0");
}
