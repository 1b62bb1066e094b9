/**
 * The combined extraction score (docs/extraction.md, "Score"):
 *
 *   signal_i = ramp_i(raw_i) ∈ [0, 1]      (0 when its window holds fewer than MIN_EVIDENCE entries)
 *   score    = 1 − Π_i (1 − weight_i · signal_i)
 *
 * a "noisy OR": each signal alone can raise the score to at most its weight (PRADA 0.9, similarity
 * 0.8, boundary 0.5, novelty 0.4, volume 0.3), and independent signals compound. With the default
 * policy a full PRADA or similarity signal degrades, a second one blocks; volume and novelty alone
 * never degrade (busy benign clients are the norm), they only corroborate.
 */
import { RAMPS, WEIGHTS, type Ramp, type SignalName } from "./params";

export type Signals = Record<SignalName, number>;

export const NO_SIGNALS: Signals = { prada: 0, similarity: 0, far: 0, drift: 0, uniform: 0, sustained: 0, novelty: 0, boundary: 0, volume: 0 };

export function ramp(x: number, r: Ramp): number {
  if (!Number.isFinite(x)) return 0;
  const t = (x - r.zero) / (r.one - r.zero);
  return Math.min(1, Math.max(0, t));
}

export function rampFor(name: SignalName, raw: number): number {
  return ramp(raw, RAMPS[name]);
}

export function combine(signals: Partial<Signals>): number {
  let keep = 1;
  for (const name of Object.keys(WEIGHTS) as SignalName[]) keep *= 1 - WEIGHTS[name] * (signals[name] ?? 0);
  return round4(1 - keep);
}

export function round4(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}
