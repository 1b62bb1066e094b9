/**
 * Query volume over sliding windows, kept as counts per UTC minute for the last hour (at most 60
 * entries). Rows of a batch count one by one: a 4096-row request is 4096 queries.
 */
export const MINUTE_MS = 60_000;
const HOUR_MINUTES = 60;

export class Volume {
  readonly minutes: Map<number, number>;

  constructor(entries: Iterable<[number, number]> = []) {
    this.minutes = new Map(entries);
  }

  add(queries: number, nowMs: number): number {
    const minute = Math.floor(nowMs / MINUTE_MS);
    const n = (this.minutes.get(minute) ?? 0) + queries;
    this.minutes.set(minute, n);
    for (const m of this.minutes.keys()) if (m <= minute - HOUR_MINUTES) this.minutes.delete(m);
    return minute;
  }

  /** Queries in the last `minutes` minutes, the current one included. */
  last(minutes: number, nowMs: number): number {
    const now = Math.floor(nowMs / MINUTE_MS);
    let n = 0;
    for (const [m, c] of this.minutes) if (m > now - minutes) n += c;
    return n;
  }

  /** Minutes older than the hour, for the caller to delete from storage. */
  expired(nowMs: number): number {
    return Math.floor(nowMs / MINUTE_MS) - HOUR_MINUTES;
  }
}
