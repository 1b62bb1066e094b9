/**
 * Single-flight coalescing of a principal's observations, per isolate (issue 11, CPU per
 * request): each `observe` RPC costs the Worker 0.05–0.09 ms and the object its dispatch and a
 * write-behind turn. When no call to a principal's object is in flight from this isolate, an
 * observation goes at once, alone (no added latency when idle). While one is in flight, later
 * observations queue; when it returns, everything queued goes as ONE call, oldest first, and the
 * object runs them in that order exactly as separate calls (durable-objects/signals-principal.ts
 * `observeBatch`).
 *
 * The caller that finds nothing in flight owns the flight: it sends, then drains what queued
 * meanwhile, call after call, from its own request context (its waitUntil covers all of it), and
 * does what follows each call for every observation it carried. The queue is bounded (MAX_QUEUED,
 * oldest dropped and counted) and a call carries at most MAX_CALL_ROWS rows; a flight in the air
 * longer than STALE_MS (its owner's context ended under it), or drained by one owner longer than
 * DRAIN_MS, is taken over by the next caller. (Handing each batch to one of its own requests, by
 * resolving a promise it waits on, was tried: workerd ran the continuation in the resolver's
 * request, and the call failed, "Cannot perform I/O on behalf of a different request".)
 */

/** Observations queued per principal's object at most; past it the oldest are dropped (an unreachable or slow object). */
export const MAX_QUEUED = 256;
/** Rows (feature vectors) one call carries at most (always at least one observation); the rest wait for the next call. */
export const MAX_CALL_ROWS = 1024;
/** A flight in the air longer than this is presumed dead (its owner's context ended): the next observation takes over. */
export const STALE_MS = 30_000;
/**
 * An owner drains at most this long: past it the next observation takes the flight over (and the
 * queue), and the old owner stops after its call in the air. Under a principal's sustained burst no
 * request's context (waitUntil lives at most 30 s after the answer) carries the drain for long; when
 * no observation comes, the old owner goes on, and the queue then empties within a call or two.
 */
export const DRAIN_MS = 10_000;

interface Queued<T> {
  item: T;
  /** Rows the item carries (MAX_CALL_ROWS). */
  rows: number;
}

interface Flight<T> {
  queue: Queued<T>[];
  /** When its owner took it (Date.now()). */
  ownedMs: number;
  /** When the call in the air started (Date.now()). */
  sentMs: number;
  /** Dropped since the last call was sent (reported by the owner, once per call). */
  dropped: number;
}

const flights = new Map<string, Flight<unknown>>();

/**
 * Sends `batch` (oldest first) as one call and does what follows it for every item (audit,
 * budget object), from the owner's request context. `dropped` counts observations the queue let
 * go since the previous call, for the owner's log line. A rejection loses that batch only.
 */
export type Send<T> = (batch: T[], dropped: number) => Promise<void>;

/**
 * Observes `item` on `object` (a signals object's name). When nothing is in flight there, the
 * caller owns the flight: the item goes at once and the returned promise covers the whole drain
 * (hand it to waitUntil). Otherwise the item is queued behind the call in the air, and null is
 * returned: the owner sends it.
 */
export function coalesce<T>(object: string, item: T, rows: number, send: Send<T>): Promise<void> | null {
  const mine: Queued<T> = { item, rows };
  const flight = flights.get(object) as Flight<T> | undefined;
  const now = Date.now();
  if (flight && now - flight.sentMs <= STALE_MS && now - flight.ownedMs <= DRAIN_MS) {
    if (flight.queue.length >= MAX_QUEUED) {
      flight.queue.shift();
      flight.dropped++;
    }
    flight.queue.push(mine);
    return null;
  }
  // Nothing in the air, a dead owner's flight or one drained long enough by its owner: this caller
  // owns it (what queued there goes first: oldest first).
  const queue = flight?.queue ?? [];
  queue.push(mine);
  const owned: Flight<T> = { queue, ownedMs: now, sentMs: now, dropped: flight?.dropped ?? 0 };
  flights.set(object, owned as Flight<unknown>);
  return drain(object, owned, send);
}

async function drain<T>(object: string, flight: Flight<T>, send: Send<T>): Promise<void> {
  for (let batch = takeCall(flight.queue); batch.length > 0; batch = takeCall(flight.queue)) {
    const dropped = flight.dropped;
    flight.dropped = 0;
    flight.sentMs = Date.now();
    await send(batch, dropped).catch(() => undefined);
    // Taken over while this call was in the air (stale or DRAIN_MS): the new owner drains the queue.
    if (flights.get(object) !== flight) return;
  }
  flights.delete(object);
}

/**
 * Whether a live flight (a call in the air, or queued observations its owner will send) exists
 * for `object`: what rides on those observations was taken earlier than anything still pending,
 * so a call of its own must wait for them (worker/extraction/answers.ts, the margins' timer).
 */
export function inFlight(object: string): boolean {
  const flight = flights.get(object);
  if (!flight) return false;
  const now = Date.now();
  return now - flight.sentMs <= STALE_MS && now - flight.ownedMs <= DRAIN_MS;
}

/** The oldest queued items whose rows fit one call (at least one). */
function takeCall<T>(queue: Queued<T>[]): T[] {
  let rows = 0;
  let n = 0;
  while (n < queue.length && (n === 0 || rows + queue[n]!.rows <= MAX_CALL_ROWS)) rows += queue[n++]!.rows;
  return queue.splice(0, n).map((q) => q.item);
}
