import { z } from "zod";
import type { Bindings } from "../env";
import { parseMasterKey } from "../crypto/master-key";

/**
 * Warden's own settings (secrets and vars of wrangler.toml), parsed from the bindings once per
 * isolate and handed to the request as `c.var.settings`. Parsing never fails: a missing or
 * malformed secret is a setting that is absent (MASTER_KEY → null), which the routes that need
 * it answer with 503 `not_configured` — Warden starts, and says what is missing (/healthz).
 */
const optionalText = z.string().optional().catch(undefined);

export const SettingsSchema = z.object({
  /** 32 random bytes, base64; null when missing or not 32 bytes. */
  MASTER_KEY: z.string().optional().catch(undefined).transform((v) => parseMasterKey(v)),
  ADMIN_TOKEN: optionalText,
  ADMIN_JWT_ISSUER: optionalText,
  ADMIN_JWT_AUDIENCE: optionalText,
  ADMIN_JWKS_URL: optionalText,
  /** Exactly "true" allows loopback and private origins (local development only). */
  ALLOW_LOOPBACK_ORIGINS: z.unknown().optional().transform((v) => v === "true"),
  /** Milliseconds an isolate sums metrics before writing them: 0..5000, default 500 (worker/metrics/record.ts). */
  METRICS_FLUSH_MS: z.unknown().optional().transform((v) => {
    const n = Number(v ?? DEFAULT_METRICS_FLUSH_MS);
    return Number.isFinite(n) && n >= 0 ? Math.min(n, 5_000) : DEFAULT_METRICS_FLUSH_MS;
  }),
  MODEL_MANIFEST_PUBLIC_KEY: optionalText,
});

export const DEFAULT_METRICS_FLUSH_MS = 500;

type Parsed = z.output<typeof SettingsSchema>;

export interface Settings {
  masterKey: Uint8Array | null;
  adminToken: string | undefined;
  adminJwt: { issuer: string; audience: string; jwksUrl: string } | null;
  allowLoopback: boolean;
  metricsFlushMs: number;
  modelManifestPublicKey: string | undefined;
}

function toSettings(p: Parsed): Settings {
  return {
    masterKey: p.MASTER_KEY,
    adminToken: p.ADMIN_TOKEN || undefined,
    adminJwt: p.ADMIN_JWT_ISSUER && p.ADMIN_JWT_AUDIENCE && p.ADMIN_JWKS_URL ? { issuer: p.ADMIN_JWT_ISSUER, audience: p.ADMIN_JWT_AUDIENCE, jwksUrl: p.ADMIN_JWKS_URL } : null,
    allowLoopback: p.ALLOW_LOOPBACK_ORIGINS,
    metricsFlushMs: p.METRICS_FLUSH_MS,
    modelManifestPublicKey: p.MODEL_MANIFEST_PUBLIC_KEY,
  };
}

// The runtime hands every request of an isolate the same `env` object: parse it once.
const parsed = new WeakMap<object, Settings>();

export function settingsOf(env: Bindings): Settings {
  let s = parsed.get(env);
  if (!s) {
    s = toSettings(SettingsSchema.parse(env));
    parsed.set(env, s);
  }
  return s;
}
