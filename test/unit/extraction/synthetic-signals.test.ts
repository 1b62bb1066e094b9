import { describe, expect, it } from "vitest";
import { rowUniformity, uniformRows } from "../../../worker/extraction/synthetic";
import { farRows } from "../../../worker/extraction/far";
import { PrincipalSignals, NO_TENANT_VIEW } from "../../../worker/extraction/principal";
import { TenantSignals } from "../../../worker/extraction/tenant";
import { observeStep } from "../../../worker/extraction/observe";
import { NORMAL, DEFAULT_EXTRACTION_POLICY } from "../../../worker/extraction/state";
import { SUSTAINED_ROWS } from "../../../worker/extraction/params";
import { fingerprintStats, fingerprintZ, SELF_FAR_Z } from "../../../worker/extraction/self-reference";
import { generateDigits } from "../../../scripts/demo-origin/digits.mjs";
import { oipQueryFeatures } from "../../../worker/extraction/features";
import { seededRng } from "../../../worker/protect/random";
import type { Model } from "../../../worker/config/model";

const INPUTS = [{ name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 }] as Model["inputs"];
const model = { inputs: INPUTS } as unknown as Model;
const request = (rows: number[][]) => ({ inputs: [{ name: "input-0", datatype: "FP32" as const, shape: [rows.length, 64], data: rows.flat() }] });
function uniform(n: number, seed: number): number[][] {
  const rng = seededRng(seed);
  return Array.from({ length: n }, () => Array.from({ length: 64 }, () => Math.round(rng() * 1600) / 100));
}
const digits = (n: number, seed: number) => generateDigits({ n, seed }).X as number[][];
const fp = (rows: number[][]) => oipQueryFeatures(request(rows), INPUTS, seededRng(1)).features;
const T = Date.UTC(2026, 0, 1, 12);

describe("rows uniform over the declared range", () => {
  it("tells uniform rows from natural digits, needs a declared range and wide rows", () => {
    expect(rowUniformity(uniform(1, 3)[0]!.map((v) => v / 16))).toBeLessThan(0.2);
    expect(rowUniformity(digits(1, 5)[0]!.map((v) => v / 16))).toBeGreaterThan(0.3);
    expect(uniformRows(request(uniform(40, 1)), INPUTS)!.uniform).toBeGreaterThanOrEqual(36);
    expect(uniformRows(request(digits(200, 9)), INPUTS)!.uniform).toBe(0);
    expect(uniformRows(request(uniform(4, 1)), [{ name: "input-0", datatype: "FP32", shape: [-1, 64] }] as Model["inputs"])).toBeNull();
    // Without any reference statistics farRows still reports the uniform rows.
    expect(farRows(request(uniform(10, 2)), model)).toMatchObject({ far: 0, of: 0, uniformOf: 10 });
    expect(farRows(request(uniform(10, 2)), model)!.uniform).toBeGreaterThanOrEqual(8);
  });
});

describe("sustained synthetic evidence", () => {
  it("degrades a uniform-query principal within 40 rows and blocks it after SUSTAINED_ROWS more, without any reference", () => {
    const p = new PrincipalSignals();
    let standing = NORMAL;
    let degradedAt = -1;
    let blockedAt = -1;
    let sent = 0;
    for (let r = 0; r < 60 && blockedAt < 0; r++) {
      const rows = uniform(10, 100 + r);
      const step = observeStep(p, standing, { vectors: fp(rows), queries: 10, nowMs: T + r * 1000, policy: DEFAULT_EXTRACTION_POLICY, view: NO_TENANT_VIEW, lastScore: 0, far: farRows(request(rows), model) });
      standing = step.standing;
      if (step.outcome.state === "blocked") blockedAt = sent;
      else sent += 10;
      if (step.outcome.state !== "normal" && degradedAt < 0) degradedAt = sent;
    }
    expect(degradedAt).toBeGreaterThan(0);
    expect(degradedAt).toBeLessThanOrEqual(40);
    expect(blockedAt).toBeGreaterThanOrEqual(SUSTAINED_ROWS);
    expect(blockedAt).toBeLessThanOrEqual(SUSTAINED_ROWS + 60);
  });

  it("never counts natural digits, however many", () => {
    const p = new PrincipalSignals();
    let standing = NORMAL;
    for (let r = 0; r < 100; r++) {
      const rows = digits(20, 1000 + r);
      const step = observeStep(p, standing, { vectors: fp(rows), queries: 20, nowMs: T + r * 1000, policy: DEFAULT_EXTRACTION_POLICY, view: NO_TENANT_VIEW, lastScore: 0, far: farRows(request(rows), model) });
      standing = step.standing;
      expect(step.outcome.state).toBe("normal");
    }
    expect(p.sustained).toBe(0);
  });
});

describe("the tenant's self-built reference", () => {
  it("puts natural digits near and uniform queries far", () => {
    const ref = fingerprintStats(fp(digits(800, 1)));
    const far = (rows: number[][]) => fp(rows).filter((v) => fingerprintZ(v, ref) > SELF_FAR_Z).length / rows.length;
    expect(far(digits(400, 2))).toBeLessThan(0.03);
    expect(far(uniform(400, 2))).toBeGreaterThan(0.5);
  });

  it("comes from established principals only and raises every key of a campaign spread over 10 keys", () => {
    const t = new TenantSignals();
    for (let i = 0; i < 5; i++) for (let r = 0; r < 8; r++) t.ingest(`key:benign-${i}`, fp(digits(20, 10 * i + r)), T, { state: "normal" });
    expect(t.stats()).not.toBeNull();
    // Ten keys, 30 uniform rows each: the uniform count arrives from each key's object.
    for (let round = 0; round < 3; round++)
      for (let k = 0; k < 10; k++) {
        const rows = uniform(10, 500 + 10 * k + round);
        t.ingest(`key:attacker-${k}`, fp(rows), T, { uniform: 10, uniformOf: 10, state: "normal" });
      }
    expect(t.assess().syntheticRows).toBeGreaterThanOrEqual(SUSTAINED_ROWS - 100);
    for (let k = 0; k < 10; k++) t.ingest(`key:attacker-${k}`, fp(uniform(10, 900 + k)), T, { uniform: 10, uniformOf: 10 });
    expect(t.assess().syntheticRows).toBeGreaterThanOrEqual(SUSTAINED_ROWS);
    for (let k = 0; k < 10; k++) expect(t.viewFor(`key:attacker-${k}`).cross).toBeGreaterThanOrEqual(0.9);
    for (let i = 0; i < 5; i++) expect(t.viewFor(`key:benign-${i}`).cross).toBeLessThan(0.6);
  });
});
