import { describe, expect, it } from "vitest";
import { farRows } from "../../../worker/extraction/far";
import { PrincipalSignals, NO_TENANT_VIEW } from "../../../worker/extraction/principal";
import { referenceStats } from "../../../worker/anomaly/reference";
import { generateDigits } from "../../../scripts/demo-origin/digits.mjs";
import type { Model } from "../../../worker/config/model";

const reference = { input: "input-0", ...referenceStats(generateDigits({ n: 500, seed: 1 }).X) };
const model = { anomaly: { mode: "monitor", threshold: 4, reference } } as unknown as Model;
const request = (rows: number[][]) => ({ inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] });
const uniform = (n: number) => Array.from({ length: n }, (_, i) => Array.from({ length: 64 }, (_, k) => ((i * 31 + k * 17) % 97) / 6));

describe("far from the reference data", () => {
  it("counts synthetic rows as far and natural ones as near, only with a reference", () => {
    expect(farRows(request(uniform(40)), model)).toEqual({ far: 40, of: 40, uniform: 0, uniformOf: 0 });
    expect(farRows(request(generateDigits({ n: 200, seed: 9 }).X), model)!.far).toBeLessThanOrEqual(3);
    expect(farRows(request(uniform(4)), {} as Model)).toBeNull();
    // Large batches are scored on a stride of at most 256 rows.
    expect(farRows(request(uniform(1000)), model)!.of).toBeLessThanOrEqual(256);
  });

  it("raises the far signal once its window holds enough rows, and clears with the windows", () => {
    const p = new PrincipalSignals();
    p.recordFar(60, 60);
    expect(p.assess(0, NO_TENANT_VIEW).signals.far).toBe(0);
    p.recordFar(60, 60);
    const a = p.assess(0, NO_TENANT_VIEW);
    expect(a.raw.far).toBe(1);
    expect(a.signals.far).toBe(1);
    expect(a.score).toBeGreaterThanOrEqual(0.6);
    p.clearWindows();
    expect(p.assess(0, NO_TENANT_VIEW).raw.far).toBeNull();
  });
});
