/**
 * Random numbers for output protection. `Rng` is injected everywhere so that tests can fix a seed
 * and production uses the crypto RNG: noise that a client could predict would be removable.
 *
 * `seededRng` is sfc32 (Chris Doty-Humphrey's small fast counter generator): not cryptographic, used
 * for tests and to expand a secret HMAC output into many numbers (the watermark direction), where
 * the secrecy comes from the seed, not from the generator.
 */

/** Uniform in the open interval (0, 1): never 0 or 1, so log() and Box–Muller are safe. */
export type Rng = () => number;

const TWO_32 = 4294967296;

export function seededRng(seed: number | Uint8Array): Rng {
  let a: number, b: number, c: number, d: number;
  if (typeof seed === "number") {
    a = 0x9e3779b9;
    b = 0x243f6a88;
    c = 0xb7e15162;
    d = seed >>> 0;
  } else {
    if (seed.length < 16) throw new RangeError("seededRng needs at least 16 seed bytes");
    const view = new DataView(seed.buffer, seed.byteOffset, seed.byteLength);
    a = view.getUint32(0, true);
    b = view.getUint32(4, true);
    c = view.getUint32(8, true);
    d = view.getUint32(12, true);
  }
  const next = (): number => {
    const t = (((a + b) | 0) + d) | 0;
    d = (d + 1) | 0;
    a = b ^ (b >>> 9);
    b = (c + (c << 3)) | 0;
    c = (c << 21) | (c >>> 11);
    c = (c + t) | 0;
    return t >>> 0;
  };
  // Discard the first outputs: sfc32 mixes weak seeds (small integers) only after a few rounds.
  for (let i = 0; i < 15; i++) next();
  return () => (next() + 0.5) / TWO_32;
}

/** Crypto-strength uniform numbers, drawn 256 at a time to keep getRandomValues calls rare. */
export function cryptoRng(): Rng {
  // Allocated on the first draw: many generators are made per answer (one per row) and never drawn from.
  let buffer: Uint32Array | null = null;
  let index = 256;
  return () => {
    if (index === 256) {
      buffer ??= new Uint32Array(256);
      crypto.getRandomValues(buffer);
      index = 0;
    }
    return ((buffer![index++] as number) + 0.5) / TWO_32;
  };
}

/** Standard normal (Box–Muller; one of the pair is dropped to keep the generator stateless). */
export function gaussian(rng: Rng): number {
  return Math.sqrt(-2 * Math.log(rng())) * Math.cos(2 * Math.PI * rng());
}

/** Laplace(0, scale) by inverse CDF. */
export function laplace(rng: Rng, scale: number): number {
  const u = rng() - 0.5;
  return -scale * Math.sign(u) * Math.log(1 - 2 * Math.abs(u));
}
