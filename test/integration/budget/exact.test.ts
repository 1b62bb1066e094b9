import { describe, expect, it } from "vitest";
import { acquire, admitted, freshTenant, principalStub, tenantStub } from "./helpers";
import type { AcquireResult } from "../../../durable-objects/budget";
import { budgetPools } from "../../helpers/object-hooks";
import { itInOneUtcDay } from "../../helpers/clock";

const burst = <T>(n: number, f: (i: number) => Promise<T>) => Promise.all(Array.from({ length: n }, (_, i) => f(i)));

describe("exact under concurrency (200 concurrent acquisitions, limit 50)", () => {
  it("per principal: max_concurrency", async () => {
    const tenantId = freshTenant();
    const rs = await burst(200, () => acquire({ tenantId, principalId: "key:a", limits: { max_concurrency: 50 } }));
    expect(admitted(rs)).toBe(50);
    const refused = rs.find((r) => !r.ok) as Extract<AcquireResult, { ok: false }>;
    expect(refused).toMatchObject({ code: "rate_limited", limit: "concurrency", scope: "principal" });
    expect(refused.headers["RateLimit-Policy"]).toBe('"concurrency";q=50;qu="concurrent-requests"');
  });

  itInOneUtcDay("per principal: requests_per_day and the rpm burst", async () => {
    const tenantId = freshTenant();
    const day = await burst(200, () => acquire({ tenantId, principalId: "sub:alice", limits: { requests_per_day: 50 } }));
    expect(admitted(day)).toBe(50);
    expect(day.find((r) => !r.ok)).toMatchObject({ code: "quota_exceeded", limit: "requests_day" });
    // 1 request/minute refills 1/60 token per second: nothing refills during a burst shorter than a
    // minute, one token per whole minute it lasts (200 concurrent calls were seen to take 30 s).
    const started = Date.now();
    const rpm = await burst(200, () => acquire({ tenantId, principalId: "sub:bob", limits: { requests_per_minute: 1, burst: 50 } }));
    const refilled = Math.floor((Date.now() - started) / 60_000);
    expect(admitted(rpm)).toBeGreaterThanOrEqual(50);
    expect(admitted(rpm)).toBeLessThanOrEqual(50 + refilled);
    const r = rpm.find((x) => !x.ok) as Extract<AcquireResult, { ok: false }>;
    expect(r.code).toBe("rate_limited");
    expect(Number(r.headers["Retry-After"])).toBeGreaterThanOrEqual(1);
    expect(r.headers.RateLimit).toMatch(/^"rpm";r=0;t=\d+$/);
  });

  it("tenant-wide: max_concurrency shared by 8 principals, through leased blocks", async () => {
    const tenantId = freshTenant();
    const rs = await burst(200, (i) => acquire({ tenantId, principalId: `key:k${i % 8}`, tenantLimits: { max_concurrency: 50 } }));
    expect(admitted(rs)).toBe(50);
    expect(rs.find((r) => !r.ok)).toMatchObject({ code: "rate_limited", limit: "concurrency", scope: "tenant" });
    const pools = await budgetPools(tenantStub(tenantId));
    expect(pools).toEqual([{ res: "conc", limit: 50, free: 0, leased: 50 }]);
  });

  itInOneUtcDay("tenant-wide: requests_per_day shared by 8 principals", async () => {
    const tenantId = freshTenant();
    const rs = await burst(200, (i) => acquire({ tenantId, principalId: `sub:u${i % 8}`, tenantLimits: { requests_per_day: 50 } }));
    expect(admitted(rs)).toBe(50);
    expect(rs.find((r) => !r.ok)).toMatchObject({ code: "quota_exceeded", scope: "tenant" });
  });

  it("tenant-wide: a slot freed by one principal is usable by another (nothing stays stuck in a block)", async () => {
    const tenantId = freshTenant();
    const tenantLimits = { max_concurrency: 4 };
    const a = await burst(4, () => acquire({ tenantId, principalId: "key:a", tenantLimits }));
    expect(admitted(a)).toBe(4);
    expect((await acquire({ tenantId, principalId: "key:b", tenantLimits })).ok).toBe(false);
    for (const r of a) if (r.ok) await principalStub(tenantId, "key:a").settle(r.leaseId, null);
    const b = await burst(6, () => acquire({ tenantId, principalId: "key:b", tenantLimits }));
    expect(admitted(b)).toBe(4);
  });

  itInOneUtcDay("tenant-wide: idle units in another principal's block are reclaimed before anyone is refused", async () => {
    const tenantId = freshTenant();
    const tenantLimits = { max_concurrency: 100, tokens_per_day: 1_000 };
    // a takes one slot and 10 tokens, and is handed larger blocks than that
    expect((await acquire({ tenantId, principalId: "key:a", tenantLimits, reserveTokens: 10 })).ok).toBe(true);
    const held = await budgetPools(tenantStub(tenantId));
    expect(held.find((p) => p.res === "conc")!.leased).toBeGreaterThan(1);
    // b wants everything else: it gets exactly what a does not use
    const rs = await burst(200, () => acquire({ tenantId, principalId: "key:b", tenantLimits, reserveTokens: 10 }));
    expect(admitted(rs)).toBe(99);
  });

  itInOneUtcDay("concurrent token spending never exceeds the daily budget, tenant-wide and per principal", async () => {
    const tenantId = freshTenant();
    const tenantLimits = { tokens_per_day: 10_000 };
    const limits = { tokens_per_day: 4_000 };
    let spent = 0;
    // 300 requests over 6 principals, each reserving 100..400 and using part of it (or failing).
    await burst(300, async (i) => {
      const principalId = `key:p${i % 6}`;
      const reserveTokens = 100 + ((i * 37) % 301);
      const r = await acquire({ tenantId, principalId, tenantLimits, limits, reserveTokens });
      if (!r.ok) return;
      const used = i % 5 === 0 ? null : Math.floor(reserveTokens * (((i * 13) % 10) / 10));
      spent += used ?? 0;
      await principalStub(tenantId, principalId).settle(r.leaseId, used);
    });
    const perPrincipal = await Promise.all([0, 1, 2, 3, 4, 5].map((p) => principalStub(tenantId, `key:p${p}`).usage()));
    const total = perPrincipal.reduce((s, u) => s + (u?.tokens.day ?? 0), 0);
    expect(total).toBe(spent);
    expect(total).toBeLessThanOrEqual(10_000);
    for (const u of perPrincipal) expect(u!.tokens.day).toBeLessThanOrEqual(4_000);
    // the budget was the binding constraint, not the request count
    expect(total).toBeGreaterThan(5_000);
  });

  itInOneUtcDay("reservations count before settlement: concurrent reservations never exceed the budget", async () => {
    const tenantId = freshTenant();
    const rs = await burst(200, (i) =>
      acquire({ tenantId, principalId: `key:r${i % 4}`, tenantLimits: { tokens_per_month: 5_000 }, reserveTokens: 100 }),
    );
    expect(admitted(rs)).toBe(50);
  });
});
