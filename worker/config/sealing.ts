import { WardenError } from "../errors";
import { decryptSecret, encryptSecret, isEncrypted, REDACTED } from "../crypto/secrets";
import type { Tenant } from "./tenant";

/**
 * The secret slots of a tenant: origin header values and the JWT HMAC secret. Stored encrypted,
 * shown as "***". An operator may send "***" back (e.g. a read document, edited and re-sent):
 * that keeps the stored value of the same slot, found by model name, origin URL and header name.
 */
type Slot = { get(): string | undefined; set(v: string): void; key: string; aad: string };

function slots(t: Tenant): Slot[] {
  const out: Slot[] = [];
  for (const model of t.models) {
    for (const origin of model.origins) {
      for (const name of Object.keys(origin.headers)) {
        out.push({
          key: `${model.name}\u0000${origin.url}\u0000${name.toLowerCase()}`,
          aad: `${t.id}:origin-header:${name.toLowerCase()}`,
          get: () => origin.headers[name],
          set: (v) => (origin.headers[name] = v),
        });
      }
    }
  }
  const jwt = t.policy.auth.jwt;
  if (jwt?.secret !== undefined) {
    out.push({ key: "jwt-secret", aad: `${t.id}:jwt-secret`, get: () => jwt.secret, set: (v) => (jwt.secret = v) });
  }
  return out;
}

/** Encrypts plaintext secrets of `next` in place; resolves "***" from `previous`. */
export async function sealTenant(master: Uint8Array, next: Tenant, previous?: Tenant): Promise<Tenant> {
  const old = new Map(previous ? slots(previous).map((s) => [s.key, s.get()] as const) : []);
  for (const slot of slots(next)) {
    const value = slot.get();
    if (value === undefined) continue;
    if (value === REDACTED) {
      const kept = old.get(slot.key);
      if (!kept) throw new WardenError("invalid_request", `"***" stands for a stored secret, but there is none to keep at ${describe(slot.key)}`);
      slot.set(kept);
    } else if (!isEncrypted(value)) {
      slot.set(await encryptSecret(master, value, slot.aad));
    } else if (old.get(slot.key) !== value) {
      // A ciphertext the operator did not get from us (admin reads show "***"): refuse, never trust it.
      throw new WardenError("invalid_request", `secret values must be plaintext or "***" at ${describe(slot.key)}`);
    }
  }
  return next;
}

/** A deep copy with every secret replaced by "***". */
export function redactTenant(t: Tenant): Tenant {
  const copy = structuredClone(t);
  for (const slot of slots(copy)) if (slot.get() !== undefined) slot.set(REDACTED);
  return copy;
}

export async function openHeaders(master: Uint8Array, tenantId: string, headers: Record<string, string>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    out[name] = isEncrypted(value) ? await openSealed(master, value, `${tenantId}:origin-header:${name.toLowerCase()}`) : value;
  }
  return out;
}

/**
 * Origin header values are opened on every forwarded request: each is kept opened per isolate
 * (issue 11: sealing work once per isolate, not per request), instead of an AES-GCM decryption,
 * two base64 decodes and the key's lookup per header per request. The entry is the stored
 * ciphertext under its additional data and master key, so it answers exactly what decrypting
 * would: a value sealed anew (any change gets a fresh IV) is a new entry, and a ciphertext under
 * another tenant's or header's additional data is decrypted, and refused, as before. A failed
 * opening is not kept. Bounded: past MAX_OPENED entries the memo starts over.
 */
const MAX_OPENED = 1024;
const opened = new WeakMap<Uint8Array, Map<string, Promise<string>>>();

function openSealed(master: Uint8Array, stored: string, aad: string): Promise<string> {
  let mine = opened.get(master);
  if (!mine) opened.set(master, (mine = new Map()));
  const id = `${aad.length}:${aad}${stored}`;
  let plain = mine.get(id);
  if (!plain) {
    if (mine.size >= MAX_OPENED) mine.clear();
    const entries = mine;
    plain = decryptSecret(master, stored, aad);
    entries.set(id, plain);
    plain.catch(() => entries.delete(id));
  }
  return plain;
}

export async function openJwtSecret(master: Uint8Array, tenantId: string, stored: string): Promise<string> {
  return isEncrypted(stored) ? decryptSecret(master, stored, `${tenantId}:jwt-secret`) : stored;
}

function describe(key: string): string {
  return key === "jwt-secret" ? "policy.auth.jwt.secret" : `models[${key.split("\u0000")[0]}] origin header ${key.split("\u0000")[2]}`;
}
