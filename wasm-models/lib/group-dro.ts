/**
 * Online group DRO (Sagawa et al. 2020, "Distributionally Robust Neural Networks for Group
 * Shifts", Algorithm 1) for the hashed logistic model: minimise the loss of the worst training
 * source rather than the average, by exponentiated-gradient weights q over sources. Round 11 of
 * issue 10 (notes/round11-rules.md fixes every constant here before any result).
 *
 * Each window keeps its shipped weight (every source equal inside its class) times G·q_g, so
 * uniform q is the shipped fit. q moves once per block of windows, every source at once, on a
 * smoothed estimate of its loss: a source visited often (gsm8k, 1,500 texts) is not raised merely
 * for being in more blocks, as it would be with per-visit updates.
 */
import type { LogReg } from "./logreg";
import { sigmoid } from "./logreg";
import { meanOneScale, sparseLogit, sparseStep } from "./adagrad";
import { rng, shuffle } from "./rng";
import type { GroupedExamples, ObjectiveOptions } from "./objectives";

/** Fixed a priori (notes/round11-rules.md): Sagawa et al.'s robust step size, per block. */
export const DRO_STEP = 0.01;
export const DRO_BLOCK = 256;
/** Weight of a block's loss in a source's running loss estimate. */
export const DRO_SMOOTHING = 0.1;

export function fitGroupDro({ examples: data, group, names }: GroupedExamples, options: ObjectiveOptions): LogReg {
  const rate = 0.2; // lib/adagrad.ts's base step
  const G = names.length;
  const weights = new Float64Array(options.dim);
  const g2 = new Float64Array(options.dim).fill(1e-8);
  let bias = 0;
  let biasG2 = 1e-8;
  const scale = meanOneScale(data);
  const q = new Float64Array(G).fill(1 / G);
  const estimate = new Float64Array(G).fill(Math.LN2);
  const blockLoss = new Float64Array(G);
  const blockWeight = new Float64Array(G);
  let inBlock = 0;
  const update = () => {
    for (let g = 0; g < G; g++) {
      if (blockWeight[g]! > 0) estimate[g] = (1 - DRO_SMOOTHING) * estimate[g]! + DRO_SMOOTHING * (blockLoss[g]! / blockWeight[g]!);
      blockLoss[g] = 0;
      blockWeight[g] = 0;
    }
    let sum = 0;
    for (let g = 0; g < G; g++) sum += q[g] = q[g]! * Math.exp(DRO_STEP * estimate[g]!);
    for (let g = 0; g < G; g++) q[g]! /= sum;
  };
  // The same seeded visiting order as lib/adagrad.ts.
  const order = Array.from({ length: data.length }, (_, i) => i);
  const random = rng(options.seed);
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    shuffle(order, random);
    let loss = 0;
    for (const i of order) {
      const { x, y, weight } = data[i]!;
      const gi = group[i]!;
      const p = sigmoid(sparseLogit(weights, bias, x));
      const w = weight * scale;
      const ce = y === 1 ? -Math.log(Math.max(p, 1e-300)) : -Math.log(Math.max(1 - p, 1e-300));
      loss += w * ce;
      blockLoss[gi]! += w * ce;
      blockWeight[gi]! += w;
      const g = w * G * q[gi]! * (p - y);
      sparseStep(weights, g2, x, g, options.l2, rate);
      biasG2 += g * g;
      bias -= (rate * g) / Math.sqrt(biasG2);
      if (++inBlock === DRO_BLOCK) {
        update();
        inBlock = 0;
      }
    }
    options.log?.(`epoch ${epoch} loss ${(loss / data.length).toFixed(6)}`);
  }
  const ranked = [...q].map((v, g) => ({ v, g })).sort((a, b) => b.v - a.v);
  const show = (r: { v: number; g: number }) => `${names[r.g]} ${(G * r.v).toFixed(2)}`;
  options.log?.(`group DRO: G·q highest ${ranked.slice(0, 5).map(show).join(", ")}; lowest ${ranked.slice(-3).map(show).join(", ")}`);
  return { weights, bias };
}
