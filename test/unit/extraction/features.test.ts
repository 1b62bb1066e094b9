import { describe, expect, it } from "vitest";
import { DIMS, distance, projectDense, projectSparse } from "../../../worker/extraction/projection";
import { MAX_ROWS_PER_REQUEST, oipQueryFeatures, outputMargins, sampleRows, textQueryFeatures, topTwoMargin } from "../../../worker/extraction/features";
import { gaussian, seededRng } from "../../../worker/protect/random";
import type { InferRequest } from "../../../worker/protocols/oip";

const SPEC = [{ name: "input-0", datatype: "FP32" as const, shape: [-1, 64], min: 0, max: 16 }];

function request(rows: number[][]): InferRequest {
  return { inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] };
}

describe("projection", () => {
  it("is linear, deterministic and agrees between dense and sparse forms", () => {
    const a = Array.from({ length: 64 }, (_, i) => Math.sin(i));
    const b = Array.from({ length: 64 }, (_, i) => Math.cos(3 * i));
    const pa = projectDense(a);
    const sum = projectDense(a.map((v, i) => 2 * v + (b[i] as number)));
    const pb = projectDense(b);
    expect(pa).toHaveLength(DIMS);
    sum.forEach((v, j) => expect(v).toBeCloseTo(2 * (pa[j] as number) + (pb[j] as number), 10));
    expect(projectSparse([3, 40], [0.5, -2])).toEqual(projectDense(Array.from({ length: 64 }, (_, i) => (i === 3 ? 0.5 : i === 40 ? -2 : 0))));
  });

  it("preserves distances on average (Johnson–Lindenstrauss)", () => {
    const rng = seededRng(3);
    const ratios: number[] = [];
    for (let k = 0; k < 200; k++) {
      const x = Array.from({ length: 64 }, () => gaussian(rng));
      const y = Array.from({ length: 64 }, () => gaussian(rng));
      ratios.push(distance(projectDense(x), projectDense(y)) / distance(x, y));
    }
    const mean = ratios.reduce((a, b) => a + b, 0) / ratios.length;
    expect(mean).toBeGreaterThan(0.9);
    expect(mean).toBeLessThan(1.1);
    expect(ratios.filter((r) => r < 0.6 || r > 1.4).length).toBeLessThan(10);
  });
});

describe("oipQueryFeatures", () => {
  it("gives one vector per row, scaled by the declared range", () => {
    const rows = [new Array(64).fill(16), new Array(64).fill(0)];
    const f = oipQueryFeatures(request(rows), SPEC);
    expect(f.queries).toBe(2);
    expect(f.features).toEqual([projectDense(new Array(64).fill(1)), projectDense(new Array(64).fill(0))]);
    // Without a declared range the raw values are used.
    expect(oipQueryFeatures(request(rows), undefined).features[0]).toEqual(projectDense(new Array(64).fill(16)));
  });

  it("samples large batches but counts every row", () => {
    const rows = Array.from({ length: 1000 }, (_, i) => new Array(64).fill(i % 17));
    const f = oipQueryFeatures(request(rows), SPEC, seededRng(1));
    expect(f.queries).toBe(1000);
    expect(f.features).toHaveLength(MAX_ROWS_PER_REQUEST);
    const picked = sampleRows(1000, 256, seededRng(9));
    expect(new Set(picked).size).toBe(256);
    expect(picked.every((i) => i >= 0 && i < 1000)).toBe(true);
    expect(sampleRows(5, 256, seededRng(9))).toEqual([0, 1, 2, 3, 4]);
  });

  it("reads nested data and ignores BYTES inputs", () => {
    const nested: InferRequest = { inputs: [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: [new Array(64).fill(8)] }, { name: "note", datatype: "BYTES", shape: [1], data: ["hi"] }] };
    expect(oipQueryFeatures(nested, SPEC).features).toEqual([projectDense(new Array(64).fill(0.5))]);
  });
});

describe("textQueryFeatures", () => {
  it("gives unit vectors; the same text maps to the same point and different texts apart", () => {
    const f = textQueryFeatures(["What is the capital of France?", "What is the capital of France?", "Write a poem about the sea and its colours."]);
    expect(f.features).toHaveLength(3);
    for (const v of f.features) expect(Math.hypot(...v)).toBeCloseTo(1, 6);
    expect(distance(f.features[0]!, f.features[1]!)).toBe(0);
    expect(distance(f.features[0]!, f.features[2]!)).toBeGreaterThan(0.5);
    expect(textQueryFeatures(["", "   "]).features).toHaveLength(0);
  });
});

describe("margins", () => {
  it("measures the gap between the two most likely classes", () => {
    expect(topTwoMargin([0.1, 0.6, 0.3])).toBeCloseTo(0.3, 12);
    expect(topTwoMargin([1])).toBe(1);
    expect(outputMargins([0.5, 0.45, 0.05, 0.9, 0.05, 0.05], [2, 3], "probabilities").map((m) => +m.toFixed(6))).toEqual([0.05, 0.85]);
    expect(outputMargins([0, 0], [1, 2], "logits")).toEqual([0]);
    expect(outputMargins([0.75], [1, 1], "probabilities")).toEqual([0.5]);
    expect(outputMargins([1, 2, 3], [2, 2], "probabilities")).toEqual([]);
  });
});
