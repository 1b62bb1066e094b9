/**
 * Synthetic query streams for the detector tests, from a seeded generator (no test data files):
 * - natural: 64-feature inputs in [0, 1] drawn around 10 class prototypes with per-feature noise,
 *   the spacing real inputs of a classifier have (each query a fresh sample);
 * - extraction: PRADA's target, Papernot's Jacobian augmentation — seed inputs, then rounds of
 *   children x ± λ·sign(g) with a pseudo-gradient sign per child, so every child is one small step
 *   from an earlier query.
 */
import { gaussian, seededRng, type Rng } from "../../../worker/protect/random";
import { projectDense } from "../../../worker/extraction/projection";

const WIDTH = 64;

function prototypes(rng: Rng): number[][] {
  return Array.from({ length: 10 }, () => Array.from({ length: WIDTH }, () => (rng() < 0.4 ? 0.1 + 0.8 * rng() : 0)));
}

export function naturalInputs(n: number, seed: number): number[][] {
  const rng = seededRng(seed);
  const protos = prototypes(seededRng(7));
  return Array.from({ length: n }, () => {
    const p = protos[Math.floor(rng() * protos.length)]!;
    return p.map((v) => Math.min(1, Math.max(0, v + 0.25 * gaussian(rng))));
  });
}

export function extractionInputs(n: number, seed: number, seeds = 100, lambda = 0.1): number[][] {
  const rng = seededRng(seed);
  const out = naturalInputs(Math.min(seeds, n), seed + 1000);
  while (out.length < n) {
    const parents = out.slice();
    for (const x of parents) {
      if (out.length >= n) break;
      out.push(x.map((v) => Math.min(1, Math.max(0, v + lambda * (rng() < 0.5 ? -1 : 1)))));
    }
  }
  return out;
}

export function project(rows: number[][]): number[][] {
  return rows.map((r) => projectDense(r));
}
