/**
 * The screening featurizer's definition, written plainly, for the tests that hold the fast
 * featurizer (worker/screen/featurize.ts) to it bit for bit: one window's vector as a Map of
 * counts in first-touch order, Math.sqrt per entry, the norm summed afresh.
 */
import { fmix32 } from "../../worker/hash";

const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;
const fnv = (seed: number, s: string) => {
  let h = FNV_OFFSET ^ seed;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), FNV_PRIME);
  return h;
};

/** The vector of the window [a, b) of normalized text `t` (character 5-grams, words and word pairs with weight 3; a pair's first word may lie before the window). */
export function referenceWindow(t: string, a: number, b: number): { indices: number[]; values: number[] } {
  const words = [...t.matchAll(/[\p{L}\p{N}]+/gu)].map((m) => ({ start: m.index, end: m.index + m[0].length, h: fnv(0x9e3779b9, m[0]) }));
  const sums = new Map<number, number>();
  const add = (hash: number, weight: number) => sums.set(hash & 0xffff, (sums.get(hash & 0xffff) ?? 0) + (hash < 0 ? -weight : weight));
  for (let p = a; p + 5 <= b; p++) add(fmix32(fnv(0x3c6ef372, t.slice(p, p + 5)) ^ 5), 1);
  const inside = words.filter((w) => w.start >= a && w.end <= b);
  inside.forEach((w, k) => {
    add(fmix32(w.h ^ 0x510e527f), 3);
    const prev = words[words.indexOf(w) - 1]?.h ?? 0;
    if (k > 0) add(fmix32(Math.imul(prev, 0x2c1b3c6d) ^ w.h ^ 0x1f83d9ab), 3);
  });
  const kept = [...sums].filter(([, c]) => c !== 0);
  const norm = Math.sqrt(kept.reduce((s, [, c]) => s + Math.abs(c), 0));
  return { indices: kept.map(([i]) => i), values: kept.map(([, c]) => Math.fround((c < 0 ? -Math.sqrt(-c) : Math.sqrt(c)) / norm)) };
}

/** A seeded linear congruential generator in [0, 1). */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}
