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
  const best: number[] = [];
  let nearestSlot = -1;
  let duplicate = false;
  for (let slot = 0; slot < filled; slot++) {
    const base = slot * DIMS;
    let s = 0;
    for (let j = 0; j < DIMS; j++) {
      const d = (memory[base + j] as number) - (v[j] as number);
      s += d * d;
    }
    const d = Math.sqrt(s);
    if (d <= DUPLICATE_DISTANCE) {
      duplicate = true;
      continue;
    }
    if (best.length < k || d < (best[best.length - 1] as number)) {
      let i = best.length < k ? best.length : k - 1;
      if (best.length < k) best.push(d);
      while (i > 0 && (best[i - 1] as number) > d) {
        best[i] = best[i - 1] as number;
        i--;
      }
      best[i] = d;
      if (i === 0) nearestSlot = slot;
    }
  }
  return { duplicate, distances: best, nearestSlot };
}

/** Writes `v` into `slot` of a flat memory. */
export function store(memory: Float32Array, slot: number, v: readonly number[]): void {
  memory.set(v, slot * DIMS);
}
