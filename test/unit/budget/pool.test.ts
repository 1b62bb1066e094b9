import { describe, expect, it } from "vitest";
import * as P from "../../../worker/budget/pool";
import { limitSet } from "../../../worker/budget/limits";
import { windowsAt } from "../../../worker/budget/windows";

const T0 = Date.parse("2026-05-01T12:00:00Z");
const W = windowsAt(T0);

function tenant(limits: Parameters<typeof limitSet>[0]) {
  const t = P.emptyTenantLedger();
  P.syncPools(t, limitSet(limits), W, T0);
  return t;
}

const leasedPlusFree = (t: P.TenantLedger, res: string) =>
  t.pools.get(res)!.free + [...(t.holds.get(res)?.values() ?? [])].reduce((s, h) => s + h.amount, 0);

describe("tenant pools", () => {
  it("grants blocks, shrinking as holders multiply, and never more than the limit in total", () => {
    const t = tenant({ max_concurrency: 100 });
    const sizes: number[] = [];
    for (let i = 0; i < 40; i++) {
      const g = P.grant(t, `h${i}`, [{ res: "conc", min: 1 }], T0);
      if (!g.ok) break;
      sizes.push(g.grants[0]!.amount);
      expect(leasedPlusFree(t, "conc")).toBe(100);
    }
    expect(sizes[0]).toBe(25);
    expect(sizes.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(100);
    expect(sizes.at(-1)).toBe(1);
  });

  it("is all or nothing across resources", () => {
    const t = tenant({ max_concurrency: 10, tokens_per_day: 50 });
    const g = P.grant(t, "h", [{ res: "conc", min: 1 }, { res: `tpd:${W.day}`, min: 60 }], T0);
    expect(g).toEqual({ ok: false, failing: [`tpd:${W.day}`] });
    expect(t.pools.get("conc")!.free).toBe(10);
  });

  it("switches holders to pressure mode near the limit and then grants exactly what is needed", () => {
    const t = tenant({ requests_per_day: 8 });
    const res = `rpd:${W.day}`;
    const g1 = P.grant(t, "a", [{ res, min: 1 }], T0);
    expect(g1.ok && g1.grants[0]).toMatchObject({ amount: 2, pressureUntil: 0 });
    const g2 = P.grant(t, "b", [{ res, min: 1 }], T0);
    expect(g2.ok && g2.grants[0]).toMatchObject({ amount: 1 });
    for (let i = 0; i < 4; i++) P.grant(t, "b", [{ res, min: 1 }], T0);
    const g3 = P.grant(t, "b", [{ res, min: 1 }], T0);
    expect(g3.ok && g3.grants[0]).toMatchObject({ amount: 1, pressureUntil: T0 + P.PRESSURE_MS });
    expect(P.grant(t, "b", [{ res, min: 1 }], T0).ok).toBe(false);
  });

  it("finds holders to ask back, except the asker and holders in pressure mode", () => {
    const t = tenant({ max_concurrency: 10 });
    P.grant(t, "a", [{ res: "conc", min: 1 }], T0);
    P.grant(t, "b", [{ res: "conc", min: 1 }], T0);
    P.setPressure(t, "b", ["conc"], T0 + P.PRESSURE_MS);
    expect([...P.reclaimTargets(t, ["conc"], "c", T0).keys()]).toEqual(["a"]);
    expect([...P.reclaimTargets(t, ["conc"], "a", T0).keys()]).toEqual([]);
    // once b's pressure is close to lapsing, the tenant no longer relies on it
    expect([...P.reclaimTargets(t, ["conc"], "c", T0 + P.PRESSURE_MS - P.PRESSURE_SKEW_MS + 1).keys()]).toEqual(["a", "b"]);
  });

  it("takes surrendered and returned units back, ignoring blocks of an older pool", () => {
    const t = tenant({ max_concurrency: 4 });
    const g = P.grant(t, "a", [{ res: "conc", min: 1 }], T0);
    const epoch = g.ok ? g.grants[0]!.epoch : -1;
    P.applySurrender(t, "a", ["conc"], [{ res: "conc", amount: 1, epoch }], T0 + 5000);
    expect(t.pools.get("conc")!.free).toBe(4);
    P.applyReturns(t, "a", [{ res: "conc", amount: 1, epoch: epoch - 1 }]);
    expect(t.pools.get("conc")!.free).toBe(4);
  });

  it("keeps the rpm pool plus leased tokens within one bucket", () => {
    const t = tenant({ requests_per_minute: 60, burst: 10 });
    const g = P.grant(t, "a", [{ res: "rpm", min: 1 }], T0);
    expect(g.ok).toBe(true);
    P.grant(t, "b", [{ res: "rpm", min: 1 }], T0 + 60_000);
    expect(leasedPlusFree(t, "rpm")).toBeLessThanOrEqual(10 + 1e-9);
  });

  it("moves free units by the difference when a limit changes, and drops ended windows", () => {
    const t = tenant({ tokens_per_day: 100 });
    P.grant(t, "a", [{ res: `tpd:${W.day}`, min: 10 }], T0);
    const before = t.pools.get(`tpd:${W.day}`)!.free;
    P.syncPools(t, limitSet({ tokens_per_day: 50 }), W, T0);
    expect(t.pools.get(`tpd:${W.day}`)!.free).toBe(before - 50);
    const tomorrow = T0 + 86_400_000;
    P.syncPools(t, limitSet({ tokens_per_day: 50 }), windowsAt(tomorrow), tomorrow);
    expect([...t.pools.keys()]).toEqual([`tpd:${windowsAt(tomorrow).day}`]);
    expect(t.holds.has(`tpd:${W.day}`)).toBe(false);
  });

  it("tells a refused holder when to come back", () => {
    const t = tenant({ requests_per_day: 1, max_concurrency: 1 });
    expect(P.retryAfter(t, `rpd:${W.day}`, 1, T0)).toBe(12 * 3600);
    expect(P.retryAfter(t, "conc", 1, T0)).toBe(1);
  });
});
