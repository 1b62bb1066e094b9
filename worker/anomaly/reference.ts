/**
 * Per-feature reference statistics for the OIP anomaly check, and a row's score against them.
 * Pure: the admin route computes statistics from uploaded rows; the screen stage scores requests.
 */
export interface ReferenceStats {
  n: number;
  mean: number[];
  std: number[];
}

export function referenceStats(rows: readonly (readonly number[])[]): ReferenceStats {
  const d = rows[0]?.length ?? 0;
  const mean = new Array<number>(d).fill(0);
  const m2 = new Array<number>(d).fill(0);
  // Welford's update: stable for large values and many rows.
  rows.forEach((row, k) => {
    for (let i = 0; i < d; i++) {
      const x = row[i]!;
      const delta = x - mean[i]!;
      mean[i] = mean[i]! + delta / (k + 1);
      m2[i] = m2[i]! + delta * (x - mean[i]!);
    }
  });
  const std = m2.map((v) => Math.sqrt(v / Math.max(1, rows.length - 1)));
  return { n: rows.length, mean, std };
}

/**
 * RMS z-score of a row. A feature that never varied in the reference (a corner pixel that is
 * always 0) gets a floor of 5 % of the typical spread, so a small deviation there counts, but
 * is not infinite.
 */
export function anomalyScore(row: readonly number[], ref: ReferenceStats): number {
  const d = ref.mean.length;
  const spread = ref.std.reduce((a, b) => a + b, 0) / Math.max(1, d);
  const floor = Math.max(spread * 0.05, 1e-9);
  let sum = 0;
  for (let i = 0; i < d; i++) {
    const z = (row[i]! - ref.mean[i]!) / Math.max(ref.std[i]!, floor);
    sum += z * z;
  }
  return Math.sqrt(sum / Math.max(1, d));
}
