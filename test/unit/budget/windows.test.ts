import { describe, expect, it } from "vitest";
import { monthSeconds, nextDayStart, nextMonthStart, secondsUntil, windowsAt } from "../../../worker/budget/windows";

const at = (iso: string) => Date.parse(iso);

describe("UTC calendar windows", () => {
  it("names the minute, day and month in UTC, whatever the local zone", () => {
    expect(windowsAt(at("2026-05-01T23:59:59.999Z"))).toEqual({ minute: "2026-05-01T23:59", day: "2026-05-01", month: "2026-05" });
    expect(windowsAt(at("2026-05-02T00:00:00.000Z")).day).toBe("2026-05-02");
  });

  it("rolls days and months at 00:00 UTC, across a year end and a leap day", () => {
    expect(nextDayStart(at("2026-12-31T18:00:00Z"))).toBe(at("2027-01-01T00:00:00Z"));
    expect(nextMonthStart(at("2026-12-15T00:00:00Z"))).toBe(at("2027-01-01T00:00:00Z"));
    expect(nextDayStart(at("2028-02-28T10:00:00Z"))).toBe(at("2028-02-29T00:00:00Z"));
    expect(monthSeconds(at("2028-02-10T00:00:00Z"))).toBe(29 * 86400);
    expect(monthSeconds(at("2026-04-30T23:00:00Z"))).toBe(30 * 86400);
  });

  it("never answers a wait of zero seconds", () => {
    expect(secondsUntil(1000, 1000)).toBe(1);
    expect(secondsUntil(0, 1001)).toBe(2);
  });
});
