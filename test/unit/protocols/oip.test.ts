import { describe, expect, it } from "vitest";
import { checkInputs, flatten, inferTexts } from "../../../worker/protocols/oip";

const spec = [{ name: "x", datatype: "INT8" as const, shape: [-1, 2], min: [0, -5], max: [10, 5] }];
const req = (data: unknown[], shape = [1, 2], datatype = "INT8") => ({ inputs: [{ name: "x", datatype, shape, data }] });

describe("OIP input checks", () => {
  it("flattens nested row-major data", () => {
    expect(flatten([[1, 2], [3, 4]])).toEqual([1, 2, 3, 4]);
    expect(flatten([[[1], [2]], [[3], [4]]])).toEqual([1, 2, 3, 4]);
  });

  it("accepts valid data and per-feature bounds", () => {
    expect(() => checkInputs(req([10, -5]), spec)).not.toThrow();
    expect(() => checkInputs(req([[0, 5], [1, 1]], [2, 2]), spec)).not.toThrow();
  });

  it.each([
    ["count", req([1]), ],
    ["integer range", req([1, 200])],
    ["fraction in an integer type", req([1.5, 0])],
    ["per-feature min", req([0, -6])],
    ["per-feature max", req([11, 0])],
    ["datatype", req([1, 1], [1, 2], "FP32")],
    ["shape", req([1, 1, 1], [1, 3])],
    ["NaN-like", req([null, 1])],
  ])("refuses a bad %s", (_what, r) => {
    expect(() => checkInputs(r as never, spec)).toThrowError();
  });

  it("reads BYTES inputs as text to screen", () => {
    expect(inferTexts({ inputs: [{ name: "t", datatype: "BYTES", shape: [2], data: ["a", "b"] }, { name: "n", datatype: "FP32", shape: [1], data: [1] }] })).toEqual(["a", "b"]);
  });
});
