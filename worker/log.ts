/**
 * Structured operator logs (one JSON line each). Callers pass ids, codes and reasons only: never
 * credentials, prompts, origin headers or bodies.
 */
export function log(event: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ event, ...fields }));
}

/** An error as log fields: its name and the start of its message, never its stack or cause. */
export function errorFields(err: unknown): { error: string; message: string } {
  const e = err instanceof Error ? err : new Error(String(err));
  return { error: e.name, message: String(e.message).slice(0, 200) };
}
