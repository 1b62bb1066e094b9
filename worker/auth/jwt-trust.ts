import type { Tenant } from "../config/tenant";

/**
 * What a tenant's JWT policy trusts, as the directory keeps it. Two tenants whose trusts overlap
 * (the same issuer, a shared audience) accept each other's tokens, unless both bind tokens to
 * themselves with a tenant claim the other's tokens cannot carry (issue 8 #9). Pure functions: the
 * directory applies them inside its own single-threaded calls, so two concurrent admin writes
 * cannot both slip past the check.
 */
export interface JwtTrust {
  issuer: string;
  audiences: string[];
  /** `policy.auth.jwt.tenant_claim`: the claim and its required value (default: the tenant id). */
  claim: string | null;
  value: string | null;
}

export function trustOf(tenant: Tenant): JwtTrust | null {
  const jwt = tenant.policy.auth.jwt;
  if (!jwt) return null;
  const audiences = [...new Set(Array.isArray(jwt.audience) ? jwt.audience : [jwt.audience])];
  const binding = jwt.tenant_claim;
  return { issuer: jwt.issuer, audiences, claim: binding?.claim ?? null, value: binding ? (binding.value ?? tenant.id) : null };
}

/**
 * Whether two bindings keep tokens apart: both tenants demand a claim, and no single token can
 * satisfy both demands unless the IdP asserts both, which is the IdP saying the user belongs to both.
 */
export function separated(a: Pick<JwtTrust, "claim" | "value">, b: Pick<JwtTrust, "claim" | "value">): boolean {
  return a.claim !== null && b.claim !== null && (a.claim !== b.claim || a.value !== b.value);
}
