import { abortAllDurableObjects, runDurableObjectAlarm, runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { acquire, freshTenant, principalStub, tenantStub } from "./helpers";
import { budgetPools } from "../../helpers/object-hooks";
import { itInOneUtcDay } from "../../helpers/clock";

/**
 * Lets a principal's leases run out without waiting (no timing in tests): rewrite their expiry in
 * storage, evict the object so it reloads, then run its alarm as the runtime would.
 */
async function expireLeases(tenantId: string, principalId: string): Promise<void> {
  await runInDurableObject(principalStub(tenantId, principalId), (_, state) => {
    state.storage.sql.exec("UPDATE budget_ledger SET b = 0 WHERE k GLOB 'i:*'"); // b: a lease's expires_ms (STORAGE.md)
  });
  await abortAllDurableObjects();
  expect(await runDurableObjectAlarm(principalStub(tenantId, principalId))).toBe(true);
}

/** A lease the worker never settles (isolate died, bug): the object's alarm must free it. */
describe("lease expiry", () => {
  itInOneUtcDay("frees the slot and charges the whole reservation when a lease is never settled", async () => {
    const tenantId = freshTenant();
    const ask = { tenantId, principalId: "key:lost", limits: { max_concurrency: 1, tokens_per_day: 1000 }, reserveTokens: 500 };
    expect((await acquire(ask)).ok).toBe(true);
    expect(await acquire(ask)).toMatchObject({ ok: false, limit: "concurrency" });
    await expireLeases(tenantId, "key:lost");
    const usage = await principalStub(tenantId, "key:lost").usage();
    // A lease no worker settled may have spent anything up to its reservation: a client that
    // vanished must not get its tokens for free.
    expect(usage).toMatchObject({ in_flight: 0, tokens: { day: 500 }, reserved_tokens: { day: 0 } });
    expect((await acquire({ ...ask, reserveTokens: 400 })).ok).toBe(true);
  });

  it("gives an expired lease's tenant-wide slot back to the tenant for other principals", async () => {
    const tenantId = freshTenant();
    const tenantLimits = { max_concurrency: 1 };
    expect((await acquire({ tenantId, principalId: "key:a", tenantLimits })).ok).toBe(true);
    expect(await acquire({ tenantId, principalId: "key:b", tenantLimits })).toMatchObject({ ok: false, scope: "tenant" });
    await expireLeases(tenantId, "key:a");
    expect(await budgetPools(tenantStub(tenantId))).toEqual([{ res: "conc", limit: 1, free: 1, leased: 0 }]);
    expect((await acquire({ tenantId, principalId: "key:b", tenantLimits })).ok).toBe(true);
  });

  itInOneUtcDay("a late settle of an expired lease adds nothing to the reservation expiry charged", async () => {
    const tenantId = freshTenant();
    const r = await acquire({ tenantId, principalId: "key:slow", limits: { tokens_per_day: 500 }, reserveTokens: 100 });
    await expireLeases(tenantId, "key:slow");
    expect(r.ok).toBe(true);
    if (r.ok) expect(await principalStub(tenantId, "key:slow").settle(r.leaseId, 80)).toEqual({ settled: false });
    expect((await principalStub(tenantId, "key:slow").usage())!.tokens.day).toBe(100);
  });

  it("extend() keeps a long stream's lease alive past its first expiry", async () => {
    const tenantId = freshTenant();
    const ask = { tenantId, principalId: "key:stream", limits: { max_concurrency: 1 } };
    const r = await acquire({ ...ask, leaseMs: 30_000 });
    if (!r.ok) throw new Error("not admitted");
    const expiry = () =>
      runInDurableObject(principalStub(tenantId, "key:stream"), (_, state) =>
        state.storage.sql.exec<{ expires_ms: number }>("SELECT b AS expires_ms FROM budget_ledger WHERE k GLOB 'i:*'").one().expires_ms,
      );
    const before = await expiry();
    expect(await principalStub(tenantId, "key:stream").extend(r.leaseId, 600_000)).toBe(true);
    expect((await expiry()) - before).toBeGreaterThan(500_000);
    await runDurableObjectAlarm(principalStub(tenantId, "key:stream"));
    expect((await principalStub(tenantId, "key:stream").usage())!.in_flight).toBe(1);
    expect(await acquire(ask)).toMatchObject({ ok: false });
    expect(await principalStub(tenantId, "key:stream").extend("no-such-lease", 1000)).toBe(false);
  });
});

describe("slots lost between two objects' commits", () => {
  it("come back to the tenant when the next reclaim reconciles the holder's books", async () => {
    const tenantId = freshTenant();
    const tenantLimits = { max_concurrency: 4 };
    const first = await acquire({ tenantId, principalId: "key:a", tenantLimits });
    if (!first.ok) throw new Error("not admitted");
    await principalStub(tenantId, "key:a").settle(first.leaseId, null);
    // a now keeps an idle slot; make it forget that slot, as if its commit had been lost
    await runInDurableObject(principalStub(tenantId, "key:a"), (_, state) => {
      state.storage.sql.exec("DELETE FROM budget_ledger WHERE k GLOB 'h:*'");
    });
    await abortAllDurableObjects();
    expect((await budgetPools(tenantStub(tenantId)))[0]).toMatchObject({ leased: 1, free: 3 });
    // b asks for all four: the tenant reclaims from a, learns a holds nothing, and frees the slot
    const b = await Promise.all(Array.from({ length: 6 }, () => acquire({ tenantId, principalId: "key:b", tenantLimits })));
    expect(b.filter((r) => r.ok)).toHaveLength(4);
  });
});
