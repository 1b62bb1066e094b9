/**
 * Round 17's source-bagged average (wasm-models/lib/model-average.ts): K logistic models become
 * one whose logit is the mean of theirs on every input, so the bagged model ships in the same
 * ONNX graph. Checked on the logit, the property the averaging exists for.
 */
import { describe, expect, it } from "vitest";
import { averageModels, type LinearModel } from "../../../wasm-models/lib/model-average";

const model = (weights: number[], bias: number): LinearModel => ({ weights: Float64Array.from(weights), bias });
const logit = (m: LinearModel, x: Array<[number, number]>) => x.reduce((z, [i, v]) => z + m.weights[i]! * v, m.bias);

describe("averageModels (round 17)", () => {
  const models = [model([1, -2, 0.5, 4], 0.3), model([3, 0, -1.5, 0], -1.2), model([-0.5, 6, 2, 1], 2.4)];

  it("gives the mean of the models' logits on any sparse input", () => {
    const avg = averageModels(models);
    for (const x of [[[0, 1]], [[1, 0.5], [3, -2]], [[0, 1], [1, 1], [2, 1], [3, 1]], []] as Array<Array<[number, number]>>) {
      const mean = models.reduce((s, m) => s + logit(m, x), 0) / models.length;
      expect(logit(avg, x)).toBeCloseTo(mean, 12);
    }
    expect(avg.bias).toBeCloseTo(0.5, 12);
    expect(Array.from(avg.weights)).toEqual([1.1666666666666667, 1.3333333333333333, 0.3333333333333333, 1.6666666666666667]);
  });

  it("returns one model unchanged and leaves its inputs alone", () => {
    const one = averageModels([models[0]!]);
    expect(Array.from(one.weights)).toEqual([1, -2, 0.5, 4]);
    expect(one.bias).toBe(0.3);
    expect(one.weights).not.toBe(models[0]!.weights);
    expect(Array.from(models[1]!.weights)).toEqual([3, 0, -1.5, 0]);
  });

  it("refuses no models and models of different dimensions", () => {
    expect(() => averageModels([])).toThrow(/no models/);
    expect(() => averageModels([model([1, 2], 0), model([1], 0)])).toThrow(/dimensions/);
  });
});
