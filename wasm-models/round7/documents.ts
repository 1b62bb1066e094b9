import { shuffle } from "../lib/rng";

/**
 * Harmless documents of ~target code units for the long-document checks (rounds 7–9): texts
 * shuffled, joined by a blank line, never twice in one. Its own module because the scripts that
 * use it (run.ts, look.ts, look9.ts) run on import.
 */
export function documents(texts: string[], count: number, target: number, random: () => number): string[] {
  const docs: string[] = [];
  for (let d = 0; d < count; d++) {
    const parts: string[] = [];
    let length = 0;
    for (const text of shuffle([...texts], random)) {
      if (length >= target) break;
      parts.push(text);
      length += text.length + 2;
    }
    docs.push(parts.join("\n\n"));
  }
  return docs;
}
