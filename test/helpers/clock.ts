import { it } from "vitest";

/**
 * Daily and monthly quotas reset at 00:00 UTC (worker/budget/windows.ts). A test that spends a
 * daily quota and checks what is left, or reads a day's counters after its requests, is right only
 * when all of it happens within one UTC day: a midnight in between starts the second half on a
 * fresh day, by design. CI runs at any wall-clock time, so a test lasting T seconds meets a
 * midnight with probability T/86,400; the bursts below last tens of seconds on a loaded machine.
 */
const utcDay = (): string => new Date().toISOString().slice(0, 10);

/**
 * Runs `body`; if a UTC day began while it ran, runs it once more, then wholly inside the new day
 * (a month begins only at a midnight, so months are covered too). `body` must set up its own state
 * (fresh tenants). A behaviour that is broken fails both runs: nothing is weakened.
 */
export async function withinOneUtcDay<T>(body: () => Promise<T>): Promise<T> {
  const day = utcDay();
  try {
    const out = await body();
    if (utcDay() === day) return out;
  } catch (err) {
    if (utcDay() === day) throw err;
  }
  return body();
}

/** `it`, for a test whose checks hold only within one UTC day (see withinOneUtcDay). */
export function itInOneUtcDay(name: string, body: () => Promise<void>, timeout?: number): void {
  it(name, () => withinOneUtcDay(body), timeout);
}
