import { describe, expect, it } from "vitest";
import { queueAnswer, takeAnswer, takeAnswers } from "../../../worker/extraction/answers";

describe("answer margins waiting for the next observation (worker/extraction/answers.ts)", () => {
  it("gives each batch to exactly one taker: the next observation, or its own timer", () => {
    const a = queueAnswer("o1", [0.1]);
    const b = queueAnswer("o1", [0.2, 0.3]);
    expect(takeAnswers("o1")).toEqual([[0.1], [0.2, 0.3]]);
    expect(takeAnswer("o1", a)).toBe(false);
    expect(takeAnswer("o1", b)).toBe(false);
    expect(takeAnswers("o1")).toEqual([]);
    const c = queueAnswer("o1", [0.4]);
    expect(takeAnswer("o1", c)).toBe(true);
    expect(takeAnswers("o1")).toEqual([]);
  });

  it("keeps objects apart, and past the per-object bound the oldest batch is left to its own timer", () => {
    const first = queueAnswer("o2", [1]);
    for (let i = 0; i < 64; i++) queueAnswer("o2", [i]);
    queueAnswer("o3", [9]);
    const taken = takeAnswers("o2");
    expect(taken).toHaveLength(64);
    expect(taken[0]).toEqual([0]);
    expect(takeAnswer("o2", first)).toBe(true);
    expect(takeAnswers("o3")).toEqual([[9]]);
  });
});
