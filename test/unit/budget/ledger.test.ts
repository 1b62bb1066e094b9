import { describe, expect, it } from "vitest";
import * as L from "../../../worker/budget/ledger";
import { limitSet } from "../../../worker/budget/limits";

const T0 = Date.parse("2026-05-01T12:00:00Z");
const none = limitSet(undefined);
let n = 0;
const req = (reserve = 0, leaseMs = 60_000) => ({ id: `r${n++}`, reserve, leaseMs });

describe("principal ledger", () => {
  it("admits exactly max_concurrency and frees the slot on settle", () => {
    const l = L.emptyLedger();
    const sets = { principal: limitSet({ max_concurrency: 2 }), tenant: none };
    const a = L.admit(l, sets, req(), T0);
    const b = L.admit(l, sets, req(), T0);
    const c = L.admit(l, sets, req(), T0);
    expect([a.kind, b.kind, c.kind]).toEqual(["admitted", "admitted", "refused"]);
    if (c.kind === "refused") expect(c.refusal).toMatchObject({ limit: "concurrency", scope: "principal", retryAfterS: 1 });
    const [first] = l.inflight.keys();
    expect(L.settle(l, first!, null, T0)).toBe(true);
    expect(L.admit(l, sets, req(), T0).kind).toBe("admitted");
  });

  it("reserves tokens, settles to actual usage, and charges nothing for a failed origin", () => {
    const l = L.emptyLedger();
    const sets = { principal: limitSet({ tokens_per_day: 1000 }), tenant: none };
    expect(L.admit(l, sets, req(600), T0).kind).toBe("admitted");
    // 600 reserved: a second 600 does not fit, a 400 does.
    expect(L.admit(l, sets, req(600), T0).kind).toBe("refused");
    expect(L.admit(l, sets, req(400), T0).kind).toBe("admitted");
    const [big, small] = [...l.inflight.keys()];
    L.settle(l, big!, 150, T0);
    L.settle(l, small!, null, T0);
    expect(L.usage(l, T0).tokens.day).toBe(150);
    expect(L.usage(l, T0).reserved_tokens.day).toBe(0);
    expect(L.admit(l, sets, req(850), T0).kind).toBe("admitted");
    expect(L.admit(l, sets, req(1), T0).kind).toBe("refused");
  });

  it("refuses a daily quota until the next UTC midnight with quota semantics", () => {
    const l = L.emptyLedger();
    const sets = { principal: limitSet({ requests_per_day: 1 }), tenant: none };
    L.admit(l, sets, req(), T0);
    const r = L.admit(l, sets, req(), T0);
    expect(r.kind).toBe("refused");
    if (r.kind === "refused") expect(r.refusal.retryAfterS).toBe(12 * 3600);
    expect(L.admit(l, sets, req(), Date.parse("2026-05-02T00:00:00Z")).kind).toBe("admitted");
  });

  it("reports the longest wait when several limits fail", () => {
    const l = L.emptyLedger();
    const sets = { principal: limitSet({ requests_per_minute: 1, tokens_per_month: 10 }), tenant: none };
    L.admit(l, sets, req(10), T0);
    const r = L.admit(l, sets, req(10), T0);
    expect(r.kind === "refused" && r.refusal.limit).toBe("tokens_month");
  });

  it("charges a stream that crosses midnight to the day it started", () => {
    const l = L.emptyLedger();
    const sets = { principal: limitSet({ tokens_per_day: 1000 }), tenant: none };
    const late = Date.parse("2026-05-01T23:59:59Z");
    L.admit(l, sets, req(500), late);
    const [id] = l.inflight.keys();
    L.settle(l, id!, 300, late + 5000);
    expect(l.counters.get("d:2026-05-01")).toMatchObject({ tokens: 300, reserved: 0 });
    expect(l.counters.get("d:2026-05-02")?.tokens ?? 0).toBe(0);
  });

  it("expires unsettled leases: slot back, the whole reservation charged, a late settle adds nothing", () => {
    const l = L.emptyLedger();
    const sets = { principal: limitSet({ max_concurrency: 1, tokens_per_day: 100 }), tenant: none };
    L.admit(l, sets, req(100, 1000), T0);
    const [id] = l.inflight.keys();
    expect(L.nextExpiry(l)).toBe(T0 + 1000);
    expect(L.expire(l, T0 + 999)).toBe(0);
    expect(L.expire(l, T0 + 1000)).toBe(1);
    expect(L.usage(l, T0)).toMatchObject({ in_flight: 0, tokens: { day: 100 }, reserved_tokens: { day: 0 } });
    expect(L.settle(l, id!, 40, T0 + 2000)).toBe(false);
    expect(L.usage(l, T0 + 2000).tokens.day).toBe(100);
  });

  it("never charges more than the reservation, whatever is reported", () => {
    const l = L.emptyLedger();
    const sets = { principal: limitSet({ tokens_per_day: 3000 }), tenant: limitSet({ tokens_per_day: 5000 }) };
    L.addGrants(l, [{ res: "tpd:2026-05-01", amount: 1000, epoch: 1, pressureUntil: 0, remaining: 4000, limit: 5000 }]);
    expect(L.admit(l, sets, req(300), T0).kind).toBe("admitted");
    const [id] = l.inflight.keys();
    L.settle(l, id!, 40_000, T0);
    expect(L.usage(l, T0)).toMatchObject({ tokens: { day: 300, minute: 300 }, reserved_tokens: { day: 0 } });
    // the tenant block is charged the capped amount too
    expect(l.held.get("tpd:2026-05-01")!.unused).toBe(700);
    for (const odd of [Infinity, Number.NaN]) {
      expect(L.admit(l, sets, req(100), T0).kind).toBe("admitted");
      L.settle(l, [...l.inflight.keys()][0]!, odd, T0);
    }
    expect(L.usage(l, T0).tokens.day).toBe(500);
  });

  it("asks for tenant units it lacks and spends held blocks without asking", () => {
    const l = L.emptyLedger();
    const sets = { principal: none, tenant: limitSet({ max_concurrency: 10, tokens_per_day: 1000 }) };
    const first = L.admit(l, sets, req(100), T0);
    expect(first).toEqual({ kind: "short", needs: [{ res: "conc", min: 1 }, { res: "tpd:2026-05-01", min: 100 }] });
    L.addGrants(l, [
      { res: "conc", amount: 3, epoch: 1, pressureUntil: 0, remaining: 7, limit: 10 },
      { res: "tpd:2026-05-01", amount: 250, epoch: 1, pressureUntil: 0, remaining: 750, limit: 1000 },
    ]);
    expect(L.admit(l, sets, req(100), T0).kind).toBe("admitted");
    expect(L.admit(l, sets, req(100), T0).kind).toBe("admitted");
    expect(L.admit(l, sets, req(100), T0)).toEqual({ kind: "short", needs: [{ res: "tpd:2026-05-01", min: 50 }] });
    const [a] = l.inflight.keys();
    L.settle(l, a!, 20, T0);
    expect(l.held.get("tpd:2026-05-01")!.unused).toBe(50 + 80);
    expect(l.held.get("conc")!.unused).toBe(2);
  });

  it("hands back everything idle, and forgets it before sending", () => {
    const l = L.emptyLedger();
    L.addGrants(l, [{ res: "conc", amount: 3, epoch: 7, pressureUntil: 0, remaining: 0, limit: 3 }]);
    expect(L.takeReturns(l, T0, {})).toEqual([{ res: "conc", amount: 3, epoch: 7 }]);
    expect(l.held.get("conc")!.unused).toBe(0);
    expect(L.takeReturns(l, T0, {})).toEqual([]);
  });

  it("ignores a settle for a block of a pool that was re-created", () => {
    const l = L.emptyLedger();
    const sets = { principal: none, tenant: limitSet({ max_concurrency: 5 }) };
    L.addGrants(l, [{ res: "conc", amount: 1, epoch: 1, pressureUntil: 0, remaining: 4, limit: 5 }]);
    L.admit(l, sets, req(), T0);
    L.addGrants(l, [{ res: "conc", amount: 1, epoch: 2, pressureUntil: 0, remaining: 4, limit: 5 }]);
    const [id] = l.inflight.keys();
    L.settle(l, id!, null, T0);
    expect(l.held.get("conc")).toMatchObject({ unused: 1, epoch: 2 });
  });
});
