import { afterEach, describe, expect, it, vi } from "vitest";
import { DRAIN_MS, MAX_CALL_ROWS, MAX_QUEUED, STALE_MS, coalesce } from "../../../worker/extraction/observe-batch";

/** A send whose calls the test answers one at a time: `calls` records each batch and its dropped count. */
function sender() {
  const calls: Array<{ batch: number[]; dropped: number }> = [];
  const answers: Array<(ok: boolean) => void> = [];
  const send = (batch: number[], dropped: number) => {
    calls.push({ batch, dropped });
    return new Promise<void>((resolve, reject) => answers.push((ok) => (ok ? resolve() : reject(new Error("down")))));
  };
  /** Answers the oldest open call, then lets the drain take its next step. */
  const answer = async (ok = true) => {
    answers.shift()!(ok);
    for (let i = 0; i < 5; i++) await Promise.resolve();
  };
  return { calls, send, answer };
}

describe("single-flight coalescing of a principal's observations (worker/extraction/observe-batch.ts)", () => {
  afterEach(() => vi.useRealTimers());

  it("sends at once when idle, queues while a call is in flight, then sends the queue as one call, oldest first", async () => {
    const s = sender();
    const drain = coalesce("a", 1, 1, s.send);
    expect(drain).not.toBeNull();
    expect(s.calls).toEqual([{ batch: [1], dropped: 0 }]);
    expect(coalesce("a", 2, 1, s.send)).toBeNull();
    expect(coalesce("a", 3, 1, s.send)).toBeNull();
    expect(coalesce("b", 9, 1, s.send)).not.toBeNull(); // another object: its own flight
    await s.answer();
    expect(s.calls.map((c) => c.batch)).toEqual([[1], [9], [2, 3]]);
    await s.answer(); // b's
    await s.answer(); // a's batch: nothing queued, the flight ends
    await drain;
    expect(coalesce("a", 4, 1, s.send)).not.toBeNull(); // idle again: at once
    expect(s.calls.at(-1)).toEqual({ batch: [4], dropped: 0 });
    await s.answer();
  });

  it("goes on after a failed call: only that call's observations are lost", async () => {
    const s = sender();
    const drain = coalesce("f", 1, 1, s.send)!;
    coalesce("f", 2, 1, s.send);
    await s.answer(false);
    expect(s.calls.map((c) => c.batch)).toEqual([[1], [2]]);
    await s.answer();
    await drain;
  });

  it("bounds the queue: past MAX_QUEUED the oldest are dropped and the next call reports how many", async () => {
    const s = sender();
    const drain = coalesce("q", 0, 1, s.send)!;
    for (let i = 1; i <= MAX_QUEUED + 5; i++) coalesce("q", i, 1, s.send);
    await s.answer();
    const second = s.calls[1]!;
    expect(second.dropped).toBe(5);
    expect(second.batch.length).toBe(MAX_QUEUED);
    expect(second.batch[0]).toBe(6);
    expect(second.batch.at(-1)).toBe(MAX_QUEUED + 5);
    await s.answer();
    await drain;
  });

  it("splits what queued into calls of at most MAX_CALL_ROWS rows, in order", async () => {
    const s = sender();
    const drain = coalesce("r", 0, 1, s.send)!;
    const rows = MAX_CALL_ROWS / 4;
    for (let i = 1; i <= 6; i++) coalesce("r", i, rows, s.send);
    await s.answer();
    await s.answer();
    await s.answer();
    expect(s.calls.map((c) => c.batch)).toEqual([[0], [1, 2, 3, 4], [5, 6]]);
    await drain;
  });

  it("hands the flight to the next observation once its owner drained it for DRAIN_MS; the old owner stops after its call", async () => {
    vi.useFakeTimers();
    const s = sender();
    const old = coalesce("d", 1, 1, s.send)!;
    coalesce("d", 2, 1, s.send);
    await s.answer(); // the old owner sends [2]
    expect(s.calls.map((c) => c.batch)).toEqual([[1], [2]]);
    coalesce("d", 3, 1, s.send); // queued behind [2]
    vi.setSystemTime(Date.now() + DRAIN_MS + 1);
    // A new arrival takes the flight and the queue, and sends at once.
    const taker = coalesce("d", 4, 1, s.send);
    expect(taker).not.toBeNull();
    expect(s.calls.map((c) => c.batch)).toEqual([[1], [2], [3, 4]]);
    await s.answer(); // [2] returns: the old owner stops
    await old;
    coalesce("d", 5, 1, s.send); // queued behind the new owner's call
    await s.answer();
    expect(s.calls.map((c) => c.batch)).toEqual([[1], [2], [3, 4], [5]]);
    await s.answer();
    await taker;
  });

  it("lets the next observation take over a flight stuck longer than STALE_MS (its owner's context ended)", async () => {
    vi.useFakeTimers();
    const s = sender();
    coalesce("s", 1, 1, s.send); // never answered
    coalesce("s", 2, 1, s.send);
    vi.setSystemTime(Date.now() + STALE_MS + 1);
    // What queued behind the stuck call goes first, with this one, in the new owner's call.
    expect(coalesce("s", 3, 1, s.send)).not.toBeNull();
    expect(s.calls.map((c) => c.batch)).toEqual([[1], [2, 3]]);
  });
});
