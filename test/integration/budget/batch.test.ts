import { abortAllDurableObjects, createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AcquireInput, BudgetCall, BudgetOutcome } from "../../../durable-objects/budget";
import { TenantSchema } from "../../../worker/config/tenant";
import type { Principal } from "../../../worker/context";
import { WardenError } from "../../../worker/errors";
import { acquireBudget } from "../../../worker/pipeline/budget";
import { batchCounts } from "../../../worker/budget/calls";
import { readUsage } from "../../../worker/admin/budget-usage";
import { acquire, freshTenant, principalStub } from "./helpers";
import { itInOneUtcDay } from "../../helpers/clock";

const ask = (tenantId: string, limits: AcquireInput["limits"], reserveTokens = 0): BudgetCall => ({
  op: "acquire",
  input: { tenantId, principalId: "key:b", limits, tenantLimits: {}, reserveTokens },
});
const kinds = (out: BudgetOutcome[]) =>
  out.map((o) => (o.op === "acquire" ? (o.answer.ok ? "admitted" : "stale" in o.answer ? "stale" : `refused:${o.answer.limit}`) : o.op === "settle" ? `settled:${o.settled}` : "error"));
const leaseOf = (o: BudgetOutcome | undefined): string => {
  if (o?.op !== "acquire" || !o.answer.ok) throw new Error("not admitted");
  return o.answer.leaseId;
};
const inflightRows = (tenantId: string) =>
  runInDurableObject(principalStub(tenantId, "key:b"), (_, state) =>
    state.storage.sql.exec<{ id: string }>("SELECT substr(k, 3) AS id FROM budget_ledger WHERE k GLOB 'i:*' ORDER BY k").toArray().map((r) => r.id),
  );

describe("a batch of calls to a principal's budget object (durable-objects/budget-principal.ts batch)", () => {
  it("runs its items in order: items that together exceed a limit admit exactly what fits, a settlement in between frees its slot", async () => {
    const tenantId = freshTenant();
    const limits = { max_concurrency: 3 };
    const first = await acquire({ tenantId, principalId: "key:b", limits });
    if (!first.ok) throw new Error("not admitted");
    const settle: BudgetCall = { op: "settle", leaseId: first.leaseId, totalTokens: null, costMicro: null };
    const out = await principalStub(tenantId, "key:b").batch([ask(tenantId, limits), ask(tenantId, limits), ask(tenantId, limits), settle, ask(tenantId, limits), ask(tenantId, limits), settle]);
    expect(kinds(out)).toEqual(["admitted", "admitted", "refused:concurrency", "settled:true", "admitted", "refused:concurrency", "settled:false"]);
    expect(new Set([leaseOf(out[0]), leaseOf(out[1]), leaseOf(out[4])]).size).toBe(3);
  });

  itInOneUtcDay("exact for quotas too: a token quota is shared by the batch's items in their order", async () => {
    const tenantId = freshTenant();
    const limits = { tokens_per_day: 1_000 };
    const out = await principalStub(tenantId, "key:b").batch([ask(tenantId, limits, 400), ask(tenantId, limits, 700), ask(tenantId, limits, 400), ask(tenantId, limits, 300)]);
    expect(kinds(out)).toEqual(["admitted", "refused:tokens_day", "admitted", "refused:tokens_day"]);
    const usage = await principalStub(tenantId, "key:b").usage();
    expect(usage).toMatchObject({ in_flight: 2, requests: { day: 2 }, reserved_tokens: { day: 800 } });
  });

  it("an item that throws answers its own error; its neighbours are answered as if it were not there", async () => {
    const tenantId = freshTenant();
    const limits = { max_concurrency: 2 };
    const broken = { op: "acquire", input: null } as unknown as BudgetCall;
    const unknown = { op: "nope" } as unknown as BudgetCall;
    const out = await principalStub(tenantId, "key:b").batch([ask(tenantId, limits), broken, unknown, ask(tenantId, limits), ask(tenantId, limits)]);
    expect(kinds(out)).toEqual(["admitted", "error", "error", "admitted", "refused:concurrency"]);
  });

  it("writes every admission before it answers: the leases survive an eviction right after", async () => {
    const tenantId = freshTenant();
    const limits = { max_concurrency: 10 };
    const out = await principalStub(tenantId, "key:b").batch([ask(tenantId, limits), ask(tenantId, limits), ask(tenantId, limits)]);
    const leases = out.map(leaseOf).sort();
    expect(await inflightRows(tenantId)).toEqual(leases);
    await abortAllDurableObjects();
    expect(await principalStub(tenantId, "key:b").usage()).toMatchObject({ in_flight: 3 });
  });
});

describe("single-flight settlements from the Worker (worker/budget/calls.ts)", () => {
  const tenant = (limits: Record<string, unknown>) => TenantSchema.parse({ id: freshTenant(), name: "T", policy: { limits } });
  const key: Principal = { id: "key:c", kind: "key", keyId: "c", scopes: ["*"] };

  itInOneUtcDay("50 settlements at once: one goes alone, the rest queue behind it and go in batches; every slot and charge lands", async () => {
    const t = tenant({ max_concurrency: 50, tokens_per_day: 1_000_000 });
    const ctx = createExecutionContext();
    const leases = await Promise.all(Array.from({ length: 50 }, () => acquireBudget(env, t, key, { reserveTokens: 100, ctx })));
    await expect(acquireBudget(env, t, key, { reserveTokens: 100, ctx })).rejects.toBeInstanceOf(WardenError);
    const before = batchCounts();
    await Promise.all(leases.map((l, i) => l.settle(i + 1)));
    await waitOnExecutionContext(ctx);
    const after = batchCounts();
    expect(after.batched - before.batched).toBe(49);
    expect(after.batches - before.batches).toBeLessThan(49);
    // 1 + 2 + … + 50 tokens charged, nothing reserved, every slot back.
    expect((await readUsage(env, t.id)).principals).toMatchObject([{ principal: "key:c", in_flight: 0, tokens: { day: 1275 }, reserved_tokens: { day: 0 } }]);
    expect((await Promise.all(Array.from({ length: 50 }, () => acquireBudget(env, t, key, { reserveTokens: 100 })))).length).toBe(50);
  });
});
