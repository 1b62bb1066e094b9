import { vi } from "vitest";

/**
 * Captures Warden's operator log (worker/log.ts writes one JSON object per `console.log` call)
 * from now until `vi.restoreAllMocks()`: the parsed events, and everything written, raw, for
 * checks that a secret, stack trace or address never appears.
 */
export function captureLog(stream: "log" | "error" = "log") {
  const spy = vi.spyOn(console, stream);
  return {
    /** Each call's first argument that parses as JSON, in order. */
    events(): Array<Record<string, unknown>> {
      return spy.mock.calls
        .map((args: unknown[]) => {
          try {
            return JSON.parse(String(args[0])) as Record<string, unknown>;
          } catch {
            return null;
          }
        })
        .filter((e: Record<string, unknown> | null): e is Record<string, unknown> => e !== null);
    },
    /** Every call's arguments as one JSON text. */
    raw(): string {
      return JSON.stringify(spy.mock.calls);
    },
    calls: spy.mock.calls,
  };
}
