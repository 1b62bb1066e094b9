/**
 * Builds, fits and calibrates the suffix head (worker/screen/soup.ts) without any attack text:
 * its language model counts harmless texts, and its logistic head is fitted on stretches of
 * harmless texts against random soup made here from the same harmless texts' words and ASCII
 * punctuation (neither GCG's suffixes nor our own token soup are used: both stay blind tests).
 *
 * Reported out of source: every harmless text's score comes from a head (language model and
 * fit) made without its source's family; attacks are scored by the head of all harmless texts.
 * The shipped threshold is the lowest at which every harmless source of MIN_CALIBRATION_TEXTS+
 * flags at most SOUP_BUDGET; the nested figure for a source S applies the threshold chosen
 * without S to S. Rules fixed in wasm-models/notes/round3-rules.md.
 */
import { writeFileSync } from "node:fs";
import { normalize } from "../../worker/screen/normalize";
import { CLASSES, CONTEXTS, featureCount, headLogit, soupHeadId, MIN_TOKENS, SOUP_SCALE, SOUP_V, soupClasses, soupLogit, soupStretches, STRETCH, TRIGRAMS, type SoupHead, type SoupLm } from "../../worker/screen/soup";
import { buildWords } from "../../worker/screen/soup-words";
import { hashString } from "./rng";
import type { Sample } from "./data";
import { DEFAULT_BUDGET, familyOf, MIN_CALIBRATION_TEXTS } from "./loso";
import { pick, rng } from "./rng";
import { MATH_SOURCE } from "./soup-math";
import { isWrapped, originOf } from "./soup-wrapped";
import { trainingVocabularies, vocabularySoup } from "./soup-vocab";

/**
 * Which head is built: round 3's (shipped until round 21), round 12's (a vocabulary, notes/round12-rules.md) or
 * round 13's (round 12's plus brackets balanced over the whole text and the gen_wrapped
 * hard-negative family, notes/round13-rules.md) or round 14's (round 13's plus the gen_math
 * hard-negative family of lib/soup-math.ts, notes/round14-rules.md; shipped since round 21).
 */
export interface SoupDesign {
  words: boolean;
  wholeBrackets: boolean;
  /** Whether the caller added lib/soup-wrapped.ts's family (it is fitted and calibrated like any harmless source). */
  wrapped: boolean;
  /** Whether the caller added lib/soup-math.ts's family too (round 14). */
  math?: boolean;
  /** Round 33: half the positives are uniform draws from two tokenizers' vocabularies (lib/soup-vocab.ts). */
  vocabSoup?: boolean;
  /** Suffix of the saved run's name (.tmp/soup-run<name>.json). */
  name: string;
}

export const ROUND3: SoupDesign = { words: false, wholeBrackets: false, wrapped: false, name: "" };
/** Shipped since issue 10 round 21 (notes/round21-rules.md); round 3's head still calibrates the classifier (train.ts). */
export const ROUND14: SoupDesign = { words: true, wholeBrackets: true, wrapped: true, math: true, name: "-r14" };

/** Issue 10 round 33 (notes/round33-rules.md): round 14's head fitted against vocabulary soup too. */
export const ROUND33: SoupDesign = { ...ROUND14, vocabSoup: true, name: "-r33" };

/** --soup-round33: round 33's candidate; --soup-round3: round 3 (shipped until round 21); --soup-words: round 12; --soup-round13: round 13 (with --only-brackets or --only-wrapped: one of its two changes, exploratory ablations after the decision); else (or --soup-round14) round 14, the shipped head. */
export function soupDesignFrom(argv: string[]): SoupDesign {
  if (argv.includes("--soup-round33")) return ROUND33;
  if (argv.includes("--soup-round3")) return ROUND3;
  if (argv.includes("--soup-round13") && argv.includes("--only-brackets")) return { words: true, wholeBrackets: true, wrapped: false, name: "-r13-brackets" };
  if (argv.includes("--soup-round13") && argv.includes("--only-wrapped")) return { words: true, wholeBrackets: false, wrapped: true, name: "-r13-wrapped" };
  if (argv.includes("--soup-round13")) return { words: true, wholeBrackets: true, wrapped: true, name: "-r13" };
  if (argv.includes("--soup-words")) return { words: true, wholeBrackets: false, wrapped: false, name: "-words" };
  return ROUND14;
}

/** The family a sample's text comes from: a gen_wrapped text is held out with the source it was made from, too. */
const originFamily = (s: Sample): string => familyOf(originOf(s));

/**
 * Share of a harmless source the suffix head alone may flag: what the classifier's default
 * budget (DEFAULT_BUDGET, 0.75%) leaves of 1%, since the two heads' flags add up.
 */
export const SOUP_BUDGET = 0.01 - DEFAULT_BUDGET;
const SYNTHETIC = 3000;
const MAX_STRETCHES_PER_TEXT = 30;
const L2 = 1e-3;
/** Logit scale of the shipped head relative to the fitted one (see trainSoup). */
const STEEPNESS = 4;
const ASCII_PUNCT = "!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~";

/** Exact trigram and context counts of the normalized texts; log counts rounded once, in float64 (training only). */
export function buildSoupLm(texts: Iterable<string>): SoupLm {
  const tri = new Float64Array(TRIGRAMS);
  const ctx = new Float64Array(CONTEXTS);
  for (const text of texts) {
    const k = soupClasses(normalize(text));
    for (let p = 2; p < k.length; p++) {
      const c = k[p - 2]! * CLASSES + k[p - 1]!;
      ctx[c]!++;
      tri[c * CLASSES + k[p]!]!++;
    }
  }
  const q = (x: number) => Math.min(255, Math.round(SOUP_SCALE * Math.log2(x)));
  return { trigram: Uint8Array.from(tri, (c) => q(c + 1)), context: Uint8Array.from(ctx, (c) => q(c + SOUP_V)) };
}

/** Random soup from harmless words and ASCII punctuation: words, glued words, punctuation runs, numbers. */
function randomSoup(words: string[], random: () => number): string {
  const n = 8 + Math.floor(random() * 20);
  const punct = () => Array.from({ length: 1 + Math.floor(random() * 3) }, () => ASCII_PUNCT[Math.floor(random() * ASCII_PUNCT.length)]).join("");
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const r = random();
    const w = pick(words, random);
    if (r < 0.3) out.push(w);
    else if (r < 0.42) out.push(w + pick(words, random));
    else if (r < 0.6) out.push(random() < 0.5 ? w + punct() : punct() + w);
    else if (r < 0.8) out.push(punct());
    else if (r < 0.85) out.push(String(Math.floor(random() * 1000)));
    else if (r < 0.92) out.push(w.toUpperCase());
    else {
      const cut = 1 + Math.floor(random() * Math.max(1, w.length - 1));
      out.push(w.slice(0, cut) + punct() + w.slice(cut));
    }
  }
  return out.join(" ");
}

interface Example {
  f: Float64Array;
  y: 0 | 1;
  w: number;
}

/**
 * Round 12 cross-fitting (notes/round12-rules.md): a text's own bigrams are in a vocabulary built
 * from it, so the fit's examples read the vocabulary built from the other half of the families.
 */
/** Normalized text per harmless sample, kept for the training run (the loop reads each text ~100 times). */
const normalizedOf = new WeakMap<Sample, string>();
const norm = (s: Sample): string => {
  let t = normalizedOf.get(s);
  if (t === undefined) normalizedOf.set(s, (t = normalize(s.text)));
  return t;
};

const half = (s: Sample): 0 | 1 => (hashString(originFamily(s)) & 1 ? 1 : 0);

/** The language model an example from `s` is read with: the fit's own, or (with words) the other half's vocabulary. */
type LmFor = (s: Sample) => SoupLm;

/** Stretches of harmless texts (evenly subsampled, each source weighing the same) against stretches of request + random soup. */
function examples(harmless: Sample[], lmFor: LmFor, seed: number, vocabSoup = false): Example[] {
  const random = rng(seed ^ 0x6a09e667);
  const out: Example[] = [];
  const perSource = new Map<string, number>();
  for (const s of harmless) perSource.set(s.source, (perSource.get(s.source) ?? 0) + 1);
  let negWeight = 0;
  for (const s of harmless) {
    const st = soupStretches(norm(s), lmFor(s));
    if (st.length === 0) continue;
    const step = Math.max(1, Math.ceil(st.length / MAX_STRETCHES_PER_TEXT));
    const kept = st.filter((_, i) => i % step === 0);
    const w = 1 / perSource.get(s.source)! / kept.length;
    for (const f of kept) out.push({ f, y: 0, w });
    negWeight += w * kept.length;
  }
  // Latin-script words: optimised suffixes are made of a (mostly Latin) tokenizer's pieces, and
  // non-Latin soup would teach the head that other scripts are soup-like.
  // Words and hosts from real harmless text only (the generated gen_wrapped and gen_math texts would change the positives).
  const real = harmless.filter((s) => !isWrapped(s) && s.source !== MATH_SOURCE);
  const words = [...new Set(real.flatMap((s) => norm(s).match(/\b[a-z]{2,12}\b/g) ?? []))].sort();
  const hosts = real.filter((s) => s.text.length >= 20 && s.text.length <= 300);
  const suffixedStretches = (soupOf: () => string): Float64Array[] => {
    const pos: Float64Array[] = [];
    for (let i = 0; i < SYNTHETIC; i++) {
      const host = pick(hosts, random);
      const request = norm(host);
      const text = normalize(`${request} ${soupOf()}`);
      const st = soupStretches(text, lmFor(host));
      const tokens = text.split(" ").length;
      const requestTokens = request.split(" ").length;
      const size = Math.min(STRETCH, tokens);
      // Stretches holding at least MIN_TOKENS soup tokens (or all of a shorter soup).
      st.forEach((f, a) => {
        const inSoup = a + size - Math.max(a, requestTokens);
        if (inSoup >= Math.min(MIN_TOKENS, tokens - requestTokens)) pos.push(f);
      });
    }
    return pos;
  };
  // One family of positives weighs what all negatives weigh; with vocabulary soup, each family half.
  const families = [suffixedStretches(() => randomSoup(words, random))];
  if (vocabSoup) {
    let k = 0;
    families.push(suffixedStretches(() => vocabularySoup(trainingVocabularies()[k++ % 2]!, random)));
  }
  for (const pos of families) for (const f of pos) out.push({ f, y: 1, w: negWeight / families.length / pos.length });
  return out;
}

/** Weighted logistic regression by Newton's method (12 parameters: exact and deterministic). */
function fitLogistic(data: Example[], features: number): { weights: Float64Array; bias: number } {
  const d = features + 1;
  const beta = new Float64Array(d);
  const x = (e: Example, j: number) => (j === features ? 1 : e.f[j]!);
  const total = data.reduce((s, e) => s + e.w, 0);
  for (let iter = 0; iter < 15; iter++) {
    const g = new Float64Array(d);
    const h = Array.from({ length: d }, () => new Float64Array(d));
    for (const e of data) {
      let z = 0;
      for (let j = 0; j < d; j++) z += beta[j]! * x(e, j);
      const p = 1 / (1 + Math.exp(-z));
      const w = e.w / total;
      for (let j = 0; j < d; j++) {
        g[j]! += w * (p - e.y) * x(e, j);
        for (let k = 0; k < d; k++) h[j]![k]! += w * p * (1 - p) * x(e, j) * x(e, k);
      }
    }
    for (let j = 0; j < features; j++) {
      g[j]! += L2 * beta[j]!;
      h[j]![j]! += L2;
    }
    const step = solve(h, g);
    let moved = 0;
    for (let j = 0; j < d; j++) {
      beta[j]! -= step[j]!;
      moved = Math.max(moved, Math.abs(step[j]!));
    }
    if (moved < 1e-6) break;
  }
  return { weights: beta.slice(0, features), bias: beta[features]! };
}

/** Gaussian elimination with partial pivoting. */
function solve(a: Float64Array[], b: Float64Array): Float64Array {
  const n = b.length;
  const m = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < n; c++) {
    let p = c;
    for (let r = c + 1; r < n; r++) if (Math.abs(m[r]![c]!) > Math.abs(m[p]![c]!)) p = r;
    [m[c], m[p]] = [m[p]!, m[c]!];
    for (let r = c + 1; r < n; r++) {
      const f = m[r]![c]! / m[c]![c]!;
      for (let k = c; k <= n; k++) m[r]![k]! -= f * m[c]![k]!;
    }
  }
  const out = new Float64Array(n);
  for (let r = n - 1; r >= 0; r--) {
    let s = m[r]![n]!;
    for (let k = r + 1; k < n; k++) s -= m[r]![k]! * out[k]!;
    out[r] = s / m[r]![r]!;
  }
  return out;
}

/** The head of some harmless texts; with `words`, the round-12 head (vocabulary, cross-fitted); with `wholeBrackets`, round 13's bracket statistic. */
export function fitHead(harmless: Sample[], seed: number, design: SoupDesign = ROUND3): SoupHead {
  const lm: SoupLm = buildSoupLm(harmless.map((s) => s.text));
  if (design.wholeBrackets) lm.wholeTextBrackets = true;
  if (!design.words) return { lm, ...fitLogistic(examples(harmless, () => lm, seed, design.vocabSoup), featureCount(lm)) };
  const vocab = (h: 0 | 1) => buildWords(harmless.filter((s) => half(s) === h).map(norm));
  const other = [{ ...lm, words: vocab(1) }, { ...lm, words: vocab(0) }];
  const full = { ...lm, words: buildWords(harmless.map(norm)) };
  return { lm: full, ...fitLogistic(examples(harmless, (s) => other[half(s)]!, seed, design.vocabSoup), featureCount(full)) };
}

/** Strictest threshold t (flag: logit > t) that flags at most `rate` of `logits`. */
function thresholdAt(logits: number[], rate: number): number {
  const sorted = [...logits].sort((a, b) => b - a);
  return sorted[Math.floor(rate * sorted.length)] ?? -Infinity;
}

/** The calibration rule: every harmless source of MIN_CALIBRATION_TEXTS+ at or below the budget. */
export function calibrate(bySource: Map<string, number[]>, skipFamily?: string, budget = SOUP_BUDGET): number {
  let t = -Infinity;
  for (const [source, logits] of bySource) {
    if (familyOf(source) === skipFamily || logits.length < MIN_CALIBRATION_TEXTS) continue;
    t = Math.max(t, thresholdAt(logits, budget));
  }
  return t;
}

/**
 * The calibration's logits per source without the texts made from `family` (gen_wrapped texts
 * carry their origin): a source's nested threshold must not see its own text in another dress.
 */
export function withoutOrigin(bySource: Map<string, number[]>, samples: Array<Pick<Sample, "source">>, logits: number[], origins: string[], family: string): Map<string, number[]> {
  const out = new Map(bySource);
  for (const source of bySource.keys()) {
    const idx = samples.map((s, i) => (s.source === source ? i : -1)).filter((i) => i >= 0);
    if (idx.some((i) => origins[i] !== familyOf(source))) out.set(source, idx.filter((i) => origins[i] !== family).map((i) => logits[i]!));
  }
  return out;
}

export interface SoupRun {
  /** Per sample (same order): the out-of-source logit (-Infinity: no stretch). */
  logits: number[];
  /** The shipped head, its bias shifted so that the calibrated threshold scores 0.9. */
  head: SoupHead;
  threshold: number;
  rows: Array<{ source: string; label: 0 | 1; n: number; flagged: number; nested_threshold: number; nested_flagged: number }>;
  /** Per harmless family: the head made without it (its threshold is not shifted). */
  heldOut: Map<string, SoupHead>;
}

export function trainSoup(samples: Sample[], seed: number, log: (line: string) => void, design: SoupDesign = ROUND3): SoupRun {
  const harmless = samples.filter((s) => s.label === 0 && s.trainable !== false);
  const normalized = samples.map((s) => normalize(s.text));
  const logits = new Array<number>(samples.length).fill(-Infinity);
  const families = [...new Set(harmless.map((s) => familyOf(s.source)))].sort();
  const heldOut = new Map<string, SoupHead>();
  for (const family of families) {
    const head = fitHead(harmless.filter((s) => familyOf(s.source) !== family && originFamily(s) !== family), seed, design);
    heldOut.set(family, head);
    samples.forEach((s, i) => {
      if (s.label === 0 && familyOf(s.source) === family) logits[i] = soupLogit(normalized[i]!, head);
    });
    log(`suffix head: held out ${family}`);
  }
  const full = fitHead(harmless, seed, design);
  log(`suffix head weights ${Array.from(full.weights, (w) => w.toFixed(2)).join(" ")} bias ${full.bias.toFixed(2)}`);
  samples.forEach((s, i) => {
    if (s.label === 1) logits[i] = soupLogit(normalized[i]!, full);
  });
  const sources = [...new Set(samples.map((s) => s.source))].sort();
  const bySource = new Map(sources.map((src) => [src, logits.filter((_, i) => samples[i]!.source === src)]));
  const benignBySource = new Map([...bySource].filter(([src]) => samples.find((s) => s.source === src)!.label === 0));
  const t = calibrate(benignBySource);
  const origins = samples.map(originFamily);
  const rows = sources.map((source) => {
    const st = bySource.get(source)!;
    const label = samples.find((s) => s.source === source)!.label;
    const nested = label === 0 ? calibrate(withoutOrigin(benignBySource, samples, logits, origins, familyOf(source)), familyOf(source)) : t;
    const rate = (th: number) => st.filter((x) => x > th).length / st.length;
    return { source, label, n: st.length, flagged: rate(t), nested_threshold: nested, nested_flagged: rate(nested) };
  });
  log(`suffix head: threshold (logit) ${t.toFixed(3)}`);
  for (const r of rows) log(`  ${r.source.padEnd(32)} ${r.label} n=${r.n} flagged=${(100 * r.flagged).toFixed(1)}% nested(t=${r.nested_threshold.toFixed(3)})=${(100 * r.nested_flagged).toFixed(1)}%`);
  // Scaled so that the calibrated logit t scores 0.9 (the default) and the score rises steeply
  // around it: a tenant who lowers the threshold to 0.5 lowers the head's by 0.55 logits, not 2.2
  // (a ranking-preserving change; code and data score close below t).
  const weights = full.weights.map((w) => STEEPNESS * w);
  return { logits, head: { lm: full.lm, weights, bias: STEEPNESS * (full.bias - t) + Math.log(9) }, threshold: t, rows, heldOut };
}

export function writeSoupModule(file: string, head: SoupHead): void {
  const bytes = new Uint8Array(TRIGRAMS + CONTEXTS);
  bytes.set(head.lm.trigram, 0);
  bytes.set(head.lm.context, TRIGRAMS);
  writeFileSync(
    file,
    `/** Written by wasm-models/train.ts (wasm-models/lib/soup-train.ts): the suffix head, see soup.ts. Do not edit. */\n` +
      `export const SOUP_ID = "${soupHeadId(head)}";\nexport const SOUP_WEIGHTS = [${Array.from(head.weights).join(", ")}];\nexport const SOUP_BIAS = ${head.bias};\nexport const SOUP_BASE64 =\n  "${Buffer.from(bytes).toString("base64")}";\n` +
      `/** Round 12's vocabulary (soup-words.ts), empty for the round-3 head. */\nexport const SOUP_WORDS_BASE64: string =\n  "${head.lm.words ? Buffer.from(head.lm.words).toString("base64") : ""}";\n` +
      `/** Round 13: brackets balanced over the whole text (soup-brackets.ts), false for the round-3 and round-12 heads. */\nexport const SOUP_TEXT_BRACKETS = ${head.lm.wholeTextBrackets === true};\n`,
  );
}

export { headLogit };

/** A text's logit on the run's uncalibrated scale (comparable with `threshold`), by the shipped head: for texts the run did not score (round 22's calibration-only sources). */
export function runLogit(run: Pick<SoupRun, "head" | "threshold">, text: string): number {
  const z = soupLogit(normalize(text), run.head);
  return z === -Infinity ? z : run.threshold + (z - Math.log(9)) / STEEPNESS;
}
