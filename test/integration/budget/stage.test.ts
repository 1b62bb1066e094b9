import { createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { TenantSchema } from "../../../worker/config/tenant";
import type { Principal } from "../../../worker/context";
import { WardenError } from "../../../worker/errors";
import { acquireBudget } from "../../../worker/pipeline/budget";
import { purgeBudgets, readUsage } from "../../../worker/admin/budget-usage";
import { readAudit } from "../../../worker/audit/record";
import { freshTenant, tenantStub } from "./helpers";
import { itInOneUtcDay } from "../../helpers/clock";

const tenant = (limits: Record<string, unknown>) => TenantSchema.parse({ id: freshTenant(), name: "T", policy: { limits } });
const key = (id: string, keyLimits?: Principal["keyLimits"]): Principal => ({ id: `key:${id}`, kind: "key", keyId: id, scopes: ["*"], ...(keyLimits ? { keyLimits } : {}) });
const sub = (s: string): Principal => ({ id: `sub:${s}`, kind: "sub", subject: s, scopes: ["*"] });

async function refusal(p: Promise<unknown>): Promise<WardenError> {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  if (!(err instanceof WardenError)) throw new Error(`expected a WardenError, got ${String(err)}`);
  return err;
}

describe("budget stage (acquireBudget)", () => {
  it("admits with the tightest policy in headers, then refuses with 429 headers and one audit entry", async () => {
    const t = tenant({ requests_per_day: 1000 });
    const p = key("k1", { requests_per_minute: 1, burst: 2 });
    const ctx = createExecutionContext();
    const first = await acquireBudget(env, t, p, { reserveTokens: 0, ctx });
    expect(first.headers).toEqual({ "RateLimit-Policy": '"rpm";q=1;w=60', RateLimit: '"rpm";r=1;t=0' });
    await acquireBudget(env, t, p, { reserveTokens: 0, ctx });
    const err = await refusal(acquireBudget(env, t, p, { reserveTokens: 0, ctx, requestId: "req-1" }));
    expect(err).toMatchObject({ code: "rate_limited", status: 429 });
    expect(Number(err.headers["Retry-After"])).toBeGreaterThanOrEqual(1);
    expect(err.headers["RateLimit-Policy"]).toBe('"rpm";q=1;w=60');
    expect(err.headers.RateLimit).toBe(`"rpm";r=0;t=${err.headers["Retry-After"]}`);
    await refusal(acquireBudget(env, t, p, { reserveTokens: 0, ctx }));
    await waitOnExecutionContext(ctx);
    const audit = await readAudit(env, t.id);
    expect(audit.items).toHaveLength(1);
    expect(audit.items[0]).toMatchObject({
      type: "block",
      principal: "key:k1",
      reason: "rate_limited: principal rpm",
      detail: { limit: "rpm", scope: "principal", request_id: "req-1" },
    });
  });

  itInOneUtcDay("answers quota_exceeded for daily and monthly quotas, per subject", async () => {
    const t = tenant({ per_subject: { tokens_per_month: 100 } });
    await acquireBudget(env, t, sub("alice"), { reserveTokens: 100 });
    const err = await refusal(acquireBudget(env, t, sub("alice"), { reserveTokens: 1 }));
    expect(err.code).toBe("quota_exceeded");
    expect(err.headers["RateLimit-Policy"]).toMatch(/^"tokens-month";q=100;qu="tokens";w=\d+$/);
    // another subject has its own allowance; a key is not bound by per_subject limits
    await acquireBudget(env, t, sub("bob"), { reserveTokens: 100 });
    await acquireBudget(env, t, key("k"), { reserveTokens: 1000 });
  });

  it("applies the tenant limit across principals (strictest wins)", async () => {
    const t = tenant({ max_concurrency: 2, per_subject: { max_concurrency: 5 } });
    await acquireBudget(env, t, sub("a"), { reserveTokens: 0 });
    await acquireBudget(env, t, sub("b"), { reserveTokens: 0 });
    const err = await refusal(acquireBudget(env, t, sub("c"), { reserveTokens: 0 }));
    expect(err.code).toBe("rate_limited");
  });

  itInOneUtcDay("settles once: the second settle changes nothing", async () => {
    const t = tenant({ tokens_per_day: 1000 });
    const lease = await acquireBudget(env, t, key("s"), { reserveTokens: 500 });
    await lease.settle(120);
    await lease.settle(120);
    await lease.settle(null);
    const usage = await readUsage(env, t.id);
    expect(usage.principals).toMatchObject([{ principal: "key:s", tokens: { day: 120 }, reserved_tokens: { day: 0 }, in_flight: 0 }]);
  });

  itInOneUtcDay("reads usage per principal with tenant totals per window, and purges it with the tenant", async () => {
    const t = tenant({});
    for (const [p, tokens] of [
      [key("a"), 10],
      [key("a"), 5],
      [sub("z"), 7],
    ] as const) {
      const lease = await acquireBudget(env, t, p, { reserveTokens: 50 });
      await lease.settle(tokens);
    }
    const u = await readUsage(env, t.id);
    expect(u.tenant).toBe(t.id);
    expect(u.windows.day).toMatchObject({ requests: 3, tokens: 22 });
    expect(u.windows.month).toMatchObject({ requests: 3, tokens: 22 });
    expect(u.windows.day.start).toMatch(/^\d{4}-\d\d-\d\d$/);
    expect(u.principals.map((p) => [p.principal, p.requests.day, p.tokens.day])).toEqual([
      ["key:a", 2, 15],
      ["sub:z", 1, 7],
    ]);
    await purgeBudgets(env, t.id);
    expect(await tenantStub(t.id).principals()).toEqual([]);
    expect((await readUsage(env, t.id)).principals).toEqual([]);
  });

  itInOneUtcDay("keeps working after a purge that follows a refusal not yet written", async () => {
    const t = tenant({ requests_per_day: 1 });
    await (await acquireBudget(env, t, key("r"), { reserveTokens: 0 })).settle(0);
    await expect(acquireBudget(env, t, key("r"), { reserveTokens: 0 })).rejects.toMatchObject({ code: "quota_exceeded" });
    await purgeBudgets(env, t.id);
    const lease = await acquireBudget(env, t, key("r"), { reserveTokens: 0 });
    await lease.settle(0);
    expect((await readUsage(env, t.id)).principals).toMatchObject([{ principal: "key:r", requests: { day: 1 } }]);
  });
});
