import type { Bindings } from "./env";
import type { Tenant, Model, Policy } from "./config/tenant";

/** Who is calling on the data plane, after authentication. */
export interface Principal {
  /** `key:<keyId>` or `sub:<subject>` (CONTRACT §5). */
  id: string;
  kind: "key" | "sub";
  keyId?: string;
  subject?: string;
  /** Per-key limits from the key record, if any. */
  keyLimits?: Policy["limits"];
  /** Model names this credential may use; `["*"]` = all. */
  scopes: string[];
}

/**
 * Per-request variables set by the pipeline stages, in order. Read them with `c.get(name)` on the
 * request path: Hono's `c.var` builds a new object of every variable on each access.
 */
export interface Variables {
  requestId: string;
  /** Warden's settings, parsed from the bindings once per isolate (worker/config/settings.ts). */
  settings: import("./config/settings").Settings;
  /** The master key, set once `requireConfigured` has checked there is one: every route after it may rely on it. */
  masterKey: Uint8Array;
  timing: import("./timing").Timing;
  tenant: Tenant;
  principal: Principal;
  /** The tenant configuration version `tenant` was read at; `fresh` when read from its object by this request (worker/auth/tenant-cache.ts). */
  config: { version: number; fresh: boolean };
  model: Model;
  /** Who called the admin API: `admin-token` or `admin-jwt:<sub>` (for the audit log). */
  adminPrincipal: string;
  /** The data-plane route's kind ("chat", "infer", …), for metrics. */
  route: string;
  /** The code of the problem answered, for metrics. */
  errorCode: string;
  /** Its operator-only reason, for the metrics' bounded refusal reason (worker/metrics/observation.ts). */
  errorReason: string | undefined;
  /** The input screening score, when the text screen ran (for the score histogram). */
  screenScore: number;
}

export type AppEnv = { Bindings: Bindings; Variables: Variables };
