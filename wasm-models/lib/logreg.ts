/**
 * L2-regularised, weighted logistic regression on sparse vectors, fitted with L-BFGS.
 * The objective is convex and the optimiser is deterministic (full-batch, fixed iteration
 * order), so the same data gives the same weights bit for bit: retraining is reproducible.
 */
import type { SparseVector } from "../../worker/screen/featurize";

export interface Example {
  x: SparseVector;
  y: 0 | 1;
  weight: number;
}

export interface LogReg {
  weights: Float64Array;
  bias: number;
}

export interface FitOptions {
  dim: number;
  /** L2 strength, relative to the mean weighted loss. */
  l2: number;
  iterations: number;
  /** Number of past steps L-BFGS remembers. */
  memory?: number;
  log?: (line: string) => void;
}

export function logit(model: LogReg, x: SparseVector): number {
  let z = model.bias;
  for (let j = 0; j < x.indices.length; j++) z += model.weights[x.indices[j]!]! * x.values[j]!;
  return z;
}

export function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

/** log(1 + e^z) without overflow. */
function softplus(z: number): number {
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** Parameters are packed as [w_0 … w_{dim-1}, bias]; the bias is not regularised. */
function lossAndGradient(theta: Float64Array, data: Example[], l2: number, grad: Float64Array): number {
  const dim = theta.length - 1;
  grad.fill(0);
  let loss = 0;
  let total = 0;
  for (const ex of data) {
    let z = theta[dim]!;
    const { indices, values } = ex.x;
    for (let j = 0; j < indices.length; j++) z += theta[indices[j]!]! * values[j]!;
    // Cross-entropy: y=1 costs softplus(-z), y=0 costs softplus(z).
    loss += ex.weight * (ex.y === 1 ? softplus(-z) : softplus(z));
    const g = ex.weight * (sigmoid(z) - ex.y);
    for (let j = 0; j < indices.length; j++) grad[indices[j]!]! += g * values[j]!;
    grad[dim]! += g;
    total += ex.weight;
  }
  loss /= total;
  for (let i = 0; i <= dim; i++) grad[i]! /= total;
  for (let i = 0; i < dim; i++) {
    loss += 0.5 * l2 * theta[i]! * theta[i]!;
    grad[i]! += l2 * theta[i]!;
  }
  return loss;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

export function fit(data: Example[], options: FitOptions): LogReg {
  const n = options.dim + 1;
  const m = options.memory ?? 10;
  let theta = new Float64Array(n);
  let grad = new Float64Array(n);
  let loss = lossAndGradient(theta, data, options.l2, grad);
  const s: Float64Array[] = [];
  const y: Float64Array[] = [];
  const next = new Float64Array(n);
  const nextGrad = new Float64Array(n);
  for (let iter = 0; iter < options.iterations; iter++) {
    // Two-loop recursion: direction = -H·grad.
    const q = Float64Array.from(grad);
    const alpha: number[] = [];
    for (let k = s.length - 1; k >= 0; k--) {
      const a = dot(s[k]!, q) / dot(y[k]!, s[k]!);
      alpha[k] = a;
      for (let i = 0; i < n; i++) q[i]! -= a * y[k]![i]!;
    }
    if (s.length > 0) {
      const last = s.length - 1;
      const gamma = dot(s[last]!, y[last]!) / dot(y[last]!, y[last]!);
      for (let i = 0; i < n; i++) q[i]! *= gamma;
    }
    for (let k = 0; k < s.length; k++) {
      const b = dot(y[k]!, q) / dot(y[k]!, s[k]!);
      for (let i = 0; i < n; i++) q[i]! += s[k]![i]! * (alpha[k]! - b);
    }
    const direction = q.map((v) => -v);
    let slope = dot(direction, grad);
    if (slope >= 0) {
      // Not a descent direction (curvature information went stale): restart from the gradient.
      s.length = 0;
      y.length = 0;
      for (let i = 0; i < n; i++) direction[i] = -grad[i]!;
      slope = dot(direction, grad);
    }
    // Backtracking line search with the Armijo condition.
    let step = iter === 0 ? 1 / Math.max(1, Math.sqrt(dot(grad, grad))) : 1;
    let nextLoss = Infinity;
    for (let tries = 0; tries < 30; tries++) {
      for (let i = 0; i < n; i++) next[i] = theta[i]! + step * direction[i]!;
      nextLoss = lossAndGradient(next, data, options.l2, nextGrad);
      if (nextLoss <= loss + 1e-4 * step * slope) break;
      step /= 2;
    }
    if (!(nextLoss < loss)) break;
    const sk = new Float64Array(n);
    const yk = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      sk[i] = next[i]! - theta[i]!;
      yk[i] = nextGrad[i]! - grad[i]!;
    }
    if (dot(sk, yk) > 1e-12) {
      s.push(sk);
      y.push(yk);
      if (s.length > m) {
        s.shift();
        y.shift();
      }
    }
    const improvement = loss - nextLoss;
    theta = Float64Array.from(next);
    grad = Float64Array.from(nextGrad);
    loss = nextLoss;
    if (iter % 25 === 0) options.log?.(`iter ${iter} loss ${loss.toFixed(6)}`);
    if (improvement < 1e-9) break;
  }
  options.log?.(`final loss ${loss.toFixed(6)}`);
  return { weights: theta.slice(0, options.dim), bias: theta[options.dim]! };
}
