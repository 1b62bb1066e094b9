import { describe, expect, it } from "vitest";
import { nearest, store } from "../../../worker/extraction/neighbors";
import { DIMS } from "../../../worker/extraction/projection";
import { DUPLICATE_DISTANCE, KNN, MEMORY } from "../../../worker/extraction/params";
import { naturalInputs, project } from "./synthetic";

/** Every distance computed in full, then sorted: what the scan must return, bit for bit. */
function reference(memory: Float32Array, filled: number, v: readonly number[], k: number) {
  const d2: Array<{ s: number; slot: number }> = [];
  let duplicate = false;
  for (let slot = 0; slot < filled; slot++) {
    let s = 0;
    for (let j = 0; j < DIMS; j++) {
      const d = (memory[slot * DIMS + j] as number) - (v[j] as number);
      s += d * d;
    }
    if (s <= DUPLICATE_DISTANCE * DUPLICATE_DISTANCE) duplicate = true;
    else d2.push({ s, slot });
  }
  // Stable: among equal distances the earlier slot comes first, as in the scan.
  d2.sort((a, b) => a.s - b.s || a.slot - b.slot);
  const best = d2.slice(0, k);
  // A repeat is skipped by every caller whatever its distances: the scan stops at it and reports none.
  if (duplicate) return { duplicate, distances: [], nearestSlot: -1 };
  return { duplicate, distances: best.map((b) => Math.sqrt(b.s)), nearestSlot: best[0]?.slot ?? -1 };
}

describe("nearest (the neighbour scan that stops a slot once it cannot be among the k nearest)", () => {
  it("tells a repeat wherever it lies in the memory, also behind slots that end the partial sums early", () => {
    const rows = project(naturalInputs(MEMORY, 23));
    const memory = new Float32Array(MEMORY * DIMS);
    rows.forEach((v, slot) => store(memory, slot, v));
    for (const slot of [0, 1, KNN, KNN + 1, 500, MEMORY - 1]) {
      expect(nearest(memory, MEMORY, rows[slot]!, KNN)).toEqual({ duplicate: true, distances: [], nearestSlot: -1 });
      // Within the radius, not equal: still a repeat.
      const near = rows[slot]!.map((x, j) => (j === 3 ? x + DUPLICATE_DISTANCE / 2 : x));
      expect(nearest(memory, MEMORY, near, KNN).duplicate).toBe(true);
      // Only the slots before it: not a repeat of anything there.
      expect(nearest(memory, slot, rows[slot]!, KNN).duplicate).toBe(slot > 0 && reference(memory, slot, rows[slot]!, KNN).duplicate);
    }
  });

  it("returns exactly what a full scan returns: natural and random queries, repeats, ties, a part-filled memory", () => {
    const rows = project(naturalInputs(MEMORY + 300, 17));
    const memory = new Float32Array(MEMORY * DIMS);
    rows.slice(0, MEMORY).forEach((v, slot) => store(memory, slot, v));
    let seed = 7;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const queries = [
      ...rows.slice(MEMORY), // natural, unseen
      ...rows.slice(0, 40), // repeats of remembered queries
      ...Array.from({ length: 100 }, () => Array.from({ length: DIMS }, () => rnd() * 2 - 1)), // far from everything
      ...rows.slice(0, 40).map((v) => v.map((x, j) => (j === DIMS - 1 ? x + 1e-3 : x))), // one step, in the last dimension only
    ];
    for (const filled of [3, 20, MEMORY]) {
      for (const q of queries) expect(nearest(memory, filled, q, KNN)).toEqual(reference(memory, filled, q, KNN));
    }
    // Ties: two slots at the same distance keep the earlier one first.
    const tie = new Float32Array(8 * DIMS);
    for (let slot = 0; slot < 8; slot++) store(tie, slot, Array.from({ length: DIMS }, (_, j) => (j === 0 ? (slot % 2 ? 1 : -1) : 0)));
    expect(nearest(tie, 8, new Array(DIMS).fill(0), KNN)).toEqual(reference(tie, 8, new Array(DIMS).fill(0), KNN));
  });
});
