import { describe, expect, it } from "vitest";
import { batchQuestions } from "../../../worker/pipeline/output-noise";
import { tensorRows } from "../../../worker/pipeline/infer-rows";
import { canonicalInput } from "../../../worker/protect/label-watermark";
import { flatten, type InferRequest } from "../../../worker/protocols/oip";
import { seededRng } from "../../../worker/protect/random";

/** canonicalInput as it was before its integer shortcut. */
function oldCanonicalValue(value: unknown): unknown {
  if (typeof value === "number") {
    if (!Number.isFinite(value)) return String(value);
    const rounded = Number(value.toPrecision(6));
    return rounded === 0 ? 0 : rounded;
  }
  if (Array.isArray(value)) return value.map(oldCanonicalValue);
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, oldCanonicalValue(v)]));
  }
  return value;
}
const oldCanonicalInput = (input: unknown): string => JSON.stringify(oldCanonicalValue(input)) ?? "null";

/** batchQuestions as it was before it shared the rows' canonical forms. */
function oldBatchQuestions(req: InferRequest): string[] | null {
  const inputs = req.inputs;
  const batch = inputs[0]?.shape[0];
  if (batch === undefined || batch <= 0) return null;
  const slices: Array<[string, unknown[][]]> = [];
  for (const t of [...inputs].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const values = flatten(t.data);
    if (t.shape[0] !== batch || values.length % batch !== 0) return null;
    const width = values.length / batch;
    slices.push([t.name, Array.from({ length: batch }, (_, i) => values.slice(i * width, (i + 1) * width))]);
  }
  return Array.from({ length: batch }, (_, i) => oldCanonicalInput(slices.map(([name, rows]) => [name, rows[i]])));
}

const rng = seededRng(new Uint8Array(32).fill(9));
const numbers = (n: number): unknown[] =>
  Array.from({ length: n }, (_, i) => {
    const r = rng();
    if (i % 11 === 0) return -0;
    if (i % 7 === 0) return Math.round((r - 0.5) * 4e6); // integers past 6 digits round
    if (i % 5 === 0) return Math.round(r * 17);
    if (i % 13 === 0) return 999_999.5;
    return (r - 0.5) * 10 ** Math.floor(r * 12 - 6);
  });

describe("OIP rows in canonical form, once per request", () => {
  it("gives every number the canonical value it had before the integer shortcut", () => {
    const edge = [0, -0, 1, -1, 999_999, -999_999, 1_000_000, -1_000_000, 1_234_567, 2 ** 53, 0.1, 1e-7, 123456.7, NaN, Infinity, -Infinity];
    for (const v of [...edge, ...numbers(5000)]) expect(canonicalInput([v])).toBe(oldCanonicalInput([v]));
    expect(canonicalInput({ b: [1, -0, { z: 2.0000001, a: "x" }], a: null })).toBe(oldCanonicalInput({ b: [1, -0, { z: 2.0000001, a: "x" }], a: null }));
  });

  it("writes the same batch questions as before, for one tensor and several, flat and nested", () => {
    const requests: InferRequest[] = [
      { inputs: [{ name: "input-0", datatype: "FP32", shape: [3, 4], data: numbers(12) }] },
      { inputs: [{ name: "b\"x", datatype: "FP32", shape: [2, 3], data: [numbers(3), numbers(3)] }, { name: "a", datatype: "INT64", shape: [2, 1], data: [7, -0] }] },
      { inputs: [{ name: "s", datatype: "BYTES", shape: [2], data: ["é", "\u2028"] }] },
      { inputs: [{ name: "x", datatype: "FP32", shape: [2, 2], data: numbers(4) }, { name: "y", datatype: "FP32", shape: [3, 1], data: numbers(3) }] },
      { inputs: [{ name: "x", datatype: "FP32", shape: [0, 2], data: [] }] },
    ];
    for (const req of requests) expect(batchQuestions(req)).toEqual(oldBatchQuestions(req));
    const rows = tensorRows(requests[0]!.inputs[0]!)!;
    expect(rows.rows).toHaveLength(3);
    expect(rows.canonical(2)).toBe(oldCanonicalInput(rows.rows[2]));
    expect(tensorRows(requests[0]!.inputs[0]!)).toBe(rows);
  });
});
