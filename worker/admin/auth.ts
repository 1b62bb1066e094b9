import { createMiddleware } from "hono/factory";
import { jwtVerify } from "jose";
import type { AdminEnv } from "../context";
import { WardenError } from "../errors";
import { constantTimeEqual } from "../crypto/compare";
import { credentialFrom } from "../auth/credential";
import { checkOutboundUrl } from "../auth/outbound-url";
import { remoteJwks } from "../auth/jwks";

/**
 * Admin authentication: `ADMIN_TOKEN` (compared in constant time) or an admin JWT from
 * ADMIN_JWT_ISSUER/ADMIN_JWT_AUDIENCE/ADMIN_JWKS_URL. With neither configured the admin plane
 * is closed (503), never open.
 */
const ADMIN_ALGS = ["RS256", "PS256", "ES256", "EdDSA"];

export const adminAuth = createMiddleware<AdminEnv>(async function adminAuth(c, next) {
  const { adminToken, adminJwt, allowLoopback } = c.get("settings");
  if (!adminToken && !adminJwt) {
    throw new WardenError("not_configured", "The admin API is not configured (set ADMIN_TOKEN or the ADMIN_JWT_* settings).");
  }
  const credential = credentialFrom(c.req.raw);
  if (!credential) {
    throw new WardenError("unauthorized", "An admin credential is required.", { headers: { "www-authenticate": "Bearer" } });
  }
  if (adminToken && (await constantTimeEqual(credential, adminToken))) {
    c.set("adminPrincipal", "admin-token");
    return next();
  }
  if (adminJwt && credential.startsWith("eyJ")) {
    if (checkOutboundUrl(adminJwt.jwksUrl, allowLoopback).ok) {
      try {
        const { payload } = await jwtVerify(credential, remoteJwks(adminJwt.jwksUrl), {
          algorithms: ADMIN_ALGS,
          issuer: adminJwt.issuer,
          audience: adminJwt.audience,
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
