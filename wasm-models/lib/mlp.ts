/**
 * Variant (c) of issue 10's fourth round (wasm-models/notes/round4-rules.md): the logistic model
 * over every feature plus a hidden layer of HIDDEN ReLU units over the dense part only (the
 * pooled word vectors at DIM…), fastText-style; the hidden layer's output is added to the logit.
 * Fitted jointly by Adagrad (same base step, epochs and seeded order as adagrad.ts). Training
 * side only: scored in JavaScript for leave-one-source-out; an ONNX graph is written only if the
 * variant wins.
 */
import type { SparseVector } from "../../worker/screen/featurize";
import type { Example, LogReg } from "./logreg";
import { sigmoid } from "./logreg";
import { meanOneScale, sparseLogit, sparseStep } from "./adagrad";
import { rng, shuffle } from "./rng";

export const HIDDEN = 16;

export interface Mlp extends LogReg {
  /** HIDDEN × dense input weights (row per unit), unit biases, output weights. */
  u: Float64Array;
  c: Float64Array;
  v: Float64Array;
  denseStart: number;
  dense: number;
}

function denseOf(x: SparseVector, start: number, n: number, out: Float64Array): boolean {
  out.fill(0);
  let any = false;
  for (let j = 0; j < x.indices.length; j++) {
    const k = x.indices[j]! - start;
    if (k >= 0 && k < n) {
      out[k] = x.values[j]!;
      any = true;
    }
  }
  return any;
}

const scratchD = new Float64Array(1024);
const scratchH = new Float64Array(HIDDEN);

export function mlpLogit(m: Mlp, x: SparseVector): number {
  let z = m.bias;
  for (let j = 0; j < x.indices.length; j++) z += m.weights[x.indices[j]!]! * x.values[j]!;
  const d = scratchD.subarray(0, m.dense);
  if (!denseOf(x, m.denseStart, m.dense, d)) return z;
  for (let h = 0; h < HIDDEN; h++) {
    let a = m.c[h]!;
    for (let k = 0; k < m.dense; k++) a += m.u[h * m.dense + k]! * d[k]!;
    if (a > 0) z += m.v[h]! * a;
  }
  return z;
}

export function fitMlp(data: Example[], o: { dim: number; denseStart: number; dense: number; l2: number; epochs: number; seed: number; rate?: number; log?: (l: string) => void }): Mlp {
  const rate = o.rate ?? 0.2;
  const random = rng(o.seed);
  const weights = new Float64Array(o.dim);
  const g2 = new Float64Array(o.dim).fill(1e-8);
  const n = o.dense;
  const u = Float64Array.from({ length: HIDDEN * n }, () => (random() - 0.5) * 0.2);
  const c = new Float64Array(HIDDEN);
  const v = Float64Array.from({ length: HIDDEN }, () => (random() - 0.5) * 0.2);
  const gu = new Float64Array(HIDDEN * n).fill(1e-8);
  const gc = new Float64Array(HIDDEN).fill(1e-8);
  const gv = new Float64Array(HIDDEN).fill(1e-8);
  let bias = 0;
  let biasG2 = 1e-8;
  const m: Mlp = { weights, bias, u, c, v, denseStart: o.denseStart, dense: n };
  const scale = meanOneScale(data);
  const order = Array.from({ length: data.length }, (_, i) => i);
  const d = new Float64Array(n);
  const act = scratchH;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    shuffle(order, random);
    let loss = 0;
    for (const i of order) {
      const { x, y, weight } = data[i]!;
      let z = sparseLogit(weights, bias, x);
      const hasDense = denseOf(x, o.denseStart, n, d);
      if (hasDense) {
        for (let h = 0; h < HIDDEN; h++) {
          let a = c[h]!;
          for (let k = 0; k < n; k++) a += u[h * n + k]! * d[k]!;
          act[h] = a > 0 ? a : 0;
          z += v[h]! * act[h]!;
        }
      }
      const p = sigmoid(z);
      const w = weight * scale;
      loss += w * (y === 1 ? -Math.log(Math.max(p, 1e-300)) : -Math.log(Math.max(1 - p, 1e-300)));
      const g = w * (p - y);
      if (hasDense) {
        for (let h = 0; h < HIDDEN; h++) {
          if (act[h]! > 0) {
            const gh = g * v[h]!;
            for (let k = 0; k < n; k++) {
              if (d[k] === 0) continue;
              const idx = h * n + k;
              const gk = gh * d[k]! + o.l2 * u[idx]!;
              gu[idx]! += gk * gk;
              u[idx]! -= (rate * gk) / Math.sqrt(gu[idx]!);
            }
            gc[h]! += gh * gh;
            c[h]! -= (rate * gh) / Math.sqrt(gc[h]!);
          }
          const gvh = g * act[h]! + o.l2 * v[h]!;
          gv[h]! += gvh * gvh;
          v[h]! -= (rate * gvh) / Math.sqrt(gv[h]!);
        }
      }
      sparseStep(weights, g2, x, g, o.l2, rate);
      biasG2 += g * g;
      bias -= (rate * g) / Math.sqrt(biasG2);
    }
    o.log?.(`epoch ${epoch} loss ${(loss / data.length).toFixed(6)}`);
  }
  m.bias = bias;
  return m;
}
