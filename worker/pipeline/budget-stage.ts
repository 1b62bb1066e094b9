import type { Context } from "hono";
import type { AppEnv } from "../context";
import type { Prepared } from "./run";

/** An admitted request's hold on its budgets; settled exactly once. */
export interface Lease {
  /** RateLimit / RateLimit-Policy of the tightest policy, for the successful answer. */
  headers: Record<string, string>;
  /** Total tokens the origin reported, or null when it failed (charges nothing, frees the slot). */
  settle(totalTokens: number | null): Promise<void>;
}

export async function budgetStage(c: Context<AppEnv>, prepared: Prepared): Promise<Lease> {
  void c;
  void prepared;
  return { headers: {}, settle: async () => {} };
}
