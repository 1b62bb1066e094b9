/**
 * scoreTexts packs each batch into buffers lent by a per-isolate pool (worker/screen/batch.ts,
 * packPooled) instead of two fresh typed arrays: the packed inputs must be pack()'s bit for bit,
 * whatever a reused buffer held before (its padding is written again), a batch must own its
 * buffers until released, and the pool must stay small.
 */
import { describe, expect, it } from "vitest";
import { rng } from "../../helpers/featurizer-reference";
import { pack, packPooled, pooledBuffers } from "../../../worker/screen/batch";
import { screeningWindows, type SparseVector } from "../../../worker/screen/featurize";

/** Windows of random lengths (0 included) with random entries, none of them zero. */
function windows(r: () => number, rows: number, maxWidth: number): SparseVector[] {
  return Array.from({ length: rows }, () => {
    const n = Math.floor(r() * (maxWidth + 1));
    return { indices: Int32Array.from({ length: n }, () => 1 + Math.floor(r() * 65535)), values: Float32Array.from({ length: n }, () => r() - 1.5) };
  });
}

const same = (a: { indices: Int32Array; values: Float32Array; rows: number; width: number }, b: typeof a) =>
  expect({ rows: a.rows, width: a.width, indices: Array.from(a.indices), values: Array.from(a.values) }).toEqual({ rows: b.rows, width: b.width, indices: Array.from(b.indices), values: Array.from(b.values) });

describe("pooled packing", () => {
  it("is pack() bit for bit on batches of every shape, buffers reused from larger and smaller batches", () => {
    const r = rng(5);
    for (let n = 0; n < 400; n++) {
      const ws = windows(r, n % 9 === 0 ? 0 : 1 + Math.floor(r() * 40), [1, 8, 300, 700][n % 4]!);
      const batch = packPooled(ws);
      same(batch, pack(ws));
      batch.release();
    }
    for (const text of ["short text to screen", "a longer text\nwith lines\n".repeat(80), "x y ".repeat(3000)]) {
      const ws = screeningWindows(text);
      const batch = packPooled(ws);
      same(batch, pack(ws));
      batch.release();
    }
  });

  it("lends a batch's buffers to no other batch before it is released", () => {
    const r = rng(9);
    const a = windows(r, 20, 300);
    const b = windows(r, 20, 300);
    const first = packPooled(a);
    const second = packPooled(b);
    expect(second.indices.buffer).not.toBe(first.indices.buffer);
    same(first, pack(a));
    first.release();
    first.release(); // twice: given back once
    second.release();
    expect(pooledBuffers().length).toBeLessThanOrEqual(4);
    const third = packPooled(a);
    const fourth = packPooled(a);
    expect(fourth.values.buffer).not.toBe(third.values.buffer);
    third.release();
    fourth.release();
  });

  it("keeps no buffer a very large batch grew", () => {
    const r = rng(2);
    packPooled(windows(r, 512, 1200)).release();
    expect(Math.max(0, ...pooledBuffers())).toBeLessThanOrEqual(1 << 16);
  });
});
