import { describe, expect, it } from "vitest";
import { monthSeconds, nextDayStart, nextMonthStart } from "../../../worker/budget/windows";

/** The day and month bounds are kept per UTC day (windows.ts): every answer must match a fresh computation, in any call order. */
const fresh = (nowMs: number) => {
  const d = new Date(nowMs);
  const next = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  return {
    day: Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + 1),
    month: next,
    seconds: (next - Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)) / 1000,
  };
};

describe("day and month bounds kept per day", () => {
  it("match a fresh computation at day edges, month and year ends, leap days, and going back in time", () => {
    const times = [
      "2026-12-31T23:59:59.999Z", "2027-01-01T00:00:00.000Z", "2026-12-31T00:00:00.000Z", "2026-12-30T23:59:59.999Z",
      "2028-02-28T12:00:00Z", "2028-02-29T00:00:00Z", "2028-02-29T23:59:59.999Z", "2028-03-01T00:00:00Z", "2028-02-29T10:00:00Z",
      "1970-01-01T00:00:00Z", "1969-12-31T23:59:59.999Z", "2026-05-01T00:00:00.001Z",
    ].map((s) => Date.parse(s));
    for (const t of [...times, ...times.reverse()]) {
      const f = fresh(t);
      expect([nextDayStart(t), nextMonthStart(t), monthSeconds(t)]).toEqual([f.day, f.month, f.seconds]);
    }
  });

  it("answers NaN for a time Date cannot hold, and the next valid time normally", () => {
    expect(nextDayStart(8.64e15 + 1)).toBeNaN();
    const t = Date.parse("2026-06-15T12:00:00Z");
    expect(nextDayStart(t)).toBe(Date.parse("2026-06-16T00:00:00Z"));
  });
});
