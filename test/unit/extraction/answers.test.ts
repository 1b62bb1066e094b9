import { describe, expect, it } from "vitest";
import { queueAnswer, takeAnswers, timerFired } from "../../../worker/extraction/answers";

describe("answer margins waiting for the next observation (worker/extraction/answers.ts)", () => {
  it("gives each batch to exactly one taker: the next observation, or the object's timer", () => {
    expect(queueAnswer("o1", [0.1])).toBe(true); // the first starts the timer
    expect(queueAnswer("o1", [0.2, 0.3])).toBe(false); // later ones join it
    expect(takeAnswers("o1")).toEqual([[0.1], [0.2, 0.3]]);
    expect(takeAnswers("o1")).toEqual([]);
    expect(queueAnswer("o1", [0.4])).toBe(false); // the timer is still on its way
    expect(timerFired("o1")).toEqual([[0.4]]);
    expect(takeAnswers("o1")).toEqual([]);
    expect(queueAnswer("o1", [0.5])).toBe(true); // fired: the next batch starts a new one
    expect(timerFired("o1")).toEqual([[0.5]]);
    expect(timerFired("o1")).toEqual([]);
  });

  it("keeps objects apart", () => {
    queueAnswer("o2", [1]);
    queueAnswer("o3", [9]);
    expect(takeAnswers("o3")).toEqual([[9]]);
    expect(timerFired("o2")).toEqual([[1]]);
    expect(timerFired("o3")).toEqual([]);
  });
});
