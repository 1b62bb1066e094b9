import type { TenantObject } from "../durable-objects/tenant";
import type { DirectoryObject } from "../durable-objects/directory";
import type { BudgetObject } from "../durable-objects/budget";
import type { AuditObject } from "../durable-objects/audit";
import type { SignalsObject } from "../durable-objects/signals";
import type { MetricsObject } from "../durable-objects/metrics";

/** Bindings from wrangler.toml, secrets and vars. Secrets are optional: a missing one is a 503, not a crash. */
export interface Bindings {
  TENANTS: DurableObjectNamespace<TenantObject>;
  DIRECTORY: DurableObjectNamespace<DirectoryObject>;
  BUDGETS: DurableObjectNamespace<BudgetObject>;
  AUDIT: DurableObjectNamespace<AuditObject>;
  SIGNALS: DurableObjectNamespace<SignalsObject>;
  METRICS: DurableObjectNamespace<MetricsObject>;
  /** Optional Workers Analytics Engine dataset (wrangler.toml, docs/metrics.md): written when bound. */
  ANALYTICS?: AnalyticsEngineDataset;
  ADMIN_TOKEN?: string;
  ADMIN_JWT_ISSUER?: string;
  ADMIN_JWT_AUDIENCE?: string;
  ADMIN_JWKS_URL?: string;
  MASTER_KEY?: string;
  ALLOW_LOOPBACK_ORIGINS?: string;
  /** Milliseconds an isolate sums metrics before writing them (default 500; 0 = per request). worker/metrics/record.ts. */
  METRICS_FLUSH_MS?: string;
  /** Ed25519 public key (JWK JSON) that must have signed wasm-models/manifest.json. */
  MODEL_MANIFEST_PUBLIC_KEY?: string;
}
