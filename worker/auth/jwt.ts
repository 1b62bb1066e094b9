import { decodeProtectedHeader, jwtVerify, type JWTPayload, type JWTVerifyGetKey } from "jose";
import type { JwtPolicy } from "../config/policy";
import { checkOutboundUrl } from "./outbound-url";
import { localJwks, remoteJwks } from "./jwks";

/** Why a JWT was refused: for the operator's logs only; the client sees a generic 401. */
export type JwtFailure =
  | "malformed"
  | "forbidden_header"
  | "wrong_type"
  | "wrong_tenant"
  | "bad_signature_or_key"
  | "claims"
  | "expired"
  | "issued_in_future"
  | "missing_subject"
  | "jwks_url_refused"
  | "jwks_unavailable";

export type JwtResult = { ok: true; payload: JWTPayload & { sub: string } } | { ok: false; failure: JwtFailure; detail: string };

export function looksLikeJwt(credential: string): boolean {
  return /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(credential) && credential.startsWith("eyJ");
}

/**
 * `typ` values of tokens meant as access tokens (RFC 7519 §5.1, RFC 9068 §2.1), compared without
 * case and with the optional `application/` prefix (RFC 7515 §4.1.9). A token that says it is
 * something else (`dpop+jwt`, `logout+jwt`, `secevent+jwt`, …) was minted for another purpose and
 * is refused (RFC 8725 §3.11); a token without `typ` is accepted, as most IdPs send none.
 */
const ACCESS_TOKEN_TYPES = new Set(["jwt", "at+jwt"]);

export function acceptableType(typ: unknown): boolean {
  if (typ === undefined) return true;
  return typeof typ === "string" && ACCESS_TOKEN_TYPES.has(typ.toLowerCase().replace(/^application\//, ""));
}

/** Whether the token names this tenant in the policy's `tenant_claim` (always, without one). */
export function boundToTenant(payload: JWTPayload, policy: JwtPolicy, tenantId: string): boolean {
  const binding = policy.tenant_claim;
  if (!binding) return true;
  // Own members only: a claim named like an Object.prototype member must not resolve to it.
  return Object.hasOwn(payload, binding.claim) && payload[binding.claim] === (binding.value ?? tenantId);
}

/**
 * Verifies a tenant JWT. Keys come only from the policy (inline `jwks`, `jwks_url`, or the HMAC
 * secret); `jku`, `x5u` and embedded `jwk` headers are refused outright rather than ignored, since
 * a token that carries them is asking to be trusted by a key it chose.
 */
export async function verifyTenantJwt(
  token: string,
  policy: JwtPolicy,
  opts: { tenantId: string; hmacSecret?: string; allowLoopback: boolean; now?: Date },
): Promise<JwtResult> {
  let header;
  try {
    header = decodeProtectedHeader(token);
  } catch {
    return { ok: false, failure: "malformed", detail: "undecodable header" };
  }
  if ("jku" in header || "x5u" in header || "jwk" in header || "x5c" in header) {
    return { ok: false, failure: "forbidden_header", detail: "token names its own key (jku/x5u/jwk/x5c)" };
  }
  if (!acceptableType(header.typ)) return { ok: false, failure: "wrong_type", detail: "typ is neither JWT nor at+jwt" };
  const algorithms = policy.algorithms.filter((a) => (a.startsWith("HS") ? opts.hmacSecret !== undefined : true));
  const isHmac = typeof header.alg === "string" && header.alg.startsWith("HS");
  let key: JWTVerifyGetKey | Uint8Array;
  if (isHmac) {
    if (!opts.hmacSecret) return { ok: false, failure: "bad_signature_or_key", detail: "HMAC token but no secret configured" };
    key = new TextEncoder().encode(opts.hmacSecret);
  } else if (policy.jwks) {
    key = localJwks(policy.jwks);
  } else if (policy.jwks_url) {
    const verdict = checkOutboundUrl(policy.jwks_url, opts.allowLoopback);
    if (!verdict.ok) return { ok: false, failure: "jwks_url_refused", detail: verdict.reason };
    key = remoteJwks(policy.jwks_url);
  } else {
    return { ok: false, failure: "bad_signature_or_key", detail: "no key source" };
  }
  const tolerance = Math.min(policy.clock_tolerance_s, 60);
  const now = opts.now ?? new Date();
  try {
    const verifyOpts = {
      algorithms,
      issuer: policy.issuer,
      audience: policy.audience,
      clockTolerance: tolerance,
      requiredClaims: ["exp"],
      currentDate: now,
    };
    const { payload } =
      key instanceof Uint8Array ? await jwtVerify(token, key, verifyOpts) : await jwtVerify(token, key, verifyOpts);
    if (typeof payload.iat === "number" && payload.iat > now.getTime() / 1000 + tolerance) {
      return { ok: false, failure: "issued_in_future", detail: "iat is in the future" };
    }
    // Control characters in a subject would corrupt headers and logs; no real IdP issues them.
    if (typeof payload.sub !== "string" || payload.sub.length === 0 || payload.sub.length > 256 || /[\u0000-\u001f\u007f]/.test(payload.sub)) {
      return { ok: false, failure: "missing_subject", detail: "sub is required" };
    }
    if (!boundToTenant(payload, policy, opts.tenantId)) {
      return { ok: false, failure: "wrong_tenant", detail: `claim ${policy.tenant_claim!.claim} does not name this tenant` };
    }
    return { ok: true, payload: payload as JWTPayload & { sub: string } };
  } catch (err) {
    const code = (err as { code?: string }).code ?? "";
    if (code === "ERR_JWT_EXPIRED") return { ok: false, failure: "expired", detail: code };
    if (code === "ERR_JWT_CLAIM_VALIDATION_FAILED") return { ok: false, failure: "claims", detail: (err as Error).message };
    if (code === "ERR_JWKS_TIMEOUT" || code === "ERR_JOSE_GENERIC") return { ok: false, failure: "jwks_unavailable", detail: code };
    return { ok: false, failure: "bad_signature_or_key", detail: code || "verification failed" };
  }
}

/** `model:<name>` entries of `scope` (space-separated) or `scp` (array); null when there are none. */
export function jwtModelScopes(payload: JWTPayload): string[] | null {
  const raw: unknown[] = [];
  if (typeof payload.scope === "string") raw.push(...payload.scope.split(" "));
  if (Array.isArray(payload.scp)) raw.push(...payload.scp);
  const models = raw.filter((s): s is string => typeof s === "string" && s.startsWith("model:")).map((s) => s.slice(6));
  return models.length > 0 ? models : null;
}
