import { describe, expect, it } from "vitest";
import { sourcesExcept } from "../helpers/sources";

// Every operator log line goes through log(): one JSON object per line, ids and codes only. A bare
// console call would print whatever it is given (an error's stack, a request) in another shape.
const sources = sourcesExcept("/worker/log.ts");

describe("operator log lines", () => {
  it("reads the sources it checks", () => {
    expect(Object.keys(sources).length).toBeGreaterThan(100);
  });

  it("come only from log() in worker/log.ts", () => {
    const offenders = Object.entries(sources).flatMap(([path, text]) =>
      text.split("\n").flatMap((line, i) => (/\bconsole\.(log|info|warn|error|debug)\s*\(/.test(line) ? [`${path}:${i + 1}`] : [])),
    );
    expect(offenders).toEqual([]);
  });
});
