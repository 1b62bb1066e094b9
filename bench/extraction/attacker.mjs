/**
 * The extraction attacker of the benchmark: Papernot et al. 2017 ("Practical Black-Box Attacks
 * against Machine Learning"), the attack PRADA was designed against.
 *   1. query `seeds` random images, uniform in [0, 16]^64 (the attacker knows the input range only),
 *      or `seedImages`, a small natural sample (Papernot's own setting: 150 test images);
 *   2. train a surrogate on the answers;
 *   3. Jacobian-based augmentation: for each known x, query x + λ·sign(∂F_surrogate(x)[O(x)]/∂x),
 *      clipped to the range; the step sign flips every `tau` rounds (Papernot's periodic step);
 *   4. retrain on everything answered so far and repeat until the budget is spent or Warden refuses;
 *   5. train the copy it keeps (a wider MLP, to convergence) on every answer it got.
 * Later rounds use a random subset of the known set (Papernot's reservoir) so the last round fits
 * the budget. The attacker learns from the probabilities it is given (soft labels), or only from
 * their arg-max with `hardLabels`.
 */
import { createRng } from "../../scripts/demo-origin/prng.mjs";
import { argmax } from "../../scripts/demo-origin/classifier.mjs";
import { trainSurrogate, trainFinalSurrogate, inputGradient } from "./surrogate.mjs";

export function randomImage(rng) {
  return Array.from({ length: 64 }, () => Math.round(rng.uniform() * 16 * 100) / 100);
}

/**
 * `ask(rows)` resolves to one probability vector per row, or null once the attacker is refused.
 * `onRound` sees the surrogate after each round. Returns what the attacker holds at the end.
 */
export async function runPapernot({ ask, budget, seeds = 100, seedImages = null, lambda = 1.6, tau = 3, batch = 20, seed = 99, hardLabels = false, epochs = 60, onRound }) {
  const rng = createRng(seed);
  const X = [];
  const Y = [];
  let refusedAt = null;
  const query = async (rows) => {
    for (let start = 0; start < rows.length && refusedAt === null; start += batch) {
      const chunk = rows.slice(start, start + batch);
      const answers = await ask(chunk);
      if (answers === null) {
        refusedAt = X.length;
        return;
      }
      chunk.forEach((x, i) => {
        X.push(x);
        Y.push(hardLabels ? argmax(answers[i]) : answers[i]);
      });
    }
  };
  await query((seedImages ?? Array.from({ length: seeds }, () => randomImage(rng))).slice(0, budget));
  let surrogate = trainSurrogate(X, Y, { epochs });
  for (let round = 1; X.length < budget && refusedAt === null; round++) {
    const step = lambda * (Math.floor((round - 1) / tau) % 2 === 0 ? 1 : -1);
    const room = budget - X.length;
    const parents = X.length <= room ? X.map((_, i) => i) : rng.shuffle(X.map((_, i) => i)).slice(0, room);
    const children = parents.map((i) => {
      const label = argmax(typeof Y[i] === "number" ? oneHot(Y[i]) : Y[i]);
      const g = inputGradient(surrogate, X[i], label);
      return X[i].map((v, k) => Math.min(16, Math.max(0, v + step * Math.sign(g[k]))));
    });
    await query(children);
    surrogate = trainSurrogate(X, Y, { epochs });
    onRound?.({ round, queries: X.length, surrogate });
  }
  return { surrogate: trainFinalSurrogate(X, Y), working: surrogate, X, Y, queries: X.length, refusedAt };
}

function oneHot(c) {
  return Array.from({ length: 10 }, (_, k) => (k === c ? 1 : 0));
}
