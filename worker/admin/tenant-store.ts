import type { Context } from "hono";
import type { Bindings } from "../env";
import type { AdminEnv } from "../context";
import { tenantObject } from "../clients/tenant";
import type { Tenant } from "../config/tenant";
import { TenantSchema } from "../config/tenant";
import { WardenError } from "../errors";
import { sealTenant } from "../config/sealing";
import { checkOutboundUrl } from "../auth/outbound-url";
import { zodProblem } from "../http/body";
import { tenantExists } from "../auth/known-tenants";

/** Reading a tenant for the admin API, and the checks every stored config passes. */

export async function loadTenant(env: Bindings, id: string): Promise<Tenant> {
  // Addressing a tenant's object creates it: ask the directory first, as the data plane does.
  const tenant = (await tenantExists(env, id)) ? await tenantObject(env, id).get() : null;
  if (!tenant) throw new WardenError("not_found", "No such tenant.");
  return tenant;
}

/**
 * Parses a candidate tenant document, checks what zod cannot (outbound URLs), and encrypts its
 * secrets. Nothing is stored here: a failure leaves every stored thing as it was.
 */
export async function prepareTenant(c: Context<AdminEnv>, candidate: unknown, previous?: Tenant): Promise<Tenant> {
  const parsed = TenantSchema.safeParse(candidate);
  if (!parsed.success) throw zodProblem(parsed.error, "tenant");
  const tenant = parsed.data;
  const { allowLoopback } = c.get("settings");
  const errors: Array<{ path: string; message: string }> = [];
  tenant.models.forEach((m, i) =>
    m.origins.forEach((o, j) => {
      const v = checkOutboundUrl(o.url, allowLoopback);
      if (!v.ok) errors.push({ path: `models.${i}.origins.${j}.url`, message: v.reason });
    }),
  );
  const jwksUrl = tenant.policy.auth.jwt?.jwks_url;
  if (jwksUrl) {
    const v = checkOutboundUrl(jwksUrl, allowLoopback);
    if (!v.ok) errors.push({ path: "policy.auth.jwt.jwks_url", message: v.reason });
  }
  if (errors.length > 0) {
    throw new WardenError("invalid_request", `Invalid tenant: ${errors.map((e) => e.path).join(", ")}`, { extensions: { errors } });
  }
  return sealTenant(c.get("masterKey"), tenant, previous);
}
