import { featurize, MIN_LINE, normalize, WINDOW } from "../../worker/screen/featurize";

/**
 * The definition the featurizer's line-window shortcuts are held to: one window per distinct
 * normalized line of MIN_LINE..WINDOW code units, in order, and none for a text that fits one window.
 */
export function expectedLineWindows(text: string) {
  if (normalize(text).length <= WINDOW) return [];
  const seen = new Set<string>();
  return text.split(/\r\n|[\n\v\f\r\u0085\u2028\u2029]/).flatMap((line) => {
    const n = normalize(line);
    if (n.length < MIN_LINE || n.length > WINDOW || seen.has(n)) return [];
    seen.add(n);
    return featurize(line);
  });
}

/** Windows as plain arrays, for toEqual. */
export const plainWindows = (ws: ReturnType<typeof featurize>) => ws.map((w) => ({ indices: Array.from(w.indices), values: Array.from(w.values) }));
