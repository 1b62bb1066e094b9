/**
 * UTC calendar windows. Quotas reset at 00:00 UTC each day and on the first of each month
 * (CONTRACT §5: days are UTC dates `YYYY-MM-DD`), never on a rolling 24 h, so an operator can
 * say exactly which day a token was charged to.
 */

export interface Windows {
  /** `YYYY-MM-DDTHH:MM`, the current UTC minute (usage view only). */
  minute: string;
  /** `YYYY-MM-DD`. */
  day: string;
  /** `YYYY-MM`. */
  month: string;
}

// An admission asks for the windows several times in the same minute: format the date once per minute.
let last: { start: number; windows: Windows } | null = null;

export function windowsAt(nowMs: number): Windows {
  const start = nowMs - (((nowMs % 60_000) + 60_000) % 60_000);
  if (last?.start === start) return last.windows;
  const iso = new Date(nowMs).toISOString();
  const windows = Object.freeze({ minute: iso.slice(0, 16), day: iso.slice(0, 10), month: iso.slice(0, 7) });
  last = { start, windows };
  return windows;
}

export function dayKey(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10);
}

export function monthKey(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 7);
}

/** Start of the next UTC day, in ms. */
export function nextDayStart(nowMs: number): number {
  const d = new Date(nowMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1);
}

/** Start of the next UTC month, in ms (Date.UTC rolls month 12 over into January). */
export function nextMonthStart(nowMs: number): number {
  const d = new Date(nowMs);
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
}

/** Length of the UTC month containing `nowMs`, in seconds (the `w` of a monthly policy). */
export function monthSeconds(nowMs: number): number {
  const d = new Date(nowMs);
  return (nextMonthStart(nowMs) - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)) / 1000;
}

/** Whole seconds from `nowMs` until `untilMs`, at least 1 (a Retry-After of 0 invites a hot loop). */
export function secondsUntil(nowMs: number, untilMs: number): number {
  return Math.max(1, Math.ceil((untilMs - nowMs) / 1000));
}
