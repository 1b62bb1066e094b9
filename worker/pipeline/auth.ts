import { createMiddleware } from "hono/factory";
import { decodeJwt } from "jose";
import type { AppEnv, Principal } from "../context";
import { WardenError } from "../errors";
import { constantTimeEqual, sha256Hex } from "../crypto/compare";
import { parseMasterKey } from "../crypto/master-key";
import { openJwtSecret } from "../config/sealing";
import { looksLikeApiKey, parseApiKey } from "../auth/api-key";
import { jwtModelScopes, looksLikeJwt, verifyTenantJwt } from "../auth/jwt";
import type { Bindings } from "../env";
import type { Tenant } from "../config/tenant";
import { log } from "../log";
import { tenantObject } from "../../durable-objects/tenant";
import { directoryObject } from "../../durable-objects/directory";

/**
 * Data-plane authentication (CONTRACT §3). Every refusal is a 401 or 403 with a generic
 * message; the precise reason goes to the log with the request id.
 */
const MISSING = () =>
  new WardenError("unauthorized", "A credential is required.", { headers: { "www-authenticate": "Bearer" } });
const INVALID = (reason: string) =>
  new WardenError("unauthorized", "The credential is invalid, expired or revoked.", {
    headers: { "www-authenticate": 'Bearer error="invalid_token"' },
    reason,
  });
const OTHER_TENANT = (reason: string) => new WardenError("forbidden", "This credential is not valid for this tenant.", { reason });

export function credentialFrom(req: Request): string | null {
  const auth = req.headers.get("authorization");
  if (auth) {
    const m = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    return m ? m[1]! : "";
  }
  const key = req.headers.get("x-api-key");
  return key === null ? null : key.trim();
}

export const authenticate = createMiddleware<AppEnv>(async function authenticate(c, next) {
  await c.var.timing.measure("auth", async () => {
    const tenantId = c.req.param("tenant") ?? "";
    const credential = credentialFrom(c.req.raw);
    if (credential === null) throw MISSING();
    if (credential === "") throw INVALID("empty or non-Bearer authorization header");
    const { tenant, principal } = await identify(c.env, tenantId, credential);
    c.set("tenant", tenant);
    c.set("principal", principal);
  });
  await next();
});

async function identify(env: Bindings, tenantId: string, credential: string): Promise<{ tenant: Tenant; principal: Principal }> {
  const key = looksLikeApiKey(credential) ? parseApiKey(credential) : null;
  if (looksLikeApiKey(credential) && !key) throw INVALID("malformed api key");
  const stub = tenantObject(env, tenantId);
  const resolved = await stub.resolve(key && key.tenant === tenantId ? key.keyId : null);
  // Unknown tenants get the same answer as a bad credential: the response must not reveal which tenants exist.
  if (!resolved.tenant) throw INVALID(`unknown tenant ${tenantId}`);
  const tenant = resolved.tenant;

  if (key) {
    if (key.tenant !== tenantId) {
      const home = await tenantObject(env, key.tenant).resolve(key.keyId);
      if (home.key && (await keyIsLive(home.key, key.secret))) throw OTHER_TENANT(`key of tenant ${key.tenant}`);
      throw INVALID("api key of another (or no) tenant, not valid there either");
    }
    if (!tenant.policy.auth.api_keys) throw INVALID("api keys are disabled for this tenant");
    if (!resolved.key || !(await keyIsLive(resolved.key, key.secret))) throw INVALID("unknown, revoked, expired or wrong api key");
    const rec = resolved.key;
    return {
      tenant,
      principal: { id: `key:${rec.id}`, kind: "key", keyId: rec.id, scopes: rec.scopes, ...(rec.limits ? { keyLimits: rec.limits } : {}) },
    };
  }

  if (!looksLikeJwt(credential)) throw INVALID("neither an api key nor a JWT");
  const jwtPolicy = tenant.policy.auth.jwt;
  const allowLoopback = env.ALLOW_LOOPBACK_ORIGINS === "true";
  if (jwtPolicy) {
    const result = await verifyTenantJwt(credential, jwtPolicy, { allowLoopback, ...(await hmacSecret(env, tenant)) });
    if (result.ok) {
      return { tenant, principal: { id: `sub:${result.payload.sub}`, kind: "sub", subject: result.payload.sub, scopes: jwtModelScopes(result.payload) ?? ["*"] } };
    }
    log("auth.jwt_refused", { tenant: tenantId, failure: result.failure, detail: result.detail });
    if (result.failure !== "claims" && result.failure !== "bad_signature_or_key") throw INVALID(`jwt ${result.failure}`);
  }
  if (await validForAnotherTenant(env, credential, tenantId, allowLoopback)) throw OTHER_TENANT("jwt of another tenant");
  throw INVALID(jwtPolicy ? "jwt refused" : "jwt sent but the tenant has no jwt policy");
}

async function keyIsLive(rec: { secret_sha256: string; revoked_at: string | null; expires_at: string | null }, secret: string): Promise<boolean> {
  const matches = await constantTimeEqual(await sha256Hex(secret), rec.secret_sha256);
  if (!matches || rec.revoked_at !== null) return false;
  return rec.expires_at === null || Date.parse(rec.expires_at) > Date.now();
}

async function hmacSecret(env: Bindings, tenant: Tenant): Promise<{ hmacSecret?: string }> {
  const stored = tenant.policy.auth.jwt?.secret;
  const master = parseMasterKey(env.MASTER_KEY);
  if (!stored || !master) return {};
  return { hmacSecret: await openJwtSecret(master, tenant.id, stored) };
}

/** A JWT that fails here may be a valid token of another tenant (same IdP or not): that is a 403. */
async function validForAnotherTenant(env: Bindings, token: string, tenantId: string, allowLoopback: boolean): Promise<boolean> {
  let iss: unknown;
  try {
    iss = decodeJwt(token).iss; // unverified: only picks which tenants to try; each verifies fully
  } catch {
    return false;
  }
  if (typeof iss !== "string" || iss.length > 512) return false;
  const directory = directoryObject(env);
  for (const other of await directory.tenantsTrustingIssuer(iss)) {
    if (other === tenantId) continue;
    const { tenant } = await tenantObject(env, other).resolve(null);
    const policy = tenant?.policy.auth.jwt;
    if (!tenant || !policy) continue;
    const result = await verifyTenantJwt(token, policy, { allowLoopback, ...(await hmacSecret(env, tenant)) });
    if (result.ok) return true;
  }
  return false;
}
