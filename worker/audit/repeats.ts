import { REPEAT_INTERVAL_MS } from "./entry";

/**
 * Which repeated entries to write: the first of a principal and repeat key in REPEAT_INTERVAL_MS,
 * then none until the interval has passed; the entries held back meanwhile are counted and
 * reported by the next one written. Held in memory by the audit object: an eviction loses only
 * a count, and the next entry after it is written.
 */
export class RepeatGate {
  readonly #seen = new Map<string, { lastMs: number; suppressed: number }>();

  /** `write: false` to drop the entry; otherwise how many were dropped since the last one written. */
  admit(principal: string | null, key: string, nowMs: number): { write: false } | { write: true; suppressed: number } {
    const id = `${principal ?? ""}\u0000${key}`;
    const seen = this.#seen.get(id);
    if (seen && nowMs - seen.lastMs < REPEAT_INTERVAL_MS) {
      seen.suppressed++;
      return { write: false };
    }
    if (this.#seen.size >= 10_000) this.#prune(nowMs);
    this.#seen.set(id, { lastMs: nowMs, suppressed: 0 });
    return { write: true, suppressed: seen?.suppressed ?? 0 };
  }

  /** Forgets keys whose interval has passed and whose count was nothing (nothing to report). */
  #prune(nowMs: number): void {
    for (const [id, s] of this.#seen) if (nowMs - s.lastMs >= REPEAT_INTERVAL_MS && s.suppressed === 0) this.#seen.delete(id);
  }
}
