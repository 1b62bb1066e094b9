/** Seeded randomness for training and data generation: the same seed gives the same run. */

/** mulberry32: tiny, fast, good enough for shuffling and initialisation. Returns [0, 1). */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function shuffle<T>(items: T[], random: () => number): T[] {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
  return items;
}

export function pick<T>(items: readonly T[], random: () => number): T {
  return items[Math.floor(random() * items.length)]!;
}

/** A stable 32-bit hash of a string (FNV-1a), used to assign groups to splits. */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
  return h >>> 0;
}

/** Draws up to `count` distinct texts; gives up after `maxMisses` repeats when the template is small. */
export function distinct(count: number, draw: () => string, maxMisses = 50): string[] {
  const out = new Set<string>();
  for (let misses = 0; out.size < count && misses < maxMisses; ) {
    const text = draw();
    if (out.has(text)) misses++;
    else out.add(text);
  }
  return [...out];
}
