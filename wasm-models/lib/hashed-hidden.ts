/**
 * Issue 10, round 11, exploratory (C) (notes/round11-rules.md, amendment): the shipped logistic
 * model plus a small hidden layer over the SAME hashed buckets, fastText-style: every bucket has
 * an embedding of HIDDEN floats, a window's embedding is the value-weighted sum over its non-zero
 * buckets, and HIDDEN ReLU units on it are added to the logit. The ReLU lets units combine
 * n-grams, which a linear model cannot. Training side only (LOSO); no ONNX export exists.
 *
 * Deterministic: the visiting order is lib/adagrad.ts's seeded shuffle; initial values come from
 * a second seeded stream so that order stays the shipped fit's.
 */
import type { SparseVector } from "../../worker/screen/featurize";
import type { Example, LogReg } from "./logreg";
import { sigmoid } from "./logreg";
import { meanOneScale, sparseStep } from "./adagrad";
import { rng, shuffle } from "./rng";

export interface HashedHidden extends LogReg {
  hidden: number;
  /** dim × hidden, row per bucket. */
  embedding: Float64Array;
  unitBias: Float64Array;
  out: Float64Array;
}

/** The units' pre-activations of a window into `a` (length hidden). */
function preActivations(m: HashedHidden, x: SparseVector, a: Float64Array): void {
  const H = m.hidden;
  for (let h = 0; h < H; h++) a[h] = m.unitBias[h]!;
  for (let j = 0; j < x.indices.length; j++) {
    const row = x.indices[j]! * H;
    const v = x.values[j]!;
    for (let h = 0; h < H; h++) a[h]! += m.embedding[row + h]! * v;
  }
}

export function hiddenLogit(m: HashedHidden, x: SparseVector): number {
  let z = m.bias;
  for (let j = 0; j < x.indices.length; j++) z += m.weights[x.indices[j]!]! * x.values[j]!;
  const a = new Float64Array(m.hidden);
  preActivations(m, x, a);
  for (let h = 0; h < m.hidden; h++) if (a[h]! > 0) z += m.out[h]! * a[h]!;
  return z;
}

export function fitHashedHidden(data: Example[], o: { dim: number; hidden: number; l2: number; epochs: number; seed: number; log?: (line: string) => void }): HashedHidden {
  const rate = 0.2; // lib/adagrad.ts's base step
  const H = o.hidden;
  const init = rng(o.seed + 2);
  const m: HashedHidden = {
    weights: new Float64Array(o.dim),
    bias: 0,
    hidden: H,
    embedding: Float64Array.from({ length: o.dim * H }, () => (init() - 0.5) * 0.2),
    unitBias: new Float64Array(H),
    out: Float64Array.from({ length: H }, () => (init() - 0.5) * 0.2),
  };
  const g2 = new Float64Array(o.dim).fill(1e-8);
  const gE = new Float64Array(o.dim * H).fill(1e-8);
  const gC = new Float64Array(H).fill(1e-8);
  const gV = new Float64Array(H).fill(1e-8);
  let biasG2 = 1e-8;
  const scale = meanOneScale(data);
  const order = Array.from({ length: data.length }, (_, i) => i);
  const random = rng(o.seed);
  const a = new Float64Array(H);
  const step = (theta: Float64Array, acc: Float64Array, k: number, g: number) => {
    const gk = g + o.l2 * theta[k]!;
    acc[k]! += gk * gk;
    theta[k]! -= (rate * gk) / Math.sqrt(acc[k]!);
  };
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffle(order, random);
    let loss = 0;
    let active = 0;
    for (const i of order) {
      const { x, y, weight } = data[i]!;
      let z = m.bias;
      for (let j = 0; j < x.indices.length; j++) z += m.weights[x.indices[j]!]! * x.values[j]!;
      preActivations(m, x, a);
      for (let h = 0; h < H; h++) if (a[h]! > 0) (z += m.out[h]! * a[h]!), active++;
      const p = sigmoid(z);
      const w = weight * scale;
      loss += w * (y === 1 ? -Math.log(Math.max(p, 1e-300)) : -Math.log(Math.max(1 - p, 1e-300)));
      const g = w * (p - y);
      // Backward through the units with the pre-update output weights, then update them.
      for (let h = 0; h < H; h++) {
        if (a[h]! <= 0) continue;
        const gh = g * m.out[h]!;
        for (let j = 0; j < x.indices.length; j++) step(m.embedding, gE, x.indices[j]! * H + h, gh * x.values[j]!);
        step(m.unitBias, gC, h, gh);
      }
      for (let h = 0; h < H; h++) step(m.out, gV, h, g * Math.max(a[h]!, 0));
      sparseStep(m.weights, g2, x, g, o.l2, rate);
      biasG2 += g * g;
      m.bias -= (rate * g) / Math.sqrt(biasG2);
    }
    o.log?.(`epoch ${epoch} loss ${(loss / data.length).toFixed(6)} active units ${(active / data.length).toFixed(2)} of ${H}`);
  }
  return m;
}
