import { isObject, type Json } from "../json";

/** An SSE event's data as a JSON object, or null when it is anything else (passed on untouched). */
export function eventObject(data: string): Json | null {
  try {
    const parsed: unknown = JSON.parse(data);
    return isObject(parsed) ? parsed : null;
  } catch {
    return null;
  }
}
