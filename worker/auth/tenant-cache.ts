import type { Tenant } from "../config/tenant";
import type { KeyWithHash, Resolved } from "../../durable-objects/tenant";

/**
 * What this isolate last read from each tenant's TenantObject: the configuration, the keys looked
 * up under it, and the configuration version they belong to. Used only to *admit* a forwarded
 * request without a TenantObject read; the version travels with the request to the principal's
 * budget object, which knows the current one and answers `stale` when a change (a revoked key
 * among them) happened since (durable-objects/tenant.ts). Refusals never come from here: they
 * take the uncached path, so a refusal costs the same whether or not the tenant is cached.
 */
interface Entry {
  tenant: Tenant;
  version: number;
  keys: Map<string, KeyWithHash>;
}

const MAX_TENANTS = 1_000;
const MAX_KEYS_PER_TENANT = 1_000;
const entries = new Map<string, Entry>();

export function cachedTenant(tenantId: string): { tenant: Tenant; version: number } | null {
  const e = entries.get(tenantId);
  return e ? { tenant: e.tenant, version: e.version } : null;
}

export function cachedKey(tenantId: string, keyId: string): { tenant: Tenant; version: number; key: KeyWithHash } | null {
  const e = entries.get(tenantId);
  const key = e?.keys.get(keyId);
  return e && key ? { tenant: e.tenant, version: e.version, key } : null;
}

/** Keeps what a TenantObject read answered; an older answer than the one held is ignored. */
export function rememberResolved(tenantId: string, r: Resolved): void {
  if (!r.tenant) {
    entries.delete(tenantId);
    return;
  }
  let e = entries.get(tenantId);
  if (e && e.version > r.version) return;
  if (!e || e.version !== r.version) {
    if (!e && entries.size >= MAX_TENANTS) entries.delete(entries.keys().next().value!);
    e = { tenant: r.tenant, version: r.version, keys: new Map() };
    entries.set(tenantId, e);
  }
  if (r.key) {
    if (e.keys.size >= MAX_KEYS_PER_TENANT) e.keys.delete(e.keys.keys().next().value!);
    e.keys.set(r.key.id, r.key);
  }
}

