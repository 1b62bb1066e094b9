/**
 * Nearest earlier queries. Memories are flat Float32Arrays of `slots × DIMS`; a search scans every
 * filled slot (1024 × 32 multiply-adds ≈ 30 µs), which is why memories are bounded. A repeat ends
 * the scan at the remembered query it repeats: every caller skips a repeat whatever its distances
 * (principal.ts, tenant.ts), and repeats are the common case of a client asking the same again.
 */
import { DIMS } from "./projection";
import { DUPLICATE_DISTANCE } from "./params";

export interface Neighbors {
  /** A remembered query lies within DUPLICATE_DISTANCE: this query is a repeat. */
  duplicate: boolean;
  /** The k smallest distances to non-duplicate remembered queries, ascending; empty for a repeat. */
  distances: readonly number[];
  /** Slot of the nearest non-duplicate query, or -1 (always for a repeat). */
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
  for (let slot = 0; slot < filled; slot++) {
    const base = slot * dims;
    let s = 0;
    // Partial distances (exact): a sum of squares only grows, so once it reaches the k-th best
    // (which is above the duplicate radius) the slot can neither be kept nor be a repeat. Checked
    // every 8 dimensions; most slots of a full memory stop after the first 8 or 16.
    for (let j = 0; j < dims; j += 8) {
      const end = j + 8 < dims ? j + 8 : dims;
      for (let i = j; i < end; i++) {
        const d = (memory[base + i] as number) - (q[i] as number);
        s += d * d;
      }
      if (s >= worst) break;
    }
    if (best.length === k && s >= worst) continue;
    // A repeat (the partial sums cannot have stopped it: the k-th best lies above the radius).
    if (s <= duplicate2) return REPEAT;
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
  return { duplicate: false, distances: best.map(Math.sqrt), nearestSlot };
}

/** What a repeat returns: shared, nothing to allocate. */
const REPEAT: Neighbors = Object.freeze({ duplicate: true, distances: Object.freeze([]), nearestSlot: -1 });

/** Writes `v` into `slot` of a flat memory. */
export function store(memory: Float32Array, slot: number, v: readonly number[]): void {
  memory.set(v, slot * DIMS);
}
