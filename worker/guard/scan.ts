import type { Detector, Finding } from "./detectors/types";

/**
 * Every finding of `detectors` in `text`, without overlaps: the earliest match wins, and of two
 * starting together the detector listed first (the more specific one) names it.
 */
export function findAll(text: string, detectors: readonly Detector[]): Finding[] {
  const all: Array<Finding & { rank: number }> = [];
  detectors.forEach((d, rank) => {
    for (const f of d.find(text)) all.push({ ...f, rank });
  });
  all.sort((a, b) => a.start - b.start || a.rank - b.rank || b.end - a.end);
  const out: Finding[] = [];
  let reached = 0;
  for (const { rank: _rank, ...f } of all) {
    if (f.start < reached) continue;
    out.push(f);
    reached = f.end;
  }
  return out;
}

export const redaction = (detector: string): string => `[REDACTED:${detector}]`;

/** `text` with each finding replaced by its redaction marker (findings sorted, not overlapping). */
export function redact(text: string, findings: readonly Finding[]): string {
  let out = "";
  let at = 0;
  for (const f of findings) {
    out += text.slice(at, f.start) + redaction(f.detector);
    at = f.end;
  }
  return out + text.slice(at);
}
