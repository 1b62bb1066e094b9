/**
 * Per-purpose keys derived from MASTER_KEY with HKDF-SHA256 (RFC 5869), so Warden stores no
 * watermark or signing keys: each is recomputed from the master, a purpose and its context
 * (tenant, model, principal, period). Knowing one derived key reveals neither the master nor any
 * other derived key.
 *
 * The HKDF `info` is the JSON array [purpose, ...context]: unambiguous whatever the strings contain
 * ("a|b","c" and "a","b|c" differ), so two contexts can never collide.
 */
import { WardenError } from "../errors";
import { parseMasterKey } from "../crypto/master-key";

/** Purposes in use; a new use of the master gets a new purpose, never reuses one. */
export const PURPOSE = {
  labelWatermark: "label-watermark",
  embeddingWatermark: "embedding-watermark",
  textWatermark: "text-watermark",
  receipts: "receipts",
  outputNoise: "output-noise",
} as const;

// One encoder per isolate: an HMAC is made per watermark block, per OIP row and per noise seed.
const encoder = new TextEncoder();
const SALT = encoder.encode("warden hkdf v1");

/** MASTER_KEY is base64 of exactly 32 bytes; anything else is a deployment error (503). */
export function decodeMasterKey(base64: string | undefined): Uint8Array {
  const bytes = parseMasterKey(base64);
  if (!bytes) throw new WardenError("not_configured", "The server is not configured.", { reason: "MASTER_KEY must be base64 of 32 bytes" });
  return bytes;
}

export async function deriveBytes(master: Uint8Array, purpose: string, context: readonly string[], length = 32): Promise<Uint8Array> {
  const ikm = await crypto.subtle.importKey("raw", master, "HKDF", false, ["deriveBits"]);
  const info = encoder.encode(JSON.stringify([purpose, ...context]));
  const bits = await crypto.subtle.deriveBits({ name: "HKDF", hash: "SHA-256", salt: SALT, info }, ikm, length * 8);
  return new Uint8Array(bits);
}

/** An HMAC-SHA256 key (sign only, not extractable) for one purpose and context. */
export async function deriveHmacKey(master: Uint8Array, purpose: string, context: readonly string[]): Promise<CryptoKey> {
  const raw = await deriveBytes(master, purpose, context);
  return crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
}

export async function hmac(key: CryptoKey, message: string | Uint8Array): Promise<Uint8Array> {
  const data = typeof message === "string" ? encoder.encode(message) : message;
  return new Uint8Array(await crypto.subtle.sign("HMAC", key, data));
}

/** A uniform number in [0, 1) from 48 bits of `bytes` (6 bytes from `offset`). */
export function unitInterval(bytes: Uint8Array, offset = 0): number {
  let value = 0;
  for (let i = 0; i < 6; i++) value = value * 256 + (bytes[offset + i] as number);
  return value / 2 ** 48;
}
