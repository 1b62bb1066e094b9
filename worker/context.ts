import type { Bindings } from "./env";
import type { Tenant, Model, Policy } from "./config/tenant";
import type { Settings } from "./config/settings";
import type { Timing } from "./timing";
import type { RouteKind } from "./pipeline/route";

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
 * Per-request variables, one set per plane: each plane's routes are typed by the variables its
 * middleware guarantees, so a variable typed present is set before any handler of that plane reads
 * it, and one that may be missing is typed so. Read them with `c.get(name)` on the request path:
 * Hono's `c.var` builds a new object of every variable on each access.
 */

/** Set for every request, by the root app's first middleware (worker/app.ts); `errorCode`/`errorReason` by `onError`. */
interface RequestVariables {
  requestId: string;
  /** Warden's settings, parsed from the bindings once per isolate (worker/config/settings.ts). */
  settings: Settings;
  timing: Timing;
  /** The code of the problem answered, for metrics. */
  errorCode?: string;
  /** Its operator-only reason, for the metrics' bounded refusal reason (worker/metrics/observation.ts). */
  errorReason?: string;
}

/** Behind `requireConfigured` (worker/app.ts): the admin and data planes. */
interface ConfiguredVariables extends RequestVariables {
  /** The master key, checked present by `requireConfigured`. */
  masterKey: Uint8Array;
}

/** The admin plane, `/admin/v1`: every route is behind `adminAuth` (worker/admin/index.ts). */
export interface AdminVariables extends ConfiguredVariables {
  /** Who called the admin API: `admin-token` or `admin-jwt:<sub>` (for the audit log). */
  adminPrincipal: string;
}

/**
 * The data plane after authentication: `authenticate` and `authenticateCached` (typed by this
 * env) set `tenant`, `principal` and `config`, and a data-plane route gets these variables only
 * from the middleware in front of it (DataPlaneEnv below).
 */
export interface DataVariables extends ConfiguredVariables {
  tenant: Tenant;
  principal: Principal;
  /** The tenant configuration version `tenant` was read at; `fresh` when read from its object by this request (worker/auth/tenant-cache.ts). */
  config: { version: number; fresh: boolean };
  /**
   * The forwarded route's kind and model, for metrics and the refusal log only: set by the
   * forwarded routes' handler once known (`model` after validation), so absent before that and on
   * every other route. The stages get them as arguments (worker/pipeline/run.ts), never from here.
   */
  model?: Model;
  /** The data-plane route's kind, as the route table names it (worker/protocols/routes.ts). */
  route?: RouteKind;
  /** The input screening score, when the text screen ran (for the score histogram). */
  screenScore?: number;
}

/**
 * What the root app's own middleware and `onError`/metrics see: the request's variables, and
 * whatever a plane had set before the answer — possibly nothing (a public route, an early refusal).
 */
export type RootVariables = RequestVariables & Partial<Omit<AdminVariables, keyof RequestVariables>> & Partial<Omit<DataVariables, keyof RequestVariables>>;

export type RootEnv = { Bindings: Bindings; Variables: RootVariables };
export type AdminEnv = { Bindings: Bindings; Variables: AdminVariables };
/**
 * The data plane's own app (worker/dataplane.ts) is typed without the tenant: each route gets
 * DataEnv from the `authenticate` middleware it is registered behind, so a route without it
 * cannot read `tenant` or `principal` (a type error, not an undefined at run time).
 */
export type DataPlaneEnv = { Bindings: Bindings; Variables: ConfiguredVariables };
export type DataEnv = { Bindings: Bindings; Variables: DataVariables };
