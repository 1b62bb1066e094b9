/**
 * A small multilayer perceptron (ReLU hidden layers, softmax output) with a seeded Adam trainer,
 * in plain JavaScript. With no hidden layer it is softmax regression.
 *
 * Targets may be class indices or probability vectors: the demo classifier learns from labels,
 * and a surrogate in an extraction benchmark can learn from the probabilities a victim returned.
 *
 * Model format ("warden-demo-mlp/1"): `{ format, input_scale, layers: [{ weights: out×in,
 * bias: out }] }`; inputs are multiplied by `input_scale` before the first layer.
 */
import { createRng } from "./prng.mjs";

export const MODEL_FORMAT = "warden-demo-mlp/1";

/** Class probabilities of one input vector. */
export function predictProba(model, input) {
  let a = input.map((v) => v * model.input_scale);
  model.layers.forEach((layer, l) => {
    const last = l === model.layers.length - 1;
    a = layer.weights.map((row, o) => {
      let z = layer.bias[o];
      for (let i = 0; i < row.length; i++) z += row[i] * a[i];
      return last ? z : Math.max(0, z);
    });
  });
  return softmax(a);
}

export function softmax(z) {
  const max = Math.max(...z);
  const e = z.map((v) => Math.exp(v - max));
  const sum = e.reduce((s, v) => s + v, 0);
  return e.map((v) => v / sum);
}

export function argmax(values) {
  let best = 0;
  for (let i = 1; i < values.length; i++) if (values[i] > values[best]) best = i;
  return best;
}

export function predict(model, input) {
  return argmax(predictProba(model, input));
}

/** Share of inputs whose predicted class equals the label. */
export function accuracy(model, X, y) {
  let right = 0;
  X.forEach((x, i) => (right += predict(model, x) === y[i] ? 1 : 0));
  return right / X.length;
}

/** Share of inputs on which two models predict the same class (extraction "fidelity"). */
export function agreement(a, b, X) {
  let same = 0;
  for (const x of X) same += predict(a, x) === predict(b, x) ? 1 : 0;
  return same / X.length;
}

/** Round every parameter to `digits` significant digits (smaller JSON, same behaviour to ~1e-6). */
export function roundModel(model, digits = 6) {
  const r = (v) => Number(v.toPrecision(digits));
  return { ...model, layers: model.layers.map((l) => ({ weights: l.weights.map((row) => row.map(r)), bias: l.bias.map(r) })) };
}

/**
 * Train on `X` (arrays of numbers) and `targets` (class indices or probability vectors).
 * Options: hidden layer sizes, epochs, batchSize, learningRate (Adam), l2 (weight decay),
 * seed (initialisation and batch order), inputScale, classes.
 */
export function trainClassifier(X, targets, options = {}) {
  const { hidden = [32], epochs = 40, batchSize = 32, learningRate = 0.005, l2 = 1e-4, seed = 1, inputScale = 1, classes = 10 } = options;
  const rng = createRng(seed);
  const sizes = [X[0].length, ...hidden, classes];
  // He initialisation; parameters flat per layer for speed.
  const layers = sizes.slice(1).map((out, l) => {
    const inp = sizes[l];
    const W = Float64Array.from({ length: out * inp }, () => rng.gaussian() * Math.sqrt(2 / inp));
    return { inp, out, W, b: new Float64Array(out), gW: new Float64Array(out * inp), gb: new Float64Array(out), mW: new Float64Array(out * inp), vW: new Float64Array(out * inp), mb: new Float64Array(out), vb: new Float64Array(out) };
  });
  const target = (t) => (typeof t === "number" ? Array.from({ length: classes }, (_, c) => (c === t ? 1 : 0)) : t);
  const order = Array.from(X.keys());
  const [beta1, beta2, eps] = [0.9, 0.999, 1e-8];
  let step = 0;

  for (let epoch = 0; epoch < epochs; epoch++) {
    rng.shuffle(order);
    for (let start = 0; start < order.length; start += batchSize) {
      const batch = order.slice(start, start + batchSize);
      for (const L of layers) {
        L.gW.fill(0);
        L.gb.fill(0);
      }
      for (const idx of batch) backprop(layers, X[idx].map((v) => v * inputScale), target(targets[idx]));
      step++;
      const lr = (learningRate * Math.sqrt(1 - beta2 ** step)) / (1 - beta1 ** step);
      for (const L of layers) {
        adam(L.W, L.gW, L.mW, L.vW, batch.length, l2, lr, beta1, beta2, eps);
        adam(L.b, L.gb, L.mb, L.vb, batch.length, 0, lr, beta1, beta2, eps);
      }
    }
  }
  return {
    format: MODEL_FORMAT,
    input_scale: inputScale,
    layers: layers.map((L) => ({
      weights: Array.from({ length: L.out }, (_, o) => Array.from(L.W.subarray(o * L.inp, (o + 1) * L.inp))),
      bias: Array.from(L.b),
    })),
  };
}

function adam(p, g, m, v, n, l2, lr, beta1, beta2, eps) {
  for (let i = 0; i < p.length; i++) {
    const grad = g[i] / n + l2 * p[i];
    m[i] = beta1 * m[i] + (1 - beta1) * grad;
    v[i] = beta2 * v[i] + (1 - beta2) * grad * grad;
    p[i] -= (lr * m[i]) / (Math.sqrt(v[i]) + eps);
  }
}

/** Accumulate cross-entropy gradients of one example into the layers' gW/gb. */
function backprop(layers, x, t) {
  const acts = [Float64Array.from(x)];
  layers.forEach((L, l) => {
    const a = acts[l];
    const z = new Float64Array(L.out);
    for (let o = 0; o < L.out; o++) {
      let s = L.b[o];
      const row = o * L.inp;
      for (let i = 0; i < L.inp; i++) s += L.W[row + i] * a[i];
      z[o] = l === layers.length - 1 ? s : Math.max(0, s);
    }
    acts.push(l === layers.length - 1 ? Float64Array.from(softmax(Array.from(z))) : z);
  });
  // Softmax with cross-entropy: the output error is p − t.
  let delta = acts[layers.length].map((p, c) => p - t[c]);
  for (let l = layers.length - 1; l >= 0; l--) {
    const L = layers[l];
    const a = acts[l];
    const next = new Float64Array(L.inp);
    for (let o = 0; o < L.out; o++) {
      const d = delta[o];
      if (d === 0) continue;
      const row = o * L.inp;
      L.gb[o] += d;
      for (let i = 0; i < L.inp; i++) {
        L.gW[row + i] += d * a[i];
        next[i] += d * L.W[row + i];
      }
    }
    if (l > 0) for (let i = 0; i < L.inp; i++) if (a[i] <= 0) next[i] = 0;
    delta = next;
  }
}
