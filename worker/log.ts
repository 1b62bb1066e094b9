/**
 * Structured operator logs (one JSON line each). Callers pass ids, codes and reasons only: never
 * credentials, prompts, origin headers or bodies.
 */
export function log(event: string, fields: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ event, ...fields }));
}
