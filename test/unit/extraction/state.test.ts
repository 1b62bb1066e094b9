import { describe, expect, it } from "vitest";
import { ceilingFor, escalate, lapse, NORMAL } from "../../../worker/extraction/state";
import { combine, ramp } from "../../../worker/extraction/score";
import { WEIGHTS } from "../../../worker/extraction/params";

const POLICY = { degrade_at: 0.6, block_at: 0.9, cooldown_s: 900 };
const T = Date.UTC(2026, 0, 1);

describe("score", () => {
  it("ramps linearly in either direction and clamps", () => {
    expect(ramp(0.83, { zero: 0.88, one: 0.78 })).toBeCloseTo(0.5, 12);
    expect(ramp(0.95, { zero: 0.88, one: 0.78 })).toBe(0);
    expect(ramp(0.5, { zero: 0.88, one: 0.78 })).toBe(1);
    expect(ramp(Number.NaN, { zero: 0, one: 1 })).toBe(0);
  });

  it("combines as a noisy OR of weighted signals", () => {
    expect(combine({})).toBe(0);
    expect(combine({ prada: 1 })).toBeCloseTo(WEIGHTS.prada, 4);
    expect(combine({ prada: 1, similarity: 1 })).toBeCloseTo(1 - (1 - WEIGHTS.prada) * (1 - WEIGHTS.similarity), 4);
    // Volume and novelty together cannot degrade a principal.
    expect(combine({ volume: 1, novelty: 1 })).toBeLessThan(POLICY.degrade_at);
  });
});

describe("standing", () => {
  it("lets text evidence degrade at most unless the policy opts into blocking", () => {
    expect(ceilingFor("text", POLICY)).toBe("degraded");
    expect(ceilingFor("text", { ...POLICY, text: "block" })).toBe("blocked");
    expect(ceilingFor("tabular", POLICY)).toBe("blocked");
    const capped = escalate(NORMAL, 0.99, POLICY, T, ceilingFor("text", POLICY));
    expect(capped).toEqual({ standing: { state: "degraded", untilMs: T + 900_000 }, escalated: { from: "normal", to: "degraded" } });
    // A principal already blocked (on OIP evidence) stays blocked.
    const blocked = escalate(NORMAL, 0.95, POLICY, T).standing;
    expect(escalate(blocked, 0.99, POLICY, T + 1, "degraded").standing).toEqual(blocked);
  });

  it("escalates normal → degraded → blocked and reports each step once", () => {
    const a = escalate(NORMAL, 0.7, POLICY, T);
    expect(a.standing).toEqual({ state: "degraded", untilMs: T + 900_000 });
    expect(a.escalated).toEqual({ from: "normal", to: "degraded" });
    const b = escalate(a.standing, 0.75, POLICY, T + 1000);
    expect(b.escalated).toBeNull();
    expect(b.standing.untilMs).toBe(T + 1000 + 900_000);
    const c = escalate(b.standing, 0.95, POLICY, T + 2000);
    expect(c.escalated).toEqual({ from: "degraded", to: "blocked" });
    expect(escalate(NORMAL, 0.9, POLICY, T).escalated).toEqual({ from: "normal", to: "blocked" });
  });

  it("keeps a raised state until it lapses, and never lowers it early", () => {
    const blocked = { state: "blocked" as const, untilMs: T + 900_000 };
    expect(escalate(blocked, 0, POLICY, T + 1).standing).toBe(blocked);
    expect(lapse(blocked, T + 899_999, POLICY)).toEqual({ standing: blocked, blockEnded: false });
    // A block ends in probation: degraded for another cooldown, windows to be cleared.
    expect(lapse(blocked, T + 900_000, POLICY)).toEqual({ standing: { state: "degraded", untilMs: T + 1_800_000 }, blockEnded: true });
    expect(lapse({ state: "degraded", untilMs: T }, T, POLICY).standing).toEqual(NORMAL);
    expect(escalate({ state: "degraded", untilMs: T + 5 }, 0.1, POLICY, T).standing).toEqual({ state: "degraded", untilMs: T + 5 });
  });
});

describe("volume", () => {
  it("counts queries per minute over the last hour and forgets older minutes", async () => {
    const { Volume, MINUTE_MS } = await import("../../../worker/extraction/volume");
    const v = new Volume();
    v.add(5, T);
    v.add(3, T + 30 * MINUTE_MS);
    expect(v.last(60, T + 30 * MINUTE_MS)).toBe(8);
    expect(v.last(1, T + 30 * MINUTE_MS)).toBe(3);
    v.add(1, T + 61 * MINUTE_MS);
    expect(v.minutes.size).toBe(2);
    expect(v.last(60, T + 61 * MINUTE_MS)).toBe(4);
  });
});
