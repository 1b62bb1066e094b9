/** Ranking metrics for a detector: scores are higher for attacks. */

/** ROC AUC as the Mann-Whitney statistic (ties count one half). */
export function rocAuc(attackScores: number[], benignScores: number[]): number {
  const all = [...attackScores.map((s) => [s, 1] as const), ...benignScores.map((s) => [s, 0] as const)].sort((a, b) => a[0] - b[0]);
  let rankSumAttacks = 0;
  for (let i = 0; i < all.length; ) {
    let j = i;
    while (j < all.length && all[j]![0] === all[i]![0]) j++;
    const meanRank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) if (all[k]![1] === 1) rankSumAttacks += meanRank;
    i = j;
  }
  const nA = attackScores.length;
  const nB = benignScores.length;
  return (rankSumAttacks - (nA * (nA + 1)) / 2) / (nA * nB);
}

/**
 * The strictest threshold at which at most `fpr` of benign texts are flagged (flag = score above
 * the threshold): the (floor(fpr·n)+1)-th highest benign score.
 */
export function thresholdAtFpr(benignScores: number[], fpr: number): number {
  const sorted = [...benignScores].sort((a, b) => b - a);
  return sorted[Math.floor(fpr * sorted.length)] ?? -Infinity;
}

export function rateAbove(scores: number[], threshold: number): number {
  return scores.length === 0 ? NaN : scores.filter((s) => s > threshold).length / scores.length;
}
