/**
 * Benchmark harness Worker for the budget path (bench/budget.mjs builds and serves it under
 * Miniflare). It runs the real budget stage against the real BudgetObject — everything a
 * forwarded request does for budgets — and answers at once instead of calling an origin, so the
 * difference between `/off` and the other paths is the budget path alone.
 *
 *   /off                      no budget stage (the baseline, same worker, same run)
 *   /rpc?k=<n>                one read-only RPC to a principal object (the floor of any DO design)
 *   /write?k=<n>              one RPC that writes one SQLite row (the floor of any durable DO design)
 *   /on?s=<scenario>&k=<n>    acquireBudget as principal key:k<n>, settle in waitUntil
 */
import { acquireBudget } from "../worker/pipeline/budget";
import { TenantSchema, type Tenant } from "../worker/config/tenant";
import type { Limits } from "../worker/config/policy";
import type { Principal } from "../worker/context";
import { WardenError } from "../worker/errors";
import type { Bindings } from "../worker/env";

import { principalBudgetName } from "../worker/clients/budget";

export { BudgetObject } from "../durable-objects/budget";
export { AuditObject } from "../durable-objects/audit";

const roomy: Limits = {
  requests_per_minute: 60_000_000,
  burst: 10_000_000,
  requests_per_day: 1_000_000_000,
  tokens_per_day: 1_000_000_000_000,
  tokens_per_month: 1_000_000_000_000,
  max_concurrency: 100_000,
};

/** Scenarios: which limits apply; none refuses except `tenant-at-limit`. */
const SCENARIOS: Record<string, { tenant: Tenant; keyLimits?: Limits }> = {
  // no limits at all: the principal object only counts usage
  counting: { tenant: TenantSchema.parse({ id: "bench-counting", name: "b", policy: {} }) },
  // every limit set on the tenant (leased blocks) and on the key (exact per principal)
  "all-limits": { tenant: TenantSchema.parse({ id: "bench-all", name: "b", policy: { limits: roomy } }), keyLimits: roomy },
  // tenant-wide concurrency below the offered load: pressure mode, reclaim and 429s
  "tenant-at-limit": { tenant: TenantSchema.parse({ id: "bench-pressure", name: "b", policy: { limits: { max_concurrency: 8 } } }) },
};

export default {
  async fetch(request: Request, env: Bindings, ctx: ExecutionContext): Promise<Response> {
    const url = new URL(request.url);
    if (url.pathname === "/off") return new Response("ok");
    if (url.pathname === "/write") {
      const k = url.searchParams.get("k") ?? "0";
      await env.BUDGETS.get(env.BUDGETS.idFromName(`t:bench-write-${k}`)).register({ tenantId: `bench-write-${k}`, principal: crypto.randomUUID() });
      return new Response("ok");
    }
    if (url.pathname === "/rpc") {
      const name = principalBudgetName("bench-counting", `key:k${url.searchParams.get("k") ?? "0"}`);
      await env.BUDGETS.get(env.BUDGETS.idFromName(name)).usage();
      return new Response("ok");
    }
    const scenario = SCENARIOS[url.searchParams.get("s") ?? ""];
    if (url.pathname !== "/on" || !scenario) return new Response("not found", { status: 404 });
    const k = url.searchParams.get("k") ?? "0";
    const principal: Principal = { id: `key:k${k}`, kind: "key", keyId: `k${k}`, scopes: ["*"], ...(scenario.keyLimits ? { keyLimits: scenario.keyLimits } : {}) };
    try {
      const lease = await acquireBudget(env, scenario.tenant, principal, { reserveTokens: 100, ctx });
      ctx.waitUntil(lease.settle(60));
      return new Response("ok", { headers: lease.headers });
    } catch (err) {
      if (err instanceof WardenError) return new Response(err.code, { status: err.status, headers: err.headers });
      throw err;
    }
  },
};
