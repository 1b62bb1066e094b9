/**
 * Seeded random texts for the suffix head's reference tests: `count` texts of a token count taken
 * in turn from `sizes`, every third of ASCII soup, the rest glued from `pieces` (words,
 * punctuation, scripts, surrogates), tokens joined by a space or, one time in five, "  \n".
 */
import { rng } from "./featurizer-reference";

export function soupTexts(seed: number, count: number, sizes: readonly number[], pieces: readonly string[]): string[] {
  const r = rng(seed);
  const out: string[] = [];
  for (let n = 0; n < count; n++) {
    const tokens = sizes[n % sizes.length]!;
    const parts: string[] = [];
    for (let j = 0; j < tokens; j++) {
      let tok = "";
      const glued = 1 + Math.floor(r() * 3);
      for (let p = 0; p < glued; p++) tok += n % 3 === 0 ? String.fromCharCode(33 + Math.floor(r() * 94)) : pieces[Math.floor(r() * pieces.length)];
      parts.push(tok);
    }
    out.push(parts.join(r() < 0.2 ? "  \n" : " "));
  }
  return out;
}
