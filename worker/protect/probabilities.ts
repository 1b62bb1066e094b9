/**
 * Protection of probability outputs (CONTRACT §6 `protection.probabilities`): what a classifier
 * returns is what an extraction attack learns from, so Warden coarsens, truncates, noises or
 * deceptively perturbs it, while `keep_top1` keeps the arg-max class (the answer benign users
 * need) unchanged.
 *
 * A model's setting becomes a plan, an ordered list of steps applied to each probability vector;
 * `strengthen` gives the plan for principals past `extraction.degrade_at`.
 *
 * Noise is calibrated as the Laplace / Gaussian mechanism on the probability vector: two
 * probability vectors differ by at most 2 in L1 and sqrt(2) in L2, so `laplace` adds Lap(2/ε) to
 * each class and `gaussian` adds N(0, σ²) with σ = sqrt(2)·sqrt(2·ln(1.25/δ))/ε, δ = 1e-5; negative
 * results are clipped to 0 and the vector renormalized. Small ε means heavy noise: pick ε ≥ 20 for a
 * vector that still carries confidence information.
 */
import type { Protection } from "../config/model";
import { WardenError } from "../errors";
import { type Rng, cryptoRng, gaussian, laplace } from "./random";

export type ProbabilitySetting = NonNullable<Protection["probabilities"]>;

export type ProbabilityStep =
  | { mode: "round"; decimals: number }
  | { mode: "top_k"; k: number }
  | { mode: "laplace" | "gaussian"; epsilon: number }
  | { mode: "reverse_sigmoid"; beta: number; gamma: number }
  /** Degraded principals only: the arg-max class and nothing else true (see `strengthen`). */
  | { mode: "label" }
  /** Degraded principals' synthetic rows only: nothing true at all (see `decoyPlan`). */
  | { mode: "decoy" };

export interface ProbabilityPlan {
  steps: ProbabilityStep[];
  keepTop1: boolean;
}

/** Used where the setting names a mode but leaves its parameter out. */
export const PROBABILITY_DEFAULTS = { decimals: 2, k: 3, epsilon: 1, beta: 1, gamma: 0.1 } as const;

/** log(0) stand-in when probabilities go back to log space (OpenAI uses -9999 for "negligible"). */
export const MIN_LOG = -9999;

const GAUSSIAN_DELTA = 1e-5;

export function planOf(setting: ProbabilitySetting | undefined): ProbabilityPlan {
  if (!setting) return { steps: [], keepTop1: true };
  const d = PROBABILITY_DEFAULTS;
  const keepTop1 = setting.keep_top1;
  switch (setting.mode) {
    case "none":
      return { steps: [], keepTop1 };
    case "round":
      return { steps: [{ mode: "round", decimals: setting.decimals ?? d.decimals }], keepTop1 };
    case "top_k":
      return { steps: [{ mode: "top_k", k: setting.k ?? d.k }], keepTop1 };
    case "laplace":
    case "gaussian":
      return { steps: [{ mode: setting.mode, epsilon: setting.epsilon ?? d.epsilon }], keepTop1 };
    case "reverse_sigmoid":
      return { steps: [{ mode: "reverse_sigmoid", beta: setting.beta ?? d.beta, gamma: setting.gamma ?? d.gamma }], keepTop1 };
  }
}

/**
 * The plan for a degraded principal, whatever the model's setting (issue 9): the answer keeps the
 * arg-max class — the label a benign principal degraded by mistake needs — and nothing else that
 * is true. The top class gets a confidence drawn from U(0.5, 1), the rest is split at random over
 * the other classes, then one decimal. Drawn from the keyed generator (keyed-noise.ts), so the
 * same input always gets the same answer and averaging repeats or batch copies gives nothing;
 * averaging near-copies converges on a flat vector around the label. Earlier plans (reverse
 * sigmoid + one decimal; ε/4 + one decimal for noise settings) still carried the model's
 * confidence ordering: on the tuning settings a soft-label surrogate learned nearly as much from
 * them as from clean answers (docs/extraction.md, "Degraded answers").
 */
export function strengthen(_setting: ProbabilitySetting | undefined): ProbabilityPlan {
  return { steps: [{ mode: "label" }, { mode: "round", decimals: 1 }], keepTop1: true };
}

/**
 * The plan for a degraded principal's rows that are synthetic by an input test that benign rows
 * never pass (uniform over the declared range, worker/extraction/synthetic.ts): a keyed random
 * class in first place, the rest as in `strengthen`. No honest client needs the model's answer on
 * white noise, and on such rows the label is what a thief learns from (issue 9: Jacobian steps
 * from random seeds kept 17.5 % fidelity from labels alone). keep_top1 is off: keeping the
 * arg-max would undo it.
 */
export function decoyPlan(): ProbabilityPlan {
  return { steps: [{ mode: "decoy" }, { mode: "round", decimals: 1 }], keepTop1: false };
}

export function planFor(setting: ProbabilitySetting | undefined, degraded: boolean): ProbabilityPlan {
  return degraded ? strengthen(setting) : planOf(setting);
}

/** Index of the largest value, the first one on ties (as numpy's argmax). */
export function argmax(values: ArrayLike<number>): number {
  let best = 0;
  for (let i = 1; i < values.length; i++) if ((values[i] as number) > (values[best] as number)) best = i;
  return best;
}

/**
 * Makes class `index` the arg-max by swapping its value with the current maximum; on a tie with an
 * earlier class it is raised by `quantum`. Used by keep_top1 and by the label watermark.
 */
export function promote(values: readonly number[], index: number, quantum = 1e-9): number[] {
  const out = values.slice();
  const top = argmax(out);
  if (top === index) return out;
  [out[top], out[index]] = [out[index] as number, out[top] as number];
  if (argmax(out) !== index) out[index] = (out[index] as number) + quantum;
  return out;
}

function normalize(values: number[]): number[] {
  const clipped = values.map((v) => (v > 0 && Number.isFinite(v) ? v : 0));
  const sum = clipped.reduce((a, b) => a + b, 0);
  return sum > 0 ? clipped.map((v) => v / sum) : clipped.map(() => 1 / clipped.length);
}

function applyStep(p: number[], step: ProbabilityStep, rng: Rng): number[] {
  switch (step.mode) {
    case "round": {
      const f = 10 ** step.decimals;
      return p.map((v) => Math.round(v * f) / f);
    }
    case "top_k": {
      const keep = new Set(
        p
          .map((v, i) => [v, i] as const)
          .sort((a, b) => b[0] - a[0] || a[1] - b[1])
          .slice(0, step.k)
          .map(([, i]) => i),
      );
      return normalize(p.map((v, i) => (keep.has(i) ? v : 0)));
    }
    case "laplace":
      return normalize(p.map((v) => v + laplace(rng, 2 / step.epsilon)));
    case "gaussian": {
      const sigma = (Math.SQRT2 * Math.sqrt(2 * Math.log(1.25 / GAUSSIAN_DELTA))) / step.epsilon;
      return normalize(p.map((v) => v + sigma * gaussian(rng)));
    }
    case "label":
    case "decoy": {
      const top = step.mode === "label" ? argmax(p) : Math.min(p.length - 1, Math.floor(rng() * p.length));
      const confidence = 0.5 + 0.5 * rng();
      const rest = p.map((_, i) => (i === top ? 0 : rng()));
      const sum = rest.reduce((a, b) => a + b, 0);
      return p.map((_, i) => (i === top ? confidence : sum > 0 ? ((1 - confidence) * (rest[i] as number)) / sum : 0));
    }
    case "reverse_sigmoid": {
      // ŷ = α·(y − β·(s(γ·s⁻¹(y)) − ½)), clipped at 0, as in Lee et al. and ART's implementation.
      return normalize(
        p.map((v) => {
          const y = Math.min(Math.max(v, 1e-9), 1 - 1e-9);
          const r = step.beta * (1 / (1 + Math.exp(-step.gamma * Math.log(y / (1 - y)))) - 0.5);
          return Math.min(Math.max(v - r, 0), 1);
        }),
      );
    }
  }
}

export function protectProbabilities(probs: readonly number[], plan: ProbabilityPlan, rng: Rng = cryptoRng()): number[] {
  if (plan.steps.length === 0 || probs.length === 0) return probs.slice();
  let out = probs.slice();
  for (const step of plan.steps) out = applyStep(out, step, rng);
  if (!plan.keepTop1) return out;
  const last = plan.steps[plan.steps.length - 1];
  if (last?.mode === "round") return promote(out, argmax(probs), 10 ** -last.decimals);
  return normalize(promote(out, argmax(probs)));
}

function softmax(logits: readonly number[]): number[] {
  const max = Math.max(...logits);
  return normalize(logits.map((z) => Math.exp(z - max)));
}

const safeLog = (p: number): number => (p > 0 ? Math.max(Math.log(p), MIN_LOG) : MIN_LOG);

/** Logits are protected as probabilities and returned as log-probabilities (softmax-equivalent). */
export function protectLogits(logits: readonly number[], plan: ProbabilityPlan, rng: Rng = cryptoRng()): number[] {
  if (plan.steps.length === 0) return logits.slice();
  return protectProbabilities(softmax(logits), plan, rng).map(safeLog);
}

/**
 * A whole OIP output tensor: rows along the last axis. A last axis of 1 is a binary classifier's
 * single output (sigmoid probability or logit), protected as the pair [p, 1 - p]. `rowRng(r)` gives
 * row r's generator: in production a keyed one per input row (keyed-noise.ts), so duplicate rows
 * get identical answers.
 */
export function protectTensor(
  data: readonly number[],
  shape: readonly number[],
  kind: "probabilities" | "logits",
  rowsPlan: ProbabilityPlan | ((row: number) => ProbabilityPlan),
  rowRng: (row: number) => Rng,
): number[] {
  const planOfRow = typeof rowsPlan === "function" ? rowsPlan : () => rowsPlan;
  if (typeof rowsPlan !== "function" && rowsPlan.steps.length === 0) return data.slice();
  const width = tensorWidth(data, shape);
  const out: number[] = [];
  for (let start = 0; start < data.length; start += width) {
    const row = data.slice(start, start + width);
    const plan = planOfRow(start / width);
    const rng = rowRng(start / width);
    if (width === 1) {
      const z = row[0] as number;
      const p = kind === "logits" ? 1 / (1 + Math.exp(-z)) : z;
      const q = protectProbabilities([p, 1 - p], plan, rng);
      const q0 = q[0] as number;
      out.push(kind === "logits" ? safeLog(q0) - safeLog(1 - q0) : q0);
    } else {
      out.push(...(kind === "logits" ? protectLogits(row, plan, rng) : protectProbabilities(row, plan, rng)));
    }
  }
  return out;
}

/** The row width of an output tensor (its last axis); throws origin_error when the data does not fit. */
export function tensorWidth(data: readonly unknown[], shape: readonly number[]): number {
  const last = shape[shape.length - 1];
  const width = last !== undefined && last > 0 ? last : data.length;
  if (width === 0 || data.length % width !== 0)
    throw new WardenError("origin_error", "The model returned a malformed output.", { reason: `output of ${data.length} values does not fit shape [${shape.join(",")}]` });
  return width;
}
