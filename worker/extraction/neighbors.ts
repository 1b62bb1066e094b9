/**
 * Nearest earlier queries. Memories are flat Float32Arrays of `slots × DIMS`; a search scans every
 * filled slot (1024 × 32 multiply-adds ≈ 30 µs), which is why memories are bounded.
 */
import { DIMS } from "./projection";
import { DUPLICATE_DISTANCE } from "./params";

export interface Neighbors {
  /** A remembered query lies within DUPLICATE_DISTANCE: this query is a repeat. */
  duplicate: boolean;
  /** The k smallest distances to non-duplicate remembered queries, ascending. */
  distances: number[];
  /** Slot of the nearest non-duplicate query, or -1. */
  nearestSlot: number;
}

export function nearest(memory: Float32Array, filled: number, v: readonly number[], k: number): Neighbors {
  const dims = DIMS; // a local: an imported binding read in a hot loop is 20× slower under tsx
  const q = Float64Array.from(v);
  const duplicate2 = DUPLICATE_DISTANCE * DUPLICATE_DISTANCE;
  // Squared distances throughout; square roots only for the k kept.
  const best: number[] = [];
  let worst = Infinity;
  let nearestSlot = -1;
  let duplicate = false;
  // The first 16 coordinates of the query in locals, their terms written out: most slots of a
  // full memory stop after 8 or 16 (below), and this halves the scan's time (same sums, same order).
  const unrolled = dims === 32 && q.length === dims;
  const q0 = q[0]!, q1 = q[1]!, q2 = q[2]!, q3 = q[3]!, q4 = q[4]!, q5 = q[5]!, q6 = q[6]!, q7 = q[7]!;
  const q8 = q[8]!, q9 = q[9]!, q10 = q[10]!, q11 = q[11]!, q12 = q[12]!, q13 = q[13]!, q14 = q[14]!, q15 = q[15]!;
  for (let slot = 0; slot < filled; slot++) {
    const base = slot * dims;
    let s = 0;
    // Partial distances (exact): a sum of squares only grows, so once it reaches the k-th best
    // (which is above the duplicate radius) the slot can neither be kept nor be a repeat. Checked
    // every 8 dimensions; most slots of a full memory stop after the first 8 or 16.
    let j = 0;
    if (unrolled) {
      let d = memory[base]! - q0;
      s += d * d;
      d = memory[base + 1]! - q1;
      s += d * d;
      d = memory[base + 2]! - q2;
      s += d * d;
      d = memory[base + 3]! - q3;
      s += d * d;
      d = memory[base + 4]! - q4;
      s += d * d;
      d = memory[base + 5]! - q5;
      s += d * d;
      d = memory[base + 6]! - q6;
      s += d * d;
      d = memory[base + 7]! - q7;
      s += d * d;
      j = 8;
      if (s < worst) {
        d = memory[base + 8]! - q8;
        s += d * d;
        d = memory[base + 9]! - q9;
        s += d * d;
        d = memory[base + 10]! - q10;
        s += d * d;
        d = memory[base + 11]! - q11;
        s += d * d;
        d = memory[base + 12]! - q12;
        s += d * d;
        d = memory[base + 13]! - q13;
        s += d * d;
        d = memory[base + 14]! - q14;
        s += d * d;
        d = memory[base + 15]! - q15;
        s += d * d;
        j = 16;
      }
    }
    if (s < worst) {
      for (; j < dims; j += 8) {
        const end = j + 8 < dims ? j + 8 : dims;
        for (let i = j; i < end; i++) {
          const d = (memory[base + i] as number) - (q[i] as number);
          s += d * d;
        }
        if (s >= worst) break;
      }
    }
    if (best.length === k && s >= worst) continue;
    if (s <= duplicate2) {
      duplicate = true;
      continue;
    }
    let i = best.length;
    if (i < k) best.push(s);
    else i = k - 1;
    while (i > 0 && (best[i - 1] as number) > s) {
      best[i] = best[i - 1] as number;
      i--;
    }
    best[i] = s;
    if (i === 0) nearestSlot = slot;
    if (best.length === k) worst = best[k - 1] as number;
  }
  return { duplicate, distances: best.map(Math.sqrt), nearestSlot };
}

/** Writes `v` into `slot` of a flat memory. */
export function store(memory: Float32Array, slot: number, v: readonly number[]): void {
  memory.set(v, slot * DIMS);
}
