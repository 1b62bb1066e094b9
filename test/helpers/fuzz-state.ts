import { env } from "cloudflare:test";
import { admin } from "./warden";
import { tenantObject } from "../../worker/clients/tenant";
import { directoryObject } from "../../worker/clients/directory";

/**
 * Everything a refused request could have changed for one tenant, read as stored: the tenant
 * document with its ciphertexts (a re-encrypted secret shows up, which the redacted admin view
 * would hide), keys, principals seen, usage counters, the audit chain's head, and the directory.
 */
export interface TenantState {
  stored: unknown;
  keys: unknown;
  knownPrincipals: unknown;
  usage: unknown;
  audit: { head: unknown; count: number; chain_valid: unknown };
  directory: string[];
}

export async function tenantState(id: string): Promise<TenantState> {
  const stub = tenantObject(env, id);
  const usage = (await (await admin(`/tenants/${id}/usage`)).json()) as {
    windows: { day: unknown; month: unknown };
    principals: Array<{ principal: string; requests: { day: number; month: number }; tokens: { day: number; month: number }; in_flight: number; extraction: { state: string } }>;
  };
  const audit = (await (await admin(`/tenants/${id}/audit?limit=1000`)).json()) as { items: unknown[]; head: unknown; chain_valid: unknown };
  return {
    stored: await stub.get(),
    keys: await stub.listKeys(),
    knownPrincipals: await stub.knownPrincipals(),
    // The minute window rolls over during a run; days and months do not, in practice.
    usage: {
      day: usage.windows.day,
      month: usage.windows.month,
      principals: usage.principals.map((p) => [p.principal, p.requests.day, p.requests.month, p.tokens.day, p.tokens.month, p.in_flight, p.extraction.state]),
    },
    audit: { head: audit.head, count: audit.items.length, chain_valid: audit.chain_valid },
    directory: await directoryObject(env).list(null, 1000),
  };
}

/**
 * Audit entries are written after the response (waitUntil): before taking a "before" picture,
 * wait until the setup's `entries` have landed, so a late write is not mistaken for a change.
 */
export async function settledState(id: string, entries: number): Promise<TenantState> {
  for (let i = 0; i < 100; i++) {
    const state = await tenantState(id);
    if (state.audit.count >= entries) return state;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`audit of ${id} never reached ${entries} entries`);
}
