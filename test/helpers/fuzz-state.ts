import { env } from "cloudflare:test";
import { expect } from "vitest";
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
  usage: { day: UsageWindow; month: UsageWindow; principals: PrincipalCounters[] };
  audit: { head: unknown; count: number; chain_valid: unknown };
  directory: string[];
}

interface UsageWindow {
  start: string;
  [counter: string]: unknown;
}
interface PrincipalCounters {
  principal: string;
  day: { requests: number; tokens: number };
  month: { requests: number; tokens: number };
  in_flight: number;
  extraction: string;
}

export async function tenantState(id: string): Promise<TenantState> {
  const stub = tenantObject(env, id);
  const usage = (await (await admin(`/tenants/${id}/usage`)).json()) as {
    windows: { day: UsageWindow; month: UsageWindow };
    principals: Array<{ principal: string; requests: { day: number; month: number }; tokens: { day: number; month: number }; in_flight: number; extraction: { state: string } }>;
  };
  const audit = (await (await admin(`/tenants/${id}/audit?limit=1000`)).json()) as { items: unknown[]; head: unknown; chain_valid: unknown };
  return {
    stored: await stub.get(),
    keys: await stub.listKeys(),
    knownPrincipals: await stub.knownPrincipals(),
    // Not the minute window: it rolls over during every run. Days and months: see expectUnchanged.
    usage: {
      day: usage.windows.day,
      month: usage.windows.month,
      principals: usage.principals.map((p) => ({
        principal: p.principal,
        day: { requests: p.requests.day, tokens: p.tokens.day },
        month: { requests: p.requests.month, tokens: p.tokens.month },
        in_flight: p.in_flight,
        extraction: p.extraction.state,
      })),
    },
    audit: { head: audit.head, count: audit.items.length, chain_valid: audit.chain_valid },
    directory: await directoryObject(env).list(null, 1000),
  };
}

/**
 * `after` equals `before`, but a UTC day (or month) that began between the two pictures starts
 * that window's counters from zero by design, not because a refused request changed them: its
 * counters are compared only when both pictures fall in the same window. The pictures of a fuzz
 * file lie T seconds apart (the whole file), so at an arbitrary wall-clock time a midnight falls
 * in between with probability T/86,400 per file. The month window counts every request the day
 * window does, so a midnight costs the comparison nothing but on the first day of a month.
 */
export function expectUnchanged(after: TenantState, before: TenantState): void {
  const turned = (w: "day" | "month") => after.usage[w].start !== before.usage[w].start;
  const view = (s: TenantState) => {
    const usage: Record<string, unknown> = { ...s.usage, principals: s.usage.principals.map((p) => ({ ...p })) };
    for (const w of ["day", "month"] as const) {
      if (!turned(w)) continue;
      delete usage[w];
      for (const p of usage.principals as Array<Partial<PrincipalCounters>>) delete p[w];
    }
    return { ...s, usage };
  };
  expect(view(after)).toEqual(view(before));
}

/**
 * Audit entries are written after the response (waitUntil): before taking a "before" picture,
 * wait until the setup's `entries` have landed, so a late write is not mistaken for a change.
 * A deadline, not a count of tries: 100 tries of 20 ms gave a loaded machine about 2 s.
 */
export async function settledState(id: string, entries: number, deadlineMs = 30_000): Promise<TenantState> {
  const end = Date.now() + deadlineMs;
  for (;;) {
    const state = await tenantState(id);
    if (state.audit.count >= entries) return state;
    if (Date.now() > end) throw new Error(`audit of ${id} never reached ${entries} entries (${state.audit.count})`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
