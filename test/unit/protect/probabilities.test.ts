import { describe, expect, it } from "vitest";
import {
  argmax,
  planFor,
  planOf,
  promote,
  protectLogits,
  protectProbabilities,
  protectTensor,
  strengthen,
  type ProbabilityPlan,
  type ProbabilitySetting,
} from "../../../worker/protect/probabilities";
import { seededRng, type Rng } from "../../../worker/protect/random";

/** Random probability vectors, some confident, some near a decision boundary. */
function randomVector(rng: Rng, n: number): number[] {
  const sharpness = rng() * 6;
  const e = Array.from({ length: n }, () => Math.exp(sharpness * Math.log(rng())));
  const s = e.reduce((a, b) => a + b, 0);
  return e.map((v) => v / s);
}

const setting = (s: Partial<ProbabilitySetting>): ProbabilitySetting => ({ mode: "none", keep_top1: true, ...s });
const sum = (v: number[]): number => v.reduce((a, b) => a + b, 0);

describe("keep_top1 under noise", () => {
  for (const mode of ["laplace", "gaussian"] as const) {
    it(`${mode}: arg-max never moves with keep_top1, often moves without`, () => {
      const rng = seededRng(7);
      let moved = 0;
      for (let i = 0; i < 2000; i++) {
        const p = randomVector(rng, 10);
        const kept = protectProbabilities(p, planOf(setting({ mode, epsilon: 1 })), rng);
        expect(argmax(kept)).toBe(argmax(p));
        expect(sum(kept)).toBeCloseTo(1, 9);
        expect(Math.min(...kept)).toBeGreaterThanOrEqual(0);
        const free = protectProbabilities(p, planOf(setting({ mode, epsilon: 1, keep_top1: false })), rng);
        if (argmax(free) !== argmax(p)) moved++;
      }
      expect(moved).toBeGreaterThan(500);
    });
  }

  it("noise is larger for smaller epsilon", () => {
    const rng = seededRng(3);
    const p = [0.5, 0.3, 0.2];
    const spread = (epsilon: number): number => {
      let total = 0;
      for (let i = 0; i < 500; i++) {
        const q = protectProbabilities(p, planOf(setting({ mode: "laplace", epsilon })), rng);
        total += q.reduce((a, v, j) => a + Math.abs(v - (p[j] as number)), 0);
      }
      return total / 500;
    };
    expect(spread(1)).toBeGreaterThan(2 * spread(50));
  });
});

describe("top_k", () => {
  it("keeps the k largest, zeroes the rest, renormalizes", () => {
    const rng = seededRng(11);
    for (let i = 0; i < 500; i++) {
      const p = randomVector(rng, 8);
      const q = protectProbabilities(p, planOf(setting({ mode: "top_k", k: 3 })), rng);
      expect(q.filter((v) => v === 0)).toHaveLength(5);
      const kept = [...p].sort((a, b) => b - a).slice(0, 3);
      const scale = sum(kept);
      for (const v of kept) expect(q).toContain(q[p.indexOf(v)]);
      p.forEach((v, j) => (kept.includes(v) ? expect(q[j]).toBeCloseTo(v / scale, 12) : expect(q[j]).toBe(0)));
      expect(sum(q)).toBeCloseTo(1, 12);
    }
  });
});

describe("round", () => {
  it("puts every value on the 10^-d grid with the sum within n·½·10^-d of 1", () => {
    const rng = seededRng(5);
    for (const decimals of [0, 1, 2, 4]) {
      for (let i = 0; i < 300; i++) {
        const p = randomVector(rng, 7);
        const q = protectProbabilities(p, planOf(setting({ mode: "round", decimals, keep_top1: false })), rng);
        const f = 10 ** decimals;
        for (const v of q) expect(Math.abs(v * f - Math.round(v * f))).toBeLessThan(1e-9);
        expect(Math.abs(sum(q) - 1)).toBeLessThanOrEqual((7 * 0.5) / f + 1e-12);
      }
    }
  });

  it("keeps the arg-max unique on ties created by rounding", () => {
    const q = protectProbabilities([0.44, 0.46, 0.1], planOf(setting({ mode: "round", decimals: 0 })));
    expect(argmax(q)).toBe(1);
    expect(q).toEqual([0, 1, 0]);
  });
});

describe("reverse_sigmoid", () => {
  it("matches Lee et al.'s formula (values from an independent Python computation)", () => {
    const plan = planOf(setting({ mode: "reverse_sigmoid", beta: 1, gamma: 0.1, keep_top1: false }));
    const q = protectProbabilities([0.7, 0.2, 0.1], plan);
    [0.6355238073613384, 0.2196353785803839, 0.14484081405827764].forEach((v, i) => expect(q[i]).toBeCloseTo(v, 12));
    // Non-monotone: the smaller input becomes the larger output, which is what deceives a surrogate.
    const r = protectProbabilities([0.9, 0.05, 0.03, 0.02], plan);
    expect(r[3]).toBeGreaterThan(r[2] as number);
  });

  it("changes the probabilities but keeps the arg-max", () => {
    const rng = seededRng(13);
    const plan = planOf(setting({ mode: "reverse_sigmoid", beta: 1, gamma: 0.1 }));
    let changed = 0;
    for (let i = 0; i < 1000; i++) {
      const p = randomVector(rng, 10);
      const q = protectProbabilities(p, plan, rng);
      expect(argmax(q)).toBe(argmax(p));
      if (Math.max(...q.map((v, j) => Math.abs(v - (p[j] as number)))) > 0.02) changed++;
    }
    expect(changed).toBeGreaterThan(900);
  });
});

describe("plans", () => {
  it("none and no setting change nothing", () => {
    const p = [0.2, 0.5, 0.3];
    expect(protectProbabilities(p, planOf(undefined))).toEqual(p);
    expect(protectProbabilities(p, planOf(setting({ mode: "none" })))).toEqual(p);
    expect(protectLogits([1, 2, 3], planOf(undefined))).toEqual([1, 2, 3]);
  });

  it("strengthen: the label and a keyed random rest, one decimal, keep_top1 forced on, for every setting", () => {
    const label = { steps: [{ mode: "label" }, { mode: "round", decimals: 1 }], keepTop1: true };
    expect(strengthen(undefined)).toEqual(label);
    expect(strengthen(setting({ mode: "top_k", k: 2, keep_top1: false }))).toEqual(label);
    expect(strengthen(setting({ mode: "gaussian", epsilon: 8 }))).toEqual(label);
    expect(planFor(setting({ mode: "round", decimals: 3 }), false).steps).toEqual([{ mode: "round", decimals: 3 }]);
  });

  it.each([
    ["rounded", { mode: "round", decimals: 2 }],
    ["noisy", { mode: "laplace", epsilon: 1 }],
  ] as const)("the degraded answer (%s model) says nothing of the true confidence or the runner-up", (_name, s) => {
    const rng = seededRng(23);
    const plan = strengthen(setting(s));
    let sameRunnerUp = 0;
    const pairs: Array<[number, number]> = [];
    for (let i = 0; i < 2000; i++) {
      const p = randomVector(rng, 10);
      const q = protectProbabilities(p, plan, rng);
      expect(argmax(q)).toBe(argmax(p));
      const second = (v: number[]) => v.map((x, j) => [x, j] as const).sort((a, b) => b[0] - a[0])[1]![1];
      if (second(q) === second(p)) sameRunnerUp++;
      pairs.push([Math.max(...p), Math.max(...q)]);
    }
    // Runner-up right about as often as chance (1 in 9, ties at one decimal included).
    expect(sameRunnerUp / 2000).toBeLessThan(0.2);
    const mean = (k: 0 | 1) => pairs.reduce((s, x) => s + x[k], 0) / pairs.length;
    const [ma, mb] = [mean(0), mean(1)];
    const cov = pairs.reduce((s, [a, b]) => s + (a - ma) * (b - mb), 0);
    const sd = (k: 0 | 1, m: number) => Math.sqrt(pairs.reduce((s, x) => s + (x[k] - m) ** 2, 0));
    expect(Math.abs(cov / (sd(0, ma) * sd(1, mb)))).toBeLessThan(0.1);
  });

  it("the degraded plan keeps labels and reveals less than the normal one", () => {
    const rng = seededRng(17);
    const normal = planFor(setting({ mode: "round", decimals: 3 }), false);
    const degraded = planFor(setting({ mode: "round", decimals: 3 }), true);
    let errNormal = 0;
    let errDegraded = 0;
    for (let i = 0; i < 500; i++) {
      const p = randomVector(rng, 5);
      const a = protectProbabilities(p, normal, rng);
      const b = protectProbabilities(p, degraded, rng);
      expect(argmax(b)).toBe(argmax(p));
      errNormal += a.reduce((s, v, j) => s + Math.abs(v - (p[j] as number)), 0);
      errDegraded += b.reduce((s, v, j) => s + Math.abs(v - (p[j] as number)), 0);
    }
    expect(errDegraded).toBeGreaterThan(20 * errNormal);
  });
});

describe("logits and tensors", () => {
  const plan: ProbabilityPlan = { steps: [{ mode: "round", decimals: 2 }], keepTop1: true };

  it("logits come back as log-probabilities of the protected softmax", () => {
    const out = protectLogits([2, 1, -1], plan);
    const probs = out.map(Math.exp);
    expect(probs[0]).toBeCloseTo(0.71, 12);
    expect(probs[1]).toBeCloseTo(0.26, 12);
    expect(probs[2]).toBeCloseTo(0.04, 12);
    expect(protectLogits([0, 30, 0], plan)[0]).toBe(-9999);
  });

  it("protects each row of a batch and binary single outputs", () => {
    const ROW = () => seededRng(1);
    const out = protectTensor([0.123, 0.877, 0.5555, 0.4445], [2, 2], "probabilities", plan, ROW);
    expect(out).toEqual([0.12, 0.88, 0.56, 0.44]);
    expect(protectTensor([0.8765], [1, 1], "probabilities", plan, ROW)).toEqual([0.88]);
    const logit = protectTensor([Math.log(0.8765 / 0.1235)], [1, 1], "logits", plan, ROW)[0] as number;
    expect(1 / (1 + Math.exp(-logit))).toBeCloseTo(0.88, 12);
    expect(() => protectTensor([1, 2, 3], [2, 2], "probabilities", plan, ROW)).toThrow(/malformed/);
  });

  it("promote makes a class the unique arg-max by a swap", () => {
    expect(promote([0.6, 0.3, 0.1], 2)).toEqual([0.1, 0.3, 0.6]);
    const tie = promote([0.5, 0.5], 1);
    expect(argmax(tie)).toBe(1);
  });
});
