import type { BudgetCall, BudgetOutcome } from "../../durable-objects/budget";
import type { BudgetStub } from "../clients/budget";

/**
 * Single-flight settlements to a principal's budget object, per isolate (issue 11: the budget
 * RPCs' fixed cost under concurrency). When no settlement from this isolate is in flight to the
 * object, one goes at once, alone, as it always did. While one is in flight, later settlements
 * queue; when it returns, everything queued goes as ONE `batch` call, oldest first, which the
 * object runs in order in one event, exactly as separate calls (durable-objects/budget-principal.ts
 * `batch`). A settlement is off the request's critical path (its reply goes to waitUntil), so
 * nobody waits for a queued one: the caller that owns the flight sends it, from its own request
 * context (its waitUntil covers the drain), and runs each settlement's `after` when its call ends.
 *
 * Why not acquisitions too: an admission's answer must reach its own request, and handing it over
 * from the owner's context does not work in workerd — the waiting request's continuation then runs
 * in the owner's request, and its next I/O fails ("Cannot perform I/O on behalf of a different
 * request", seen at the origin fetch's AbortSignal.any over the client's signal; the same finding
 * as worker/extraction/observe-batch.ts). A waiting request with nothing of its own pending is
 * also cancelled as hung. Settlements need no answer delivered, so they batch freely.
 *
 * A call (alone or batch) that fails is tried once more; then each of its settlements' `after`
 * gets the error and the lease is left to its expiry (docs/budgets.md, "What a crash can lose").
 * A flight in the air longer than STALE_MS (its owner's context ended under it) is taken over by
 * the next settlement, queue included. The queue holds at most MAX_QUEUED settlements per object;
 * past it the oldest are given up (their `after` gets the error; their leases expire).
 */

/** Settlements one batch carries at most; the rest go in the next batch. */
export const MAX_BATCH = 64;
/** Settlements queued per object at most (an unreachable object); past it the oldest are given up. */
export const MAX_QUEUED = 1024;
/** A call in the air longer than this is presumed lost with its owner's context: the next settlement takes the flight over. */
export const STALE_MS = 10_000;

export interface Settlement {
  leaseId: string;
  totalTokens: number | null;
  costMicro: number | null;
}

/** Runs when a settlement's call has ended: `err` when it failed twice (or was given up). Must do no I/O of the caller's request. */
export type After = (err: unknown) => void;

interface Queued {
  s: Settlement;
  after: After;
}

interface Flight {
  queue: Queued[];
  /** When the call in the air was sent (Date.now()). */
  sentMs: number;
}

const flights = new Map<string, Flight>();
/** Batches sent and settlements they carried, since the isolate started (tests; counting in benches). */
const counts = { batches: 0, batched: 0 };

export function batchCounts(): Readonly<typeof counts> {
  return { ...counts };
}

/**
 * Sends settlement `s` to `object` (its name). When nothing is in flight there, the caller owns
 * the flight: the returned promise covers its call and the drain after it (hand it to waitUntil).
 * Otherwise `s` is queued behind the call in the air and null is returned: the owner sends it.
 */
export function settleCall(object: string, stub: BudgetStub, s: Settlement, after: After): Promise<void> | null {
  const flight = flights.get(object);
  const now = Date.now();
  if (flight && now - flight.sentMs <= STALE_MS) {
    if (flight.queue.length >= MAX_QUEUED) flight.queue.shift()!.after(new Error("budget: settlement queue full"));
    flight.queue.push({ s, after });
    return null;
  }
  const owned: Flight = { queue: flight?.queue ?? [], sentMs: now };
  flights.set(object, owned);
  return (async () => {
    after(await twice(() => stub.settle(s.leaseId, s.totalTokens, s.costMicro)));
    await drain(object, owned, stub);
  })();
}

/** Runs `call`, once more if it fails; the error of the second failure, or undefined. */
export async function twice(call: () => Promise<unknown>): Promise<unknown> {
  try {
    await call();
    return undefined;
  } catch {
    try {
      await call();
      return undefined;
    } catch (err) {
      return err ?? new Error("budget: call failed");
    }
  }
}

async function drain(object: string, flight: Flight, stub: BudgetStub): Promise<void> {
  while (flight.queue.length > 0) {
    const batch = flight.queue.splice(0, MAX_BATCH);
    flight.sentMs = Date.now();
    counts.batches++;
    counts.batched += batch.length;
    const calls: BudgetCall[] = batch.map((q) => ({ op: "settle", ...q.s }));
    let outcomes: BudgetOutcome[] = [];
    const err = await twice(async () => {
      outcomes = await stub.batch(calls);
    });
    batch.forEach((q, i) => {
      const o = outcomes[i];
      q.after(err ?? (o?.op === "error" ? new Error(o.message) : undefined));
    });
    // Taken over while this batch was in the air: the new owner drains the rest.
    if (flights.get(object) !== flight) return;
  }
  flights.delete(object);
}
