/**
 * Seeded randomness for the demo models. Everything the demo origin learns or samples is
 * reproducible from a seed, so the committed weights can be rebuilt bit for bit and a request
 * with `seed` gets the same answer every time.
 */

/** 32-bit FNV-1a of a string: cheap, stable feature hashing and string → seed. */
export function fnv1a(text) {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: a small, well-mixed 32-bit generator; returns uniform floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return function next() {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator with the helpers the trainers need. */
export function createRng(seed) {
  const uniform = mulberry32(typeof seed === "string" ? fnv1a(seed) : seed);
  let spare = null;
  return {
    uniform,
    /** Integer in [lo, hi]. */
    int(lo, hi) {
      return lo + Math.floor(uniform() * (hi - lo + 1));
    },
    /** Standard normal (Box–Muller, the second value kept for the next call). */
    gaussian() {
      if (spare !== null) {
        const s = spare;
        spare = null;
        return s;
      }
      let u = 0;
      while (u === 0) u = uniform();
      const v = uniform();
      const r = Math.sqrt(-2 * Math.log(u));
      spare = r * Math.sin(2 * Math.PI * v);
      return r * Math.cos(2 * Math.PI * v);
    },
    /** In-place Fisher–Yates shuffle. */
    shuffle(items) {
      for (let i = items.length - 1; i > 0; i--) {
        const j = Math.floor(uniform() * (i + 1));
        [items[i], items[j]] = [items[j], items[i]];
      }
      return items;
    },
  };
}
