import { describe, expect, it } from "vitest";
import {
  canonicalInput,
  decideLabel,
  labelWatermarkKey,
  verifyLabels,
  watermarkScores,
  type LabelWatermarkRecord,
} from "../../../worker/protect/label-watermark";
import { argmax } from "../../../worker/protect/probabilities";
import { seededRng, type Rng } from "../../../worker/protect/random";

const MASTER = new Uint8Array(32).map((_, i) => 255 - i);
const CLASSES = 10;
const randomInput = (rng: Rng): number[] => Array.from({ length: 16 }, () => Math.round((rng() * 4 - 2) * 1e4) / 1e4);
/** A stand-in "true model": a fixed function of the input. */
const trueTop = (x: number[]): number => Math.floor(Math.abs(x[0]! * 1000 + x[1]! * 7)) % CLASSES;

async function selections(key: CryptoKey, inputs: number[][], rate: number): Promise<Set<number>> {
  const out = new Set<number>();
  for (let i = 0; i < inputs.length; i++) {
    const x = inputs[i]!;
    if ((await decideLabel(key, x, CLASSES, trueTop(x), rate)).selected) out.add(i);
  }
  return out;
}

describe("canonicalInput", () => {
  it("agrees across float32/float64 spellings, -0, and key order", () => {
    expect(canonicalInput([0.1, 2.5])).toBe(canonicalInput([Math.fround(0.1), 2.5]));
    expect(canonicalInput([-0, 1])).toBe(canonicalInput([0, 1]));
    expect(canonicalInput({ b: 1, a: [2] })).toBe(canonicalInput({ a: [2], b: 1 }));
    expect(canonicalInput([0.1, 2.5])).not.toBe(canonicalInput([0.1001, 2.5]));
  });
});

describe("label watermark selection", () => {
  it("gives the same answer for the same input every time", async () => {
    const key = await labelWatermarkKey(MASTER, "t1", "digits", "key:a");
    const rng = seededRng(1);
    let seenSelected = 0;
    for (let i = 0; i < 2000; i++) {
      const x = randomInput(rng);
      const first = await decideLabel(key, x, CLASSES, trueTop(x), 0.05);
      for (let r = 0; r < 3; r++) expect(await decideLabel(key, x.map(Math.fround), CLASSES, trueTop(x), 0.05)).toEqual(first);
      if (first.selected) {
        seenSelected++;
        expect(first.label).not.toBe(trueTop(x));
        expect(first.label).toBeGreaterThanOrEqual(0);
        expect(first.label).toBeLessThan(CLASSES);
      } else expect(first.label).toBe(trueTop(x));
    }
    expect(seenSelected).toBeGreaterThan(0);
  });

  it("selects the configured fraction over 20,000 inputs (within 5 standard deviations)", async () => {
    const key = await labelWatermarkKey(MASTER, "t1", "digits", "key:a");
    const rng = seededRng(2);
    const inputs = Array.from({ length: 20_000 }, () => randomInput(rng));
    for (const rate of [0.005, 0.05]) {
      const observed = (await selections(key, inputs, rate)).size;
      const expected = rate * inputs.length;
      expect(Math.abs(observed - expected)).toBeLessThan(5 * Math.sqrt(expected * (1 - rate)));
    }
  });

  it("spreads substitutes over all other classes", async () => {
    const key = await labelWatermarkKey(MASTER, "t1", "digits", "key:a");
    const rng = seededRng(3);
    const counts = new Array<number>(CLASSES).fill(0);
    for (let i = 0; i < 3000; i++) {
      const d = await decideLabel(key, randomInput(rng), CLASSES, 4, 0.5);
      if (d.selected) counts[d.label]!++;
    }
    expect(counts[4]).toBe(0);
    for (const [c, n] of counts.entries()) if (c !== 4) expect(n).toBeGreaterThan(100); // ≈ 167 each
  });

  it("selects independently for different principals, models and tenants", async () => {
    const rng = seededRng(4);
    const inputs = Array.from({ length: 20_000 }, () => randomInput(rng));
    const a = await selections(await labelWatermarkKey(MASTER, "t1", "digits", "key:a"), inputs, 0.05);
    const others: Array<[string, string, string]> = [["t1", "digits", "key:b"], ["t1", "other-model", "key:a"], ["t2", "digits", "key:a"]];
    for (const [tenant, model, principal] of others) {
      const b = await selections(await labelWatermarkKey(MASTER, tenant, model, principal), inputs, 0.05);
      const overlap = [...a].filter((i) => b.has(i)).length;
      // Independent selections overlap in rate² · n = 50 inputs on average; identical ones in 1,000.
      expect(overlap).toBeLessThan(120);
    }
  });

  it("returns scores whose arg-max is the substitute, as a permutation of the originals", async () => {
    const key = await labelWatermarkKey(MASTER, "t1", "digits", "key:a");
    const rng = seededRng(5);
    let marked = 0;
    for (let i = 0; i < 300; i++) {
      const x = randomInput(rng);
      const scores = Array.from({ length: CLASSES }, () => rng());
      const r = await watermarkScores(key, x, scores, 0.3);
      expect([...r.scores].sort()).toEqual([...scores].sort());
      if (r.selected) {
        marked++;
        expect(argmax(r.scores)).toBe(r.label);
        expect(r.label).not.toBe(argmax(scores));
      } else expect(r.scores).toEqual(scores);
    }
    expect(marked).toBeGreaterThan(50);
  });
});

describe("verifyLabels", () => {
  async function recordsFor(principal: string, inputs: number[][]): Promise<LabelWatermarkRecord[]> {
    const key = await labelWatermarkKey(MASTER, "t1", "digits", principal);
    const records: LabelWatermarkRecord[] = [];
    for (const x of inputs) {
      const d = await decideLabel(key, x, CLASSES, trueTop(x), 0.01);
      if (d.selected) records.push({ principal, input: x, label: d.label });
    }
    return records;
  }

  it("attributes a copy that learned the watermark labels, not an independent model", async () => {
    const rng = seededRng(6);
    const inputs = Array.from({ length: 5000 }, () => randomInput(rng));
    const records = [...(await recordsFor("key:a", inputs)), ...(await recordsFor("key:b", inputs)), ...(await recordsFor("key:c", inputs))];
    const ofA = records.filter((r) => r.principal === "key:a");
    expect(ofA.length).toBeGreaterThan(25);

    // A surrogate trained on key:a's answers repeats 60% of its watermark labels, else the true top.
    const surrogate = records.map((r, i) => ({
      input: r.input,
      label: r.principal === "key:a" && i % 5 < 3 ? r.label : trueTop(r.input as number[]),
    }));
    const stolen = verifyLabels(surrogate, records, { classes: CLASSES });
    expect(stolen.attributed).toBe(true);
    expect(stolen.principal).toBe("key:a");
    expect(stolen.p_value).toBeLessThan(1e-6);
    expect(stolen.trials).toBe(ofA.length);

    // An independent model: accurate, or 30% wrong with random labels; never attributed.
    for (const errorRate of [0, 0.3]) {
      const r2 = seededRng(7);
      const independent = records.map((r) => ({
        input: r.input,
        label: r2() < errorRate ? Math.floor(r2() * CLASSES) : trueTop(r.input as number[]),
      }));
      const v = verifyLabels(independent, records, { classes: CLASSES });
      expect(v.attributed).toBe(false);
      expect(v.principal).toBeNull();
      expect(v.p_value).toBeGreaterThan(0.01);
    }
  });

  it("counts a repeated input once", async () => {
    const rng = seededRng(8);
    const records = await recordsFor("key:a", Array.from({ length: 2000 }, () => randomInput(rng)));
    const one = records[0]!;
    const repeated = Array.from({ length: 50 }, () => ({ input: one.input, label: one.label }));
    const v = verifyLabels(repeated, records, { classes: CLASSES });
    expect(v.trials).toBe(1);
    expect(v.matches).toBe(1);
    expect(v.attributed).toBe(false);
  });

  it("says nothing when no answer is on a recorded input", () => {
    expect(verifyLabels([{ input: [1, 2], label: 3 }], [], { classes: CLASSES })).toEqual({
      attributed: false,
      principal: null,
      day: null,
      p_value: 1,
      matches: 0,
      trials: 0,
    });
  });
});
