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

// The statuses of one admission ask for the bounds of the current day and month several times:
// compute them once per UTC day (a Date and Date.UTC calls each time otherwise).
let bounds: { dayStart: number; nextDay: number; monthStart: number; nextMonth: number } | null = null;

function boundsAt(nowMs: number): { dayStart: number; nextDay: number; monthStart: number; nextMonth: number } {
  if (bounds !== null && nowMs >= bounds.dayStart && nowMs < bounds.nextDay) return bounds;
  const d = new Date(nowMs);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  const b = {
    dayStart: Date.UTC(y, m, d.getUTCDate()),
    nextDay: Date.UTC(y, m, d.getUTCDate() + 1),
    monthStart: Date.UTC(y, m, 1),
    // Date.UTC rolls month 12 over into January.
    nextMonth: Date.UTC(y, m + 1, 1),
  };
  // A time Date cannot represent gives NaN bounds: answer it, never keep it.
  if (b.dayStart <= nowMs && nowMs < b.nextDay) bounds = b;
  return b;
}

/** Start of the next UTC day, in ms. */
export function nextDayStart(nowMs: number): number {
  return boundsAt(nowMs).nextDay;
}

/** Start of the next UTC month, in ms. */
export function nextMonthStart(nowMs: number): number {
  return boundsAt(nowMs).nextMonth;
}

/** Length of the UTC month containing `nowMs`, in seconds (the `w` of a monthly policy). */
export function monthSeconds(nowMs: number): number {
  const b = boundsAt(nowMs);
  return (b.nextMonth - b.monthStart) / 1000;
}

/** Whole seconds from `nowMs` until `untilMs`, at least 1 (a Retry-After of 0 invites a hot loop). */
export function secondsUntil(nowMs: number, untilMs: number): number {
  return Math.max(1, Math.ceil((untilMs - nowMs) / 1000));
}
