import { b64urlEncode } from "../crypto/master-key";
import { sha256Hex } from "../crypto/compare";

/**
 * API key format: `wdn.<tenant>.<keyId>.<secret>`. The tenant and id are public (they route the
 * lookup and let Warden answer 403 for another tenant's key); the secret is 32 random bytes, of
 * which only a SHA-256 is stored. 256 bits of entropy make a salted slow hash unnecessary.
 */
const KEY = /^wdn\.([a-z0-9][a-z0-9-]{1,62})\.([a-z0-9]{16})\.([A-Za-z0-9_-]{43})$/;

export interface ParsedKey {
  tenant: string;
  keyId: string;
  secret: string;
}

export function parseApiKey(credential: string): ParsedKey | null {
  const m = KEY.exec(credential);
  return m ? { tenant: m[1]!, keyId: m[2]!, secret: m[3]! } : null;
}

export function looksLikeApiKey(credential: string): boolean {
  return credential.startsWith("wdn.");
}

export async function mintApiKey(tenant: string): Promise<{ key: string; keyId: string; secretSha256: string }> {
  // 16 base32 characters: 80 random bits, enough that ids never collide within a tenant.
  const keyId = [...crypto.getRandomValues(new Uint8Array(16))].map((b) => "abcdefghijklmnopqrstuvwxyz234567"[b & 31]).join("");
  const secret = b64urlEncode(crypto.getRandomValues(new Uint8Array(32)));
  return { key: `wdn.${tenant}.${keyId}.${secret}`, keyId, secretSha256: await sha256Hex(secret) };
}
