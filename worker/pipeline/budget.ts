import { beginSettle, pendingSettles } from "../budget/settling";
import type { Bindings } from "../env";
import type { Principal } from "../context";
import type { Tenant } from "../config/tenant";
import { WardenError } from "../errors";
import { principalLimits, tenantLimits } from "../budget/limits";
import { chargeCost, chargeTokens, type Charge, type Prices } from "../budget/cost";
import { recordAudit } from "../audit/record";
import { errorFields, log } from "../log";
import { reportUsage } from "../metrics/usage";
import { principalBudget, principalBudgetName } from "../clients/budget";
import { settleCall, twice } from "../budget/calls";
import type { AcquireAnswer, ExtractionStanding } from "../../durable-objects/budget";

/** An admitted request's hold on its budgets. */
export interface BudgetLease {
  /** RateLimit-Policy / RateLimit of the tightest policy, for the successful answer. */
  readonly headers: Record<string, string>;
  /** Tokens reserved: the most this request can be charged. */
  readonly reserved: number;
  /** µUSD reserved: the most this request can cost. */
  readonly reservedCost: number;
  /** The principal's extraction standing as its budget object knows it (worker/pipeline/extraction.ts). */
  readonly extraction: ExtractionStanding;
  /**
   * Ends the request, once (later calls do nothing), and frees its slot: `totalTokens` as the
   * origin reported it (prompt + completion) or as Warden counted it, capped at `reserved` (an
   * origin reporting more is logged); null when the origin failed before generating anything —
   * nothing is charged. Never throws; a settle that cannot reach the object is left to the lease
   * expiry (slot freed, reservation charged).
   *
   * With `ctx` (the request path), the call to the object is sent at once but not waited for: its
   * reply goes to `waitUntil`, so an answer never waits for the settlement's storage commit.
   * Until the reply comes, this isolate's next `acquire` for the principal carries the settlement
   * (worker/budget/settling.ts), so a client's next request finds this one's slot and reservation
   * given back even if it overtakes the settle call.
   */
  settle(charge: Charge | null): Promise<void>;
  /** Keeps a long stream's lease from expiring: `ms` more from now. */
  extend(ms: number): Promise<void>;
}

export interface AcquireOptions {
  /** Tokens to reserve: requested max completion tokens + prompt estimate (0 for routes without tokens). */
  reserveTokens: number;
  /** The model's prices and the µUSD to reserve (worker/budget/cost.ts); absent: the request costs nothing. */
  prices?: Prices | null;
  reserveCost?: number;
  /** When given, a refusal is written to the audit log, and settlement completes, inside `ctx.waitUntil`. */
  ctx?: Pick<ExecutionContext, "waitUntil">;
  /** Unsettled leases expire after this long (default 5 min): pass the route's worst-case duration. */
  leaseMs?: number;
  requestId?: string;
  /** For the usage metrics and log line: the model's name and the route kind. */
  model?: string;
  route?: string;
  /** The tenant configuration version the request was checked with (see AcquireInput). */
  configVersion?: number;
  fresh?: boolean;
}

/** The principal's budget object knows a newer tenant configuration: re-read it and check again. */
export class StaleConfig extends Error {
  override name = "StaleConfig";
}

/**
 * The budget stage: one call to the principal's BudgetObject, which checks the principal's own
 * limits and the tenant-wide ones (from blocks it holds) in one step. Throws `rate_limited` or
 * `quota_exceeded` (429 with Retry-After, RateLimit-Policy, RateLimit) when over a limit.
 */
export async function acquireBudget(env: Bindings, tenant: Tenant, principal: Principal, opts: AcquireOptions): Promise<BudgetLease> {
  const objectName = principalBudgetName(tenant.id, principal.id);
  const stub = principalBudget(env, tenant.id, principal.id);
  const inFlight = pendingSettles(objectName);
  const result: AcquireAnswer = await stub.acquire({
    tenantId: tenant.id,
    principalId: principal.id,
    limits: principalLimits(tenant.policy, principal),
    tenantLimits: tenantLimits(tenant.policy),
    reserveTokens: opts.reserveTokens,
    ...(opts.reserveCost ? { reserveCost: opts.reserveCost } : {}),
    ...(opts.leaseMs === undefined ? {} : { leaseMs: opts.leaseMs }),
    ...(opts.configVersion === undefined ? {} : { configVersion: opts.configVersion, fresh: opts.fresh === true }),
    ...(inFlight.length ? { settled: inFlight } : {}),
  });
  if ("stale" in result) throw new StaleConfig();

  if (!result.ok) {
    if (result.audit && opts.ctx)
      recordAudit(env, opts.ctx, tenant.id, {
        type: "block",
        principal: principal.id,
        reason: `${result.code}: ${result.scope} ${result.limit}`,
        detail: {
          limit: result.limit,
          scope: result.scope,
          retry_after_s: result.retryAfterS,
          refusals_not_logged_since_last_entry: result.suppressed,
          ...(opts.requestId ? { request_id: opts.requestId } : {}),
        },
      });
    throw new WardenError(result.code, result.detail, {
      headers: result.headers,
      reason: `budget: ${result.scope} ${result.limit} (retry after ${result.retryAfterS}s)`,
    });
  }

  const leaseId = result.leaseId;
  const reserved = Math.max(0, Math.ceil(opts.reserveTokens));
  const reservedCost = Math.max(0, Math.ceil(opts.reserveCost ?? 0));
  let settled: Promise<void> | null = null;
  return {
    headers: result.headers,
    reserved,
    reservedCost,
    extraction: result.extraction ?? { state: "normal", until: null },
    settle(charge) {
      settled ??= (async () => {
        const reported = charge === null ? null : chargeTokens(charge);
        if (reported !== null && reported > reserved)
          log("budget.usage_over_reservation", { tenant: tenant.id, principal: principal.id, request_id: opts.requestId, reported, reserved });
        const totalTokens = reported === null ? null : Math.min(reported, reserved);
        const cost = charge === null ? null : chargeCost(opts.prices ?? null, charge, reservedCost);
        if (charge !== null && opts.model)
          reportUsage(env, opts.ctx, {
            tenant: tenant.id, principal: principal.id, model: opts.model, route: opts.route ?? "", requestId: opts.requestId,
            charge, tokens: totalTokens === null || Number.isNaN(totalTokens) ? reserved : totalTokens, costMicro: cost ?? 0,
          });
        const done = beginSettle(objectName, { leaseId, totalTokens, costMicro: cost });
        const after = (err: unknown) => {
          if (err !== undefined) log("budget.settle_failed", { tenant: tenant.id, principal: principal.id, ...errorFields(err) });
          done();
        };
        // On the request path (ctx) through this isolate's single flight to the object; without
        // one (a caller that awaits the settlement), a call of its own.
        if (opts.ctx) await settleCall(objectName, stub, { leaseId, totalTokens, costMicro: cost }, after);
        else after(await twice(() => stub.settle(leaseId, totalTokens, cost)));
      })();
      if (!opts.ctx) return settled;
      opts.ctx.waitUntil(settled);
      return Promise.resolve();
    },
    async extend(ms) {
      await stub.extend(leaseId, ms).catch((err: unknown) => log("budget.extend_failed", errorFields(err)));
    },
  };
}
