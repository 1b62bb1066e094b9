import { describe, expect, it } from "vitest";
import { standingMoved } from "../../../worker/pipeline/extraction";

describe("standingMoved (when the budget object is told a new extraction standing)", () => {
  const t = (s: number) => new Date(Date.UTC(2026, 0, 1, 0, 0, s)).toISOString();
  it("tells a change of state, and not a degraded end that only crept forward", () => {
    expect(standingMoved({ state: "normal", until: null }, { state: "normal", until: null })).toBe(false);
    expect(standingMoved({ state: "normal", until: null }, { state: "degraded", until: t(900) })).toBe(true);
    expect(standingMoved({ state: "degraded", until: t(900) }, { state: "blocked", until: t(900) })).toBe(true);
    expect(standingMoved({ state: "degraded", until: t(900) }, { state: "degraded", until: t(930) })).toBe(false);
    expect(standingMoved({ state: "degraded", until: t(900) }, { state: "degraded", until: t(961) })).toBe(true);
    expect(standingMoved({ state: "blocked", until: t(900) }, { state: "normal", until: null })).toBe(true);
  });
});
