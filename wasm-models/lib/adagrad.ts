/**
 * The same weighted, L2-regularised logistic regression as logreg.ts, fitted by a few epochs of
 * Adagrad instead of full-batch L-BFGS: about ten times cheaper, which is what makes
 * leave-one-source-out (one fit per source) and model comparisons affordable on a shared
 * 2-core machine. Deterministic: the visiting order is a seeded shuffle, arithmetic is in a
 * fixed order, so the same data and seed give the same weights bit for bit.
 */
import type { Example, LogReg } from "./logreg";
import { sigmoid } from "./logreg";
import { rng, shuffle } from "./rng";

export interface AdagradOptions {
  dim: number;
  /** L2 strength, relative to the mean weighted loss (applied to the coordinates an example touches). */
  l2: number;
  epochs: number;
  /** Adagrad's base step. */
  rate?: number;
  seed: number;
  log?: (line: string) => void;
}

/**
 * One Adagrad step on the coordinates a sparse example touches, for the loss gradient `g` of its
 * logit (L2 on those coordinates only). Shared by the linear fit and lib/mlp.ts, so the linear
 * part of both is the same arithmetic in the same order.
 */
export function sparseStep(weights: Float64Array, g2: Float64Array, x: { indices: Int32Array; values: Float32Array }, g: number, l2: number, rate: number): void {
  for (let j = 0; j < x.indices.length; j++) {
    const k = x.indices[j]!;
    const gk = g * x.values[j]! + l2 * weights[k]!;
    g2[k]! += gk * gk;
    weights[k]! -= (rate * gk) / Math.sqrt(g2[k]!);
  }
}

/** The logit of a sparse example: the same sum in the same order in every fit (so variants stay comparable bit for bit). */
export function sparseLogit(weights: Float64Array, bias: number, x: { indices: Int32Array; values: Float32Array }): number {
  let z = bias;
  for (let j = 0; j < x.indices.length; j++) z += weights[x.indices[j]!]! * x.values[j]!;
  return z;
}

/** Example weights are rescaled to mean 1 by this factor, so the step size does not depend on the data size. */
export function meanOneScale(data: readonly { weight: number }[]): number {
  const total = data.reduce((s, e) => s + e.weight, 0);
  return data.length / total;
}

export function fitAdagrad(data: Example[], options: AdagradOptions): LogReg {
  const rate = options.rate ?? 0.2;
  const weights = new Float64Array(options.dim);
  const g2 = new Float64Array(options.dim).fill(1e-8);
  let bias = 0;
  let biasG2 = 1e-8;
  const scale = meanOneScale(data);
  const order = Array.from({ length: data.length }, (_, i) => i);
  const random = rng(options.seed);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    let loss = 0;
    for (const i of order) {
      const { x, y, weight } = data[i]!;
      const p = sigmoid(sparseLogit(weights, bias, x));
      const w = weight * scale;
      loss += w * (y === 1 ? -Math.log(Math.max(p, 1e-300)) : -Math.log(Math.max(1 - p, 1e-300)));
      const g = w * (p - y);
      sparseStep(weights, g2, x, g, options.l2, rate);
      biasG2 += g * g;
      bias -= (rate * g) / Math.sqrt(biasG2);
    }
    options.log?.(`epoch ${epoch} loss ${(loss / data.length).toFixed(6)}`);
  }
  return { weights, bias };
}
