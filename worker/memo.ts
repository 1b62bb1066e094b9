/**
 * A per-isolate memo of something derived from a key, bounded: past `max` entries it starts over.
 * For derivations that are pure and only cost time to redo (label keys, resource kinds, object
 * ids): starting over costs recomputations, never a wrong answer, and keeps memory bounded when
 * keys keep coming (many tenants or principals in one isolate).
 */
export function boundedMemo<K, V extends NonNullable<unknown>>(max: number): (key: K, derive: () => V) => V {
  const entries = new Map<K, V>();
  return (key, derive) => {
    let hit = entries.get(key);
    if (hit === undefined) {
      hit = derive();
      if (entries.size >= max) entries.clear();
      entries.set(key, hit);
    }
    return hit;
  };
}
