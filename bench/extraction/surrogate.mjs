/**
 * The attacker's surrogate: the demo origin's own MLP trainer (scripts/demo-origin/classifier.mjs),
 * trained on the victim's answers, plus the input gradient Jacobian-based augmentation needs.
 */
import { trainClassifier, predictProba, softmax } from "../../scripts/demo-origin/classifier.mjs";

/**
 * A small MLP (64-32-10) on inputs scaled to [0, 1], soft targets when the victim gave
 * probabilities: the working surrogate whose gradients drive the augmentation rounds.
 */
export function trainSurrogate(X, targets, { seed = 11, epochs = 60, hidden = [32] } = {}) {
  return trainClassifier(X, targets, { hidden, epochs, batchSize: 16, learningRate: 0.005, l2: 1e-4, seed, inputScale: 1 / 16, classes: 10 });
}

/**
 * The stolen model the attacker keeps: wider (64-128-10), trained to convergence without weight
 * decay, as attackers train deep surrogates. It is also the better copy (+1–3 points of fidelity
 * over the working surrogate here) and, like any model fitted to its training answers, it
 * reproduces the watermarked ones — the behaviour DAWN relies on.
 */
export function trainFinalSurrogate(X, targets, { seed = 11 } = {}) {
  return trainClassifier(X, targets, { hidden: [128], epochs: 120, batchSize: 16, learningRate: 0.005, l2: 0, seed, inputScale: 1 / 16, classes: 10 });
}

/**
 * ∂p_c/∂x of the surrogate at x (Papernot et al. 2017 augment along sign(J_F(x)[O(x)])), by
 * backpropagation through the ReLU layers and the softmax.
 */
export function inputGradient(model, x, c) {
  const acts = [x.map((v) => v * model.input_scale)];
  const pre = [];
  model.layers.forEach((layer, l) => {
    const a = acts[l];
    const z = layer.weights.map((row, o) => row.reduce((s, w, i) => s + w * a[i], layer.bias[o]));
    pre.push(z);
    acts.push(l === model.layers.length - 1 ? softmax(z) : z.map((v) => Math.max(0, v)));
  });
  const p = acts[acts.length - 1];
  // dp_c/dz_k = p_c (δ_ck − p_k)
  let delta = p.map((pk, k) => p[c] * ((k === c ? 1 : 0) - pk));
  for (let l = model.layers.length - 1; l >= 0; l--) {
    const W = model.layers[l].weights;
    const next = new Array(W[0].length).fill(0);
    for (let o = 0; o < W.length; o++) for (let i = 0; i < next.length; i++) next[i] += delta[o] * W[o][i];
    if (l > 0) for (let i = 0; i < next.length; i++) if (pre[l - 1][i] <= 0) next[i] = 0;
    delta = next;
  }
  return delta.map((g) => g * model.input_scale);
}

export { predictProba };
