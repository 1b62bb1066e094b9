/**
 * Margins of answers (boundary probing, features.ts outputMargins) this isolate has not yet given
 * to the principal's SignalsObject. They ride on the principal's next `observe` from this isolate,
 * which records them before the new queries: the object sees the same sequence as when each
 * answer's margins went as a call of their own right after the answer (the next request's
 * observation comes after that answer), and the request saves a round trip (issue 11). Only
 * margins no observation took within ANSWERS_CARRY_MS are sent as a call of their own.
 *
 * Each batch goes exactly once: whoever takes it (an observation, or its own timer) removes it, so
 * margins are never counted twice; a call that then fails loses them (the signal is advisory).
 */
export const ANSWERS_CARRY_MS = 250;

/** Batches per principal's object kept at most; past it the oldest goes on its own timer alone. */
const MAX_PER_OBJECT = 64;

export interface AnswerBatch {
  margins: number[];
  taken: boolean;
}

const pending = new Map<string, AnswerBatch[]>();

/** Queues one answer's margins for `object` (a signals object's name). */
export function queueAnswer(object: string, margins: number[]): AnswerBatch {
  const batch: AnswerBatch = { margins, taken: false };
  let mine = pending.get(object);
  if (!mine) pending.set(object, (mine = []));
  if (mine.length >= MAX_PER_OBJECT) mine.shift();
  mine.push(batch);
  return batch;
}

/** Takes every queued batch of `object`, oldest first: the caller sends them. */
export function takeAnswers(object: string): number[][] {
  const mine = pending.get(object);
  if (!mine) return [];
  pending.delete(object);
  for (const b of mine) b.taken = true;
  return mine.map((b) => b.margins);
}

/** Takes one batch (its own timer fired); false when an observation already took it. */
export function takeAnswer(object: string, batch: AnswerBatch): boolean {
  if (batch.taken) return false;
  batch.taken = true;
  const mine = pending.get(object);
  const i = mine?.indexOf(batch) ?? -1;
  if (mine && i >= 0) {
    mine.splice(i, 1);
    if (mine.length === 0) pending.delete(object);
  }
  return true;
}
