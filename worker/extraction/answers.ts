/**
 * Margins of answers (boundary probing, features.ts outputMargins) this isolate has not yet given
 * to the principal's SignalsObject. They ride on the principal's next `observe` from this isolate
 * (taken when it is queued, observe-batch.ts, so a coalesced batch keeps them before its queries),
 * which records them before the new queries: the object sees the same sequence as when each
 * answer's margins went as a call of their own right after the answer (the next request's
 * observation comes after that answer), and the request saves a round trip (issue 11). What no
 * observation took within ANSWERS_CARRY_MS goes as one `recordAnswer` per principal, from one
 * timer per principal and isolate (a timer per request cost about half the call it saved), once no
 * observation of the principal is in flight from the isolate (they carry earlier margins: a call of
 * the timer's own would overtake them; seen under load as a boundary window out of order).
 *
 * Each batch goes exactly once: whoever takes it (an observation, or the timer) removes it, so
 * margins are never counted twice; a call that then fails loses them (the signal is advisory).
 */
export const ANSWERS_CARRY_MS = 1_000;

/** Batches per principal's object kept at most; past it the oldest are dropped (an unreachable object). */
const MAX_PER_OBJECT = 256;

interface Pending {
  batches: number[][];
  /** A timer is on its way for this object: later batches join it. */
  timer: boolean;
}

const pending = new Map<string, Pending>();

/**
 * Queues one answer's margins for `object` (a signals object's name). Returns true when the
 * caller must start the object's timer (none is on its way): after ANSWERS_CARRY_MS it sends what
 * `takeAnswers` then returns, if anything.
 */
export function queueAnswer(object: string, margins: number[]): boolean {
  let mine = pending.get(object);
  if (!mine) pending.set(object, (mine = { batches: [], timer: false }));
  if (mine.batches.length >= MAX_PER_OBJECT) mine.batches.shift();
  mine.batches.push(margins);
  if (mine.timer) return false;
  mine.timer = true;
  return true;
}

/** Takes every queued batch of `object`, oldest first: the caller sends them. */
export function takeAnswers(object: string): number[][] {
  const mine = pending.get(object);
  if (!mine || mine.batches.length === 0) return [];
  const out = mine.batches;
  mine.batches = [];
  if (!mine.timer) pending.delete(object);
  return out;
}

/** The object's timer fired: takes what is left for it to send, and lets the next batch start a timer. */
export function timerFired(object: string): number[][] {
  const mine = pending.get(object);
  if (!mine) return [];
  pending.delete(object);
  return mine.batches;
}
