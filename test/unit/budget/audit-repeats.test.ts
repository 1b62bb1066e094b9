import { describe, expect, it } from "vitest";
import { RepeatGate } from "../../../worker/audit/repeats";
import { REPEAT_INTERVAL_MS } from "../../../worker/audit/entry";

const T0 = Date.parse("2026-05-01T12:00:00Z");

describe("repeated audit entries", () => {
  it("lets one entry a minute through per principal and key, and reports how many it held back", () => {
    const g = new RepeatGate();
    expect(g.admit("key:a", "input_rejected:screening", T0)).toEqual({ write: true, suppressed: 0 });
    for (let i = 1; i <= 19; i++) expect(g.admit("key:a", "input_rejected:screening", T0 + i * 1000)).toEqual({ write: false });
    // Other principals and other kinds are counted apart.
    expect(g.admit("key:b", "input_rejected:screening", T0 + 1)).toEqual({ write: true, suppressed: 0 });
    expect(g.admit("key:a", "input_rejected:anomaly", T0 + 1)).toEqual({ write: true, suppressed: 0 });
    expect(g.admit("key:a", "input_rejected:screening", T0 + REPEAT_INTERVAL_MS)).toEqual({ write: true, suppressed: 19 });
    expect(g.admit("key:a", "input_rejected:screening", T0 + REPEAT_INTERVAL_MS + 1)).toEqual({ write: false });
  });
});
