/**
 * The measurements of the evaluation, on top of a finished scenario: escalations, refusals,
 * fidelity, benign accuracy, watermark attribution.
 */
import { agreement, predict, trainClassifier } from "../../scripts/demo-origin/classifier.mjs";
import { generateDigits } from "../../scripts/demo-origin/digits.mjs";
import { canonicalInput, verifyLabels } from "../../worker/protect/label-watermark.ts";
import { binomialTail } from "../../worker/protect/stats.ts";

/** Natural digits no one trained or queried on: where fidelity is measured. */
export const HELDOUT = { n: 2000, seed: 3 };
/** The attacker's small natural sample, for Papernot's own setting. */
export const ATTACKER_SEEDS = { n: 100, seed: 4 };

let heldout = null;
export function heldoutDigits() {
  heldout ??= generateDigits(HELDOUT).X;
  return heldout;
}

/** Share of held-out natural digits on which the surrogate agrees with the victim. */
export function fidelity(surrogate, victim) {
  return agreement(surrogate, victim, heldoutDigits());
}

/** Benign principals: how many reached degraded or blocked, and the accuracy they lost. */
export function benignSummary(warden, benign) {
  let escalated = 0;
  let maxScore = 0;
  let right = 0;
  let rightRaw = 0;
  let labelled = 0;
  let refused = 0;
  for (const [id, b] of benign) {
    const s = warden.status(id);
    if (s?.escalated) escalated++;
    maxScore = Math.max(maxScore, s?.maxScore ?? s?.score ?? 0);
    right += b.right;
    rightRaw += b.rightRaw;
    labelled += b.labelled;
    refused += b.refused;
  }
  return {
    principals: benign.size,
    escalated,
    max_score: maxScore,
    refused_queries: refused,
    accuracy_unprotected: rightRaw / labelled,
    accuracy_protected: right / labelled,
    accuracy_cost_points: (100 * (rightRaw - right)) / labelled,
  };
}

/** Attacker keys: when each was first refused (answered queries of the whole campaign). */
export function attackSummary(warden, attack, victim) {
  const keys = attack.keys.map((k) => ({ key: k, ...warden.status(k) }));
  return {
    answered: attack.queries,
    refused_at: attack.refusedAt,
    keys_blocked: keys.filter((k) => k.state === "blocked").length,
    keys: keys.length,
    fidelity: fidelity(attack.surrogate, victim),
  };
}

/** An MLP trained the way the victim was, on natural data of its own, independent of every key. */
export function independentModel() {
  const data = generateDigits({ n: 4000, seed: 5 });
  return trainClassifier(data.X, data.y, { hidden: [32], epochs: 20, batchSize: 32, learningRate: 0.003, l2: 1e-4, seed: 13, inputScale: 1 / 16, classes: 10 });
}

/** The proof step of CONTRACT §6: put the recorded watermark inputs to a suspect and attribute. */
export function watermarkProof(records, suspect) {
  const answers = records.map((r) => ({ input: r.input, label: predict(suspect, r.input) }));
  return verifyLabels(answers, records, { classes: 10 });
}

/**
 * Not what Warden's verify does (it attributes to the single best principal, Bonferroni-corrected):
 * the records of the principals the detector escalated (the audit log names them) pooled into one
 * binomial test — the evidence a campaign spread over many keys leaves when each key holds only one
 * or two watermarked answers.
 */
export function pooledProof(records, suspect, classes = 10) {
  const seen = new Set();
  let trials = 0;
  let matches = 0;
  for (const r of records) {
    const c = canonicalInput(r.input);
    if (seen.has(c)) continue;
    seen.add(c);
    trials++;
    if (predict(suspect, r.input) === r.label) matches++;
  }
  return { p_value: binomialTail(matches, trials, 1 / (classes - 1)), matches, trials };
}
