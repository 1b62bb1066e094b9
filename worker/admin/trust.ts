import type { Bindings } from "../env";
import type { Tenant } from "../config/tenant";
import { WardenError } from "../errors";
import { trustOf } from "../auth/jwt-trust";
import { tenantObject } from "../clients/tenant";
import type { TrustClaim } from "../../durable-objects/directory";
import { directoryObject } from "../clients/directory";

/**
 * The admin side of issue 8 #9: a tenant may not trust tokens another tenant already trusts (same
 * issuer, a shared audience) unless both bind tokens with `policy.auth.jwt.tenant_claim`. The
 * directory decides atomically; these helpers turn its answer into the admin API's errors.
 */

/** Claims a new tenant's id and trust: 409 when the id exists or the trust clashes. */
export async function reserveTenant(env: Bindings, tenant: Tenant): Promise<void> {
  const trust = trustOf(tenant);
  if (trust) await trackLegacy(env, trust.issuer);
  refuseClash(await directoryObject(env).reserve(tenant.id, trust));
}

/** Records a changed tenant's trust before the change is stored: 409 when it clashes. */
export async function updateTrust(env: Bindings, tenant: Tenant): Promise<void> {
  const trust = trustOf(tenant);
  if (trust) await trackLegacy(env, trust.issuer);
  refuseClash(await directoryObject(env).setTrust(tenant.id, trust));
}

function refuseClash(claim: TrustClaim): void {
  if (claim.ok) return;
  if (claim.reason === "taken") throw new WardenError("conflict", "A tenant with this id exists.");
  if (claim.reason === "missing") throw new WardenError("not_found", "No such tenant.");
  throw new WardenError(
    "conflict",
    `Tenant ${claim.other} already trusts JWTs of this issuer for one of these audiences, so each would accept the other's tokens. ` +
      "Give this tenant an audience of its own, or bind tokens to tenants with policy.auth.jwt.tenant_claim on both.",
    { extensions: { errors: [{ path: "policy.auth.jwt", message: `issuer and audience already trusted by tenant ${claim.other}` }] } },
  );
}

/** Tenants created before the directory kept trusts: record theirs first, so the check sees them. */
async function trackLegacy(env: Bindings, issuer: string): Promise<void> {
  const directory = directoryObject(env);
  for (const id of await directory.untracked(issuer)) {
    const tenant = await tenantObject(env, id).get();
    await directory.track(id, tenant ? trustOf(tenant) : null);
  }
}
