import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import { decodeJwt, type JWTPayload } from "jose";
import type { DataEnv, Principal } from "../context";
import { WardenError } from "../errors";
import { settingsOf } from "../config/settings";
import { openJwtSecret } from "../config/sealing";
import { credentialFrom } from "../auth/credential";
import { looksLikeApiKey, parseApiKey, type ParsedKey } from "../auth/api-key";
import { secretMatches } from "../auth/key-secret";
import { jwtModelScopes, looksLikeJwt, verifyTenantJwt } from "../auth/jwt";
import type { Bindings } from "../env";
import type { Tenant } from "../config/tenant";
import { log } from "../log";
import type { KeyWithHash, Resolved } from "../../durable-objects/tenant";
import { tenantObject } from "../clients/tenant";
import { cachedKey, cachedTenant, rememberResolved } from "../auth/tenant-cache";
import { forgetTenant, tenantExists } from "../auth/known-tenants";
import { directoryObject } from "../clients/directory";

/**
 * Data-plane authentication (CONTRACT §3). Every refusal is a 401 or 403 with a generic
 * message; the precise reason goes to the log with the request id.
 *
 * An unknown tenant must look exactly like a known one refusing a bad credential (issue 8 #11):
 * credential-shape refusals come before any lookup; then one lookup each (the directory for an
 * id this isolate does not know, else the tenant's object); and the "is it another tenant's
 * credential?" lookup runs on every refusal that could be one, whether or not the path's tenant
 * exists, though only a known tenant turns its answer into a 403. A refusal reports no auth
 * duration in Server-Timing: that number was what told the two apart.
 */
const MISSING = () =>
  new WardenError("unauthorized", "A credential is required.", { headers: { "www-authenticate": "Bearer" } });
const INVALID = (reason: string) =>
  new WardenError("unauthorized", "The credential is invalid, expired or revoked.", {
    headers: { "www-authenticate": 'Bearer error="invalid_token"' },
    reason,
  });
const OTHER_TENANT = (reason: string) => new WardenError("forbidden", "This credential is not valid for this tenant.", { reason });

/**
 * Authentication that reads the tenant's object (through the directory for an id this isolate
 * does not know): every route that does not go through a budget admission, and every refusal.
 */
export const authenticate = authMiddleware(false);

/**
 * For forwarded routes: a credential this isolate has seen admitted under the tenant's current
 * cached configuration is admitted without a read; the budget admission then checks the version
 * (worker/auth/tenant-cache.ts) and a stale one is re-checked by `refreshIdentity`.
 */
export const authenticateCached = authMiddleware(true);

function authMiddleware(useCache: boolean) {
  return createMiddleware<DataEnv>(async function authenticate(c, next) {
    const start = performance.now();
    const credential = credentialFrom(c.req.raw);
    if (credential === null) throw MISSING();
    if (credential === "") throw INVALID("empty or non-Bearer authorization header");
    const tenantId = c.req.param("tenant") ?? "";
    const identity = (useCache ? await identifyCached(c.env, tenantId, credential) : null) ?? (await identify(c.env, tenantId, credential));
    // Recorded only now: a refusal leaves through onError before this line, with no auth entry.
    c.get("timing").add("auth", performance.now() - start);
    setIdentity(c, identity);
    await next();
  });
}

/** The budget object knows a newer configuration than the cached one: authenticate again from the tenant's object. */
export async function refreshIdentity(c: Context<DataEnv>): Promise<void> {
  const credential = credentialFrom(c.req.raw) ?? "";
  setIdentity(c, await identify(c.env, c.req.param("tenant") ?? "", credential));
}

function setIdentity(c: Context<DataEnv>, identity: Identity): void {
  c.set("tenant", identity.tenant);
  c.set("principal", identity.principal);
  c.set("config", { version: identity.version, fresh: identity.fresh });
}

/** `version`: the configuration version it was checked under; `fresh`: read from the tenant's object just now. */
type Identity = { tenant: Tenant; principal: Principal; version: number; fresh: boolean };
/** `elsewhere`: the credential may be valid for another tenant, which decides 403 against 401. */
type Verdict = ({ ok: true } & Identity) | { ok: false; reason: string; elsewhere: boolean };

/** Admission from the isolate's cache only; null sends the request down the uncached path (refusals included). */
async function identifyCached(env: Bindings, tenantId: string, credential: string): Promise<Identity | null> {
  if (looksLikeApiKey(credential)) {
    const key = parseApiKey(credential);
    if (!key || key.tenant !== tenantId) return null;
    const hit = cachedKey(tenantId, key.keyId);
    if (!hit || !hit.tenant.policy.auth.api_keys || !(await keyIsLive(hit.key, key.secret))) return null;
    return { tenant: hit.tenant, principal: keyPrincipal(hit.key), version: hit.version, fresh: false };
  }
  const hit = looksLikeJwt(credential) ? cachedTenant(tenantId) : null;
  const jwtPolicy = hit?.tenant.policy.auth.jwt;
  if (!hit || !jwtPolicy) return null;
  const { allowLoopback } = settingsOf(env);
  const result = await verifyTenantJwt(credential, jwtPolicy, { tenantId, allowLoopback, ...(await hmacSecret(env, hit.tenant)) });
  return result.ok ? { tenant: hit.tenant, principal: subjectPrincipal(result.payload), version: hit.version, fresh: false } : null;
}

async function identify(env: Bindings, tenantId: string, credential: string): Promise<Identity> {
  const key = looksLikeApiKey(credential) ? parseApiKey(credential) : null;
  if (looksLikeApiKey(credential) && !key) throw INVALID("malformed api key");
  if (!key && !looksLikeJwt(credential)) throw INVALID("neither an api key nor a JWT");
  const { allowLoopback } = settingsOf(env);

  const resolved = await resolveTenant(env, tenantId, key && key.tenant === tenantId ? key.keyId : null);
  const verdict = key ? await checkKey(resolved, key, tenantId) : await checkJwt(env, resolved, credential, allowLoopback);
  if (verdict.ok) return verdict;
  const elsewhere = verdict.elsewhere && (key ? await liveAtHome(env, key) : await validForAnotherTenant(env, credential, tenantId, allowLoopback));
  // Unknown tenants get the same answer as a bad credential: the response must not reveal which tenants exist.
  if (elsewhere && resolved.tenant) throw OTHER_TENANT(key ? `key of tenant ${key.tenant}` : "jwt of another tenant");
  throw INVALID(verdict.reason);
}

/**
 * The tenant and, when `keyId` is given, that key, in one round trip to the tenant's object; but
 * only for a tenant that exists: addressing an object creates it (issue 8 #7).
 */
async function resolveTenant(env: Bindings, tenantId: string, keyId: string | null): Promise<Resolved> {
  if (!(await tenantExists(env, tenantId))) return { tenant: null, key: null, version: 0 };
  const resolved = await tenantObject(env, tenantId).resolve(keyId);
  if (!resolved.tenant) forgetTenant(tenantId); // deleted meanwhile
  rememberResolved(tenantId, resolved);
  return resolved;
}

function keyPrincipal(rec: KeyWithHash): Principal {
  return { id: `key:${rec.id}`, kind: "key", keyId: rec.id, scopes: rec.scopes, ...(rec.limits ? { keyLimits: rec.limits } : {}) };
}

function subjectPrincipal(payload: JWTPayload & { sub: string }): Principal {
  return { id: `sub:${payload.sub}`, kind: "sub", subject: payload.sub, scopes: jwtModelScopes(payload) ?? ["*"] };
}

async function checkKey(resolved: Resolved, key: ParsedKey, tenantId: string): Promise<Verdict> {
  const foreign = key.tenant !== tenantId;
  const { tenant } = resolved;
  if (!tenant) return { ok: false, reason: `unknown tenant ${tenantId}`, elsewhere: foreign };
  if (foreign) return { ok: false, reason: "api key of another (or no) tenant", elsewhere: true };
  if (!tenant.policy.auth.api_keys) return { ok: false, reason: "api keys are disabled for this tenant", elsewhere: false };
  const rec = resolved.key;
  if (!rec || !(await keyIsLive(rec, key.secret))) return { ok: false, reason: "unknown, revoked, expired or wrong api key", elsewhere: false };
  return { ok: true, tenant, principal: keyPrincipal(rec), version: resolved.version, fresh: true };
}

async function checkJwt(env: Bindings, resolved: Resolved, token: string, allowLoopback: boolean): Promise<Verdict> {
  const { tenant } = resolved;
  if (!tenant) return { ok: false, reason: "unknown tenant", elsewhere: true };
  const jwtPolicy = tenant.policy.auth.jwt;
  if (!jwtPolicy) return { ok: false, reason: "jwt sent but the tenant has no jwt policy", elsewhere: true };
  const result = await verifyTenantJwt(token, jwtPolicy, { tenantId: tenant.id, allowLoopback, ...(await hmacSecret(env, tenant)) });
  if (result.ok) return { ok: true, tenant, principal: subjectPrincipal(result.payload), version: resolved.version, fresh: true };
  log("auth.jwt_refused", { tenant: tenant.id, failure: result.failure, detail: result.detail });
  return { ok: false, reason: `jwt ${result.failure}`, elsewhere: true };
}

/** A key sent to the wrong tenant: is it live in the tenant it names (403) or not (401)? */
async function liveAtHome(env: Bindings, key: ParsedKey): Promise<boolean> {
  const home = await resolveTenant(env, key.tenant, key.keyId);
  return home.key !== null && (await keyIsLive(home.key, key.secret));
}

async function keyIsLive(rec: { secret_sha256: string; revoked_at: string | null; expires_at: string | null }, secret: string): Promise<boolean> {
  const matches = await secretMatches(secret, rec.secret_sha256);
  if (!matches || rec.revoked_at !== null) return false;
  return rec.expires_at === null || Date.parse(rec.expires_at) > Date.now();
}

async function hmacSecret(env: Bindings, tenant: Tenant): Promise<{ hmacSecret?: string }> {
  const stored = tenant.policy.auth.jwt?.secret;
  const master = settingsOf(env).masterKey;
  if (!stored || !master) return {};
  return { hmacSecret: await openJwtSecret(master, tenant.id, stored) };
}

/** Candidates tried by the 403 check; with tenant claims, the claim itself picks the one that matters. */
const MAX_OTHER_TENANTS = 8;

/** A JWT that fails here may be a valid token of another tenant (same IdP or not): that is a 403. */
async function validForAnotherTenant(env: Bindings, token: string, tenantId: string, allowLoopback: boolean): Promise<boolean> {
  let payload: JWTPayload;
  try {
    payload = decodeJwt(token); // unverified: only picks which tenants to try; each verifies fully
  } catch {
    return false;
  }
  const { iss, aud } = payload;
  if (typeof iss !== "string" || iss.length > 512) return false;
  const audiences = (Array.isArray(aud) ? aud : [aud]).filter((a): a is string => typeof a === "string" && a.length <= 512);
  if (audiences.length === 0) return false;
  const candidates = (await directoryObject(env).trustFor(iss, audiences))
    .filter((t) => t.tenant !== tenantId && (t.claim === null || (Object.hasOwn(payload, t.claim) && payload[t.claim] === t.value)))
    .slice(0, MAX_OTHER_TENANTS);
  for (const { tenant: other } of candidates) {
    const { tenant } = await tenantObject(env, other).resolve(null);
    const policy = tenant?.policy.auth.jwt;
    if (!tenant || !policy) continue;
    const result = await verifyTenantJwt(token, policy, { tenantId: tenant.id, allowLoopback, ...(await hmacSecret(env, tenant)) });
    if (result.ok) return true;
  }
  return false;
}
