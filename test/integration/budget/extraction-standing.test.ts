import { describe, expect, it } from "vitest";
import { acquire, freshTenant, principalStub } from "./helpers";

/**
 * The extraction standing a principal's budget object holds for the gate (durable-objects/
 * budget-extraction.ts): reported from each request's waitUntil, so notes can arrive out of order.
 */
describe("extraction standing in the principal's budget object", () => {
  const inMin = (m: number) => new Date(Date.now() + m * 60_000).toISOString();
  const standing = async (tenantId: string) => {
    const r = await acquire({ tenantId, principalId: "key:x" });
    if (!r.ok) throw new Error("refused");
    await principalStub(tenantId, "key:x").settle(r.leaseId, null);
    return r.extraction ?? { state: "normal", until: null };
  };

  it("is reported with the admission, is never lowered by a late note while in force, and clears on reset", async () => {
    const tenantId = freshTenant("xs");
    const stub = principalStub(tenantId, "key:x");
    expect(await standing(tenantId)).toEqual({ state: "normal", until: null });
    const blockedUntil = inMin(15);
    await stub.noteExtraction({ state: "blocked", until: blockedUntil });
    expect(await standing(tenantId)).toEqual({ state: "blocked", until: blockedUntil });
    // An observation that started before the block finishes after it: it must not lift it.
    await stub.noteExtraction({ state: "degraded", until: inMin(5) });
    await stub.noteExtraction({ state: "normal", until: null });
    expect(await standing(tenantId)).toEqual({ state: "blocked", until: blockedUntil });
    await stub.noteExtraction({ state: "normal", until: null, reset: true });
    expect(await standing(tenantId)).toEqual({ state: "normal", until: null });
  });

  it("lapses when its end passes, and a note to an object that never admitted anything writes nothing", async () => {
    const tenantId = freshTenant("xs");
    await standing(tenantId);
    await principalStub(tenantId, "key:x").noteExtraction({ state: "degraded", until: new Date(Date.now() - 1000).toISOString() });
    expect(await standing(tenantId)).toEqual({ state: "normal", until: null });
    const untouched = principalStub(freshTenant("xs"), "key:never");
    await untouched.noteExtraction({ state: "blocked", until: inMin(15), reset: true });
    expect(await untouched.usage()).toBeNull();
  });
});
