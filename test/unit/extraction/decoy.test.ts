import { describe, expect, it } from "vitest";
import { uniformItems } from "../../../worker/extraction/synthetic";
import { rowsPlan } from "../../../worker/extraction/decoy";
import { argmax, decoyPlan, planFor, protectTensor } from "../../../worker/protect/probabilities";
import { generateDigits } from "../../../scripts/demo-origin/digits.mjs";
import { seededRng } from "../../../worker/protect/random";
import type { Model } from "../../../worker/config/model";

const INPUTS = [{ name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 }] as Model["inputs"];
const request = (rows: number[][]) => ({ inputs: [{ name: "input-0", datatype: "FP32" as const, shape: [rows.length, 64], data: rows.flat() }] });
function uniform(n: number, seed: number): number[][] {
  const rng = seededRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: 64 }, () => Math.round(rng() * 1600) / 100));
}
const digits = (n: number, seed: number) => generateDigits({ n, seed }).X as number[][];
/** A confident answer for class 3 on every row. */
const answers = (rows: number) => Array.from({ length: rows }, () => [0.01, 0.01, 0.01, 0.91, 0.01, 0.01, 0.01, 0.01, 0.01, 0.01]).flat();

describe("the degraded answer's decoy for synthetic rows", () => {
  it("flags each uniform batch item, no natural digit, and nothing without a declared range", () => {
    const rows = [...digits(30, 4), ...uniform(30, 5)];
    const flags = uniformItems(request(rows), INPUTS)!;
    expect(flags.slice(0, 30).filter(Boolean)).toHaveLength(0);
    expect(flags.slice(30).filter(Boolean).length).toBeGreaterThanOrEqual(27);
    expect(uniformItems(request(rows), [{ name: "input-0", datatype: "FP32", shape: [-1, 64] }] as Model["inputs"])).toBeNull();
  });

  it("keeps the plan of a principal that is not degraded, and of a degraded one's natural rows", () => {
    const plan = planFor({ mode: "round", decimals: 1, keep_top1: true }, false);
    expect(rowsPlan(plan, false, request(uniform(5, 1)), INPUTS, 5)).toBe(plan);
    const degraded = planFor(undefined, true);
    expect(rowsPlan(degraded, true, request(digits(5, 1)), INPUTS, 5)).toBe(degraded);
  });

  it("answers a degraded principal's uniform rows with a keyed random label, its natural rows with the true one", () => {
    const rows = [...digits(20, 4), ...uniform(40, 6)];
    const plans = rowsPlan(planFor(undefined, true), true, request(rows), INPUTS, rows.length);
    expect(typeof plans).toBe("function");
    const out = protectTensor(answers(rows.length), [rows.length, 10], "probabilities", plans, (r) => seededRng(1000 + r));
    const labels = Array.from({ length: rows.length }, (_, r) => argmax(out.slice(r * 10, r * 10 + 10)));
    expect(labels.slice(0, 20).every((l) => l === 3)).toBe(true);
    // A random class over 10: about 4 of 40 land on the true one by chance.
    expect(labels.slice(20).filter((l) => l !== 3).length).toBeGreaterThanOrEqual(28);
    expect(new Set(labels.slice(20)).size).toBeGreaterThanOrEqual(6);
    // Same generator, same answer (keyed noise makes repeats and copies identical).
    expect(protectTensor(answers(rows.length), [rows.length, 10], "probabilities", plans, (r) => seededRng(1000 + r))).toEqual(out);
    expect(decoyPlan().keepTop1).toBe(false);
  });

  it("maps several output rows per batch item to their item", () => {
    const rows = [...digits(2, 4), ...uniform(2, 6)];
    const plans = rowsPlan(planFor(undefined, true), true, request(rows), INPUTS, rows.length * 3) as (r: number) => ReturnType<typeof decoyPlan>;
    const modes = Array.from({ length: 12 }, (_, r) => plans(r).steps[0]!.mode);
    expect(modes).toEqual([...Array(6).fill("label"), ...Array(6).fill("decoy")]);
  });
});
