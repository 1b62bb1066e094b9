import { createMiddleware } from "hono/factory";
import { createRemoteJWKSet, jwtVerify, type JWTVerifyGetKey } from "jose";
import type { AdminEnv } from "../context";
import { WardenError } from "../errors";
import { constantTimeEqual } from "../crypto/compare";
import { credentialFrom } from "../pipeline/auth";
import { checkOutboundUrl } from "../auth/outbound-url";

/**
 * Admin authentication: `ADMIN_TOKEN` (compared in constant time) or an admin JWT from
 * ADMIN_JWT_ISSUER/ADMIN_JWT_AUDIENCE/ADMIN_JWKS_URL. With neither configured the admin plane
 * is closed (503), never open.
 */
const sets = new Map<string, JWTVerifyGetKey>();
const ADMIN_ALGS = ["RS256", "PS256", "ES256", "EdDSA"];

export const adminAuth = createMiddleware<AdminEnv>(async function adminAuth(c, next) {
  const env = c.env;
  const jwtConfigured = Boolean(env.ADMIN_JWT_ISSUER && env.ADMIN_JWT_AUDIENCE && env.ADMIN_JWKS_URL);
  if (!env.ADMIN_TOKEN && !jwtConfigured) {
    throw new WardenError("not_configured", "The admin API is not configured (set ADMIN_TOKEN or the ADMIN_JWT_* settings).");
  }
  const credential = credentialFrom(c.req.raw);
  if (!credential) {
    throw new WardenError("unauthorized", "An admin credential is required.", { headers: { "www-authenticate": "Bearer" } });
  }
  if (env.ADMIN_TOKEN && (await constantTimeEqual(credential, env.ADMIN_TOKEN))) {
    c.set("adminPrincipal", "admin-token");
    return next();
  }
  if (jwtConfigured && credential.startsWith("eyJ")) {
    const url = env.ADMIN_JWKS_URL!;
    if (checkOutboundUrl(url, env.ALLOW_LOOPBACK_ORIGINS === "true").ok) {
      let set = sets.get(url);
      if (!set) sets.set(url, (set = createRemoteJWKSet(new URL(url), { timeoutDuration: 5000 })));
      try {
        const { payload } = await jwtVerify(credential, set, {
          algorithms: ADMIN_ALGS,
          issuer: env.ADMIN_JWT_ISSUER!,
          audience: env.ADMIN_JWT_AUDIENCE!,
          clockTolerance: 30,
          requiredClaims: ["exp", "sub"],
        });
        c.set("adminPrincipal", `admin-jwt:${payload.sub}`);
        return next();
      } catch {
        // falls through to the generic refusal
      }
    }
  }
  throw new WardenError("unauthorized", "The admin credential is invalid.", { headers: { "www-authenticate": 'Bearer error="invalid_token"' } });
});
