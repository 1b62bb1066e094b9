/**
 * Settlements this isolate has sent to a principal's budget object and not yet seen answered.
 *
 * A JSON answer goes out before its settlement is confirmed (docs/budgets.md): the settle call is
 * on its way first, but calls from different requests travel on different stubs, and workerd does
 * not order those. Seen under load: a client at max_concurrency 1 got its answer, sent the next
 * request at once, and that request's `acquire` reached the object before the settle did — 429
 * for a slot that was already free. So the next `acquire` from this isolate carries the
 * settlements still in flight and the object applies them first; the settle call that arrives
 * later finds its lease gone and changes nothing. A request that lands on another isolate does
 * not see them (the usual order still holds there almost always; the lease expiry bounds the rest).
 */
export interface PendingSettle {
  leaseId: string;
  totalTokens: number | null;
  costMicro: number | null;
}

/** Per object: more than this many unanswered settlements means the object is unreachable; the oldest are dropped (their leases expire). */
const MAX_PER_OBJECT = 64;
const pending = new Map<string, Map<string, PendingSettle>>();

/** Records a settlement about to be sent; call the returned function when its call has ended, either way. */
export function beginSettle(object: string, s: PendingSettle): () => void {
  let mine = pending.get(object);
  if (!mine) pending.set(object, (mine = new Map()));
  if (mine.size >= MAX_PER_OBJECT) mine.delete(mine.keys().next().value!);
  mine.set(s.leaseId, s);
  return () => {
    mine.delete(s.leaseId);
    if (mine.size === 0 && pending.get(object) === mine) pending.delete(object);
  };
}

/** The settlements to carry on the next call to `object`. */
export function pendingSettles(object: string): PendingSettle[] {
  const mine = pending.get(object);
  return mine ? [...mine.values()] : [];
}
