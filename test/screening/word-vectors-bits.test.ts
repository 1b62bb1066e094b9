/**
 * The pooled word vectors (worker/screen/vectors.ts) in workerd must be what training computed
 * in Node, bit for bit (test/vectors/word-vectors.json, wasm-models/word-vector-cases.ts: a small
 * table of the cases' words and every window the featurizer made with it).
 */
import { describe, expect, it } from "vitest";
import cases from "../vectors/word-vectors.json";
import { DIM, screeningWindows } from "../../worker/screen/featurize";
import { makeTable } from "../../worker/screen/vectors";

const { table } = cases;
const t = makeTable(table.id, Int32Array.from(table.hashes), Int8Array.from(table.codes), table.scales);
type Case = (typeof cases.cases)[number];
const text = (c: Case) => {
  const units = (c as Record<string, unknown>).text_code_units as number[] | undefined;
  return units ? String.fromCharCode(...units) : (c as { text: string }).text;
};

describe("word-vector features (training side vs Worker)", () => {
  it("cover table words in most cases", () => {
    expect(cases.cases.filter((c) => c.windows.some((w) => w.indices.some((i) => i >= DIM))).length).toBeGreaterThanOrEqual(12);
  });
  for (const c of cases.cases) {
    it(`reproduces "${c.name}" bit for bit`, () => {
      const windows = screeningWindows(text(c), t);
      expect(windows.map((w) => ({ indices: Array.from(w.indices), values: Array.from(w.values) }))).toEqual(c.windows);
    });
  }
});
