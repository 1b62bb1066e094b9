/**
 * Top-push against the hardest harmless windows of every source (round 11 of issue 10,
 * notes/round11-rules.md; in the spirit of Li et al. 2014, "Top Rank Optimization in Linear
 * Time"): the shipped cross-entropy plus a pairwise logistic loss that pushes each attack window
 * above a hard harmless window. Recall at 1% FPR is decided by the few harmless texts that score
 * highest; the cross-entropy spends most of its effort on the easy bulk of them.
 *
 * The hard pool is each harmless source's top share of windows under the current model, rebuilt
 * every epoch; a pair's harmless source is drawn uniformly, so a small source's hardest texts
 * count as much as a large one's (the worst source, not the pooled tail).
 */
import type { LogReg } from "./logreg";
import { sigmoid } from "./logreg";
import { meanOneScale, sparseLogit, sparseStep } from "./adagrad";
import { rng, shuffle } from "./rng";
import type { GroupedExamples, ObjectiveOptions } from "./objectives";

/** Fixed a priori (notes/round11-rules.md). */
export const PUSH_POOL_SHARE = 0.05;
export const PUSH_WEIGHT = 1;

export function fitTopPush({ examples: data, group, names }: GroupedExamples, options: ObjectiveOptions): LogReg {
  const rate = 0.2; // lib/adagrad.ts's base step
  const weights = new Float64Array(options.dim);
  const g2 = new Float64Array(options.dim).fill(1e-8);
  let bias = 0;
  let biasG2 = 1e-8;
  const scale = meanOneScale(data);
  const logitOf = (i: number) => {
    const { x } = data[i]!;
    return sparseLogit(weights, bias, x);
  };
  // Harmless windows of every source, in data order.
  const harmless = new Map<number, number[]>();
  data.forEach((e, i) => {
    if (e.y === 0) (harmless.get(group[i]!) ?? harmless.set(group[i]!, []).get(group[i]!)!).push(i);
  });
  const harmlessGroups = [...harmless.keys()].sort((a, b) => a - b);
  // The visiting order is lib/adagrad.ts's; the pairing draws come from a second stream so that
  // order is the same as the shipped fit's.
  const order = Array.from({ length: data.length }, (_, i) => i);
  const random = rng(options.seed);
  const draw = rng(options.seed + 1);
  let pools: number[][] = [];
  for (let epoch = 0; epoch < options.epochs; epoch++) {
    if (epoch > 0) {
      pools = harmlessGroups.map((g) => {
        const windows = harmless.get(g)!;
        const scored = windows.map((i) => ({ i, z: logitOf(i) })).sort((a, b) => b.z - a.z || a.i - b.i);
        return scored.slice(0, Math.max(1, Math.ceil(PUSH_POOL_SHARE * windows.length))).map((s) => s.i);
      });
    }
    shuffle(order, random);
    let loss = 0;
    let pairLoss = 0;
    for (const i of order) {
      const { x, y, weight } = data[i]!;
      const p = sigmoid(logitOf(i));
      const w = weight * scale;
      loss += w * (y === 1 ? -Math.log(Math.max(p, 1e-300)) : -Math.log(Math.max(1 - p, 1e-300)));
      const g = w * (p - y);
      sparseStep(weights, g2, x, g, options.l2, rate);
      biasG2 += g * g;
      bias -= (rate * g) / Math.sqrt(biasG2);
      if (y !== 1 || pools.length === 0) continue;
      const pool = pools[Math.floor(draw() * pools.length)]!;
      const n = pool[Math.floor(draw() * pool.length)]!;
      // d/dz_a of log(1 + e^-(z_a - z_n)) is -sigmoid(-(z_a - z_n)); the bias cancels.
      const margin = logitOf(i) - logitOf(n);
      pairLoss += w * (margin > 0 ? Math.log1p(Math.exp(-margin)) : -margin + Math.log1p(Math.exp(margin)));
      const s = PUSH_WEIGHT * w * sigmoid(-margin);
      sparseStep(weights, g2, x, -s, options.l2, rate);
      sparseStep(weights, g2, data[n]!.x, s, options.l2, rate);
    }
    options.log?.(`epoch ${epoch} loss ${(loss / data.length).toFixed(6)} pair loss ${(pairLoss / data.length).toFixed(6)}${epoch > 0 ? `, hard pool ${pools.reduce((k, p) => k + p.length, 0)} windows of ${pools.length} harmless sources` : ""}`);
  }
  return { weights, bias };
}
