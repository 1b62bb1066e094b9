import { describe, expect, it } from "vitest";
import { admitted, freshTenant, principalStub, tenantStub } from "./helpers";
import type { AcquireResult } from "../../../durable-objects/budget";
import type { Limits } from "../../../worker/config/policy";
import { budgetPools } from "../../helpers/object-hooks";
import { itInOneUtcDay } from "../../helpers/clock";

const burst = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

async function acquire(tenantId: string, principalId: string, reserveCost: number, limits: { tenant?: Limits; principal?: Limits }) {
  return (await principalStub(tenantId, principalId).acquire({
    tenantId,
    principalId,
    limits: limits.principal,
    tenantLimits: limits.tenant ?? {},
    reserveTokens: 10,
    reserveCost,
  })) as AcquireResult;
}

const micro = (usd: number) => Math.round(usd * 1e6);

describe("cost quotas are exact under concurrency (200 concurrent acquisitions)", () => {
  itInOneUtcDay("per principal: cost_per_day admits exactly what fits and refuses the rest with quota_exceeded", async () => {
    const tenantId = freshTenant();
    // $0.50 a day, each request may cost up to $0.01: exactly 50 fit.
    const rs = await burst(200, () => acquire(tenantId, "key:a", 10_000, { principal: { cost_per_day: 0.5 } }));
    expect(admitted(rs)).toBe(50);
    const refused = rs.find((r) => !r.ok) as Extract<AcquireResult, { ok: false }>;
    expect(refused).toMatchObject({ code: "quota_exceeded", limit: "cost_day", scope: "principal" });
    expect(refused.headers["RateLimit-Policy"]).toBe('"cost-day";q=500000;qu="usd-micros";w=86400');
    expect(refused.detail).toMatch(/cost quota/);
    const u = await principalStub(tenantId, "key:a").usage();
    expect(u!.reserved_cost.day).toBe(0.5);
  });

  itInOneUtcDay("tenant-wide: cost_per_month shared by 8 principals through leased blocks", async () => {
    const tenantId = freshTenant();
    const rs = await burst(200, (i) => acquire(tenantId, `key:k${i % 8}`, 7_000, { tenant: { cost_per_month: 0.35 } }));
    expect(admitted(rs)).toBe(50);
    expect(rs.find((r) => !r.ok)).toMatchObject({ code: "quota_exceeded", limit: "cost_month", scope: "tenant" });
    const pools = await budgetPools(tenantStub(tenantId));
    expect(pools.find((p) => p.res.startsWith("cpm:"))).toMatchObject({ limit: 350_000, free: 0 });
  });

  itInOneUtcDay("settles to the actual cost: concurrent spending never passes the budget, and the usage adds up to the µUSD", async () => {
    const tenantId = freshTenant();
    const limits = { tenant: { cost_per_day: 1 }, principal: { cost_per_day: 0.3 } };
    let spent = 0;
    // 300 requests over 6 principals, each reserving 3..33 mUSD and costing part of it (or failing).
    await burst(300, async (i) => {
      const principalId = `key:p${i % 6}`;
      const reserve = 3_000 + ((i * 7919) % 30_001);
      const r = await acquire(tenantId, principalId, reserve, limits);
      if (!r.ok) return;
      const cost = i % 5 === 0 ? null : Math.floor(reserve * (((i * 13) % 10) / 10));
      spent += cost ?? 0;
      await principalStub(tenantId, principalId).settle(r.leaseId, cost === null ? null : 5, cost);
    });
    const rows = await Promise.all([0, 1, 2, 3, 4, 5].map((p) => principalStub(tenantId, `key:p${p}`).usage()));
    const total = rows.reduce((s, u) => s + micro(u!.cost.day), 0);
    expect(total).toBe(spent);
    expect(total).toBeLessThanOrEqual(micro(1));
    for (const u of rows) {
      expect(micro(u!.cost.day)).toBeLessThanOrEqual(micro(0.3));
      expect(u!.reserved_cost.day).toBe(0);
    }
    // the cost budget was the binding constraint
    expect(total).toBeGreaterThan(micro(0.5));
  });

  it("never charges more than was reserved", async () => {
    const tenantId = freshTenant();
    const r = await acquire(tenantId, "key:x", 1_234, { principal: { cost_per_day: 1 } });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    await principalStub(tenantId, "key:x").settle(r.leaseId, 5, 99_999);
    expect((await principalStub(tenantId, "key:x").usage())!.cost.day).toBe(0.001234);
  });
});
