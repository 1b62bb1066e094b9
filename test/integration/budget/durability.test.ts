import { abortAllDurableObjects } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { acquire, freshTenant, principalStub, settledInStorage, tenantStub } from "./helpers";
import { budgetPools } from "../../helpers/object-hooks";
import { itInOneUtcDay } from "../../helpers/clock";

const minuteNow = () => Math.floor(Date.now() / 60_000);
const withoutMinutes = (u: unknown) => JSON.parse(JSON.stringify(u, (k, v) => (k === "minute" ? undefined : v)));

/** Eviction loses memory, never state: every object reloads its ledger from SQLite. */
describe("state survives Durable Object eviction", () => {
  itInOneUtcDay("keeps counters, in-flight leases, the bucket and tenant pools", async () => {
    const tenantId = freshTenant();
    const ask = {
      tenantId,
      principalId: "key:d",
      limits: { requests_per_minute: 1, burst: 3, tokens_per_day: 10_000 },
      tenantLimits: { max_concurrency: 10 },
      reserveTokens: 500,
    };
    const first = await acquire(ask);
    const second = await acquire(ask);
    if (!first.ok || !second.ok) throw new Error("not admitted");
    await principalStub(tenantId, "key:d").settle(first.leaseId, 321);
    const startMinute = minuteNow();
    const before = await principalStub(tenantId, "key:d").usage();
    const poolsBefore = await budgetPools(tenantStub(tenantId));
    // The settlement is written behind (SETTLE_WRITE_MS): eviction after that loses nothing.
    await settledInStorage(tenantId, "key:d", [second.leaseId]);

    await abortAllDurableObjects();

    const after = await principalStub(tenantId, "key:d").usage();
    // A minute boundary between the two readings empties the minute window by design, not by loss.
    if (minuteNow() === startMinute) expect(after).toEqual(before);
    else expect(withoutMinutes(after)).toEqual(withoutMinutes(before));
    expect(await budgetPools(tenantStub(tenantId))).toEqual(poolsBefore);
    expect(before).toMatchObject({ in_flight: 1, requests: { day: 2 }, tokens: { day: 321 }, reserved_tokens: { day: 500 } });
    // the bucket kept its level: one token left of three
    expect((await acquire(ask)).ok).toBe(true);
    expect(await acquire(ask)).toMatchObject({ ok: false, limit: "rpm" });
    // the lease taken before the eviction can still be settled
    expect(await principalStub(tenantId, "key:d").settle(second.leaseId, 7)).toEqual({ settled: true });
    expect((await principalStub(tenantId, "key:d").usage())!.tokens.day).toBe(328);
  });

  it("keeps the tenant's index of principals", async () => {
    const tenantId = freshTenant();
    await acquire({ tenantId, principalId: "key:x" });
    await acquire({ tenantId, principalId: "sub:y" });
    await abortAllDurableObjects();
    expect(await tenantStub(tenantId).principals()).toEqual(["key:x", "sub:y"]);
  });
});
