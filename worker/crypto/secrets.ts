import { b64urlDecode, b64urlEncode, deriveAesKey } from "./master-key";

/**
 * Secrets at rest (origin header values, JWT HMAC secrets): AES-256-GCM under a key derived from
 * MASTER_KEY, with the secret's location as additional data so a ciphertext copied to another
 * tenant or field does not decrypt. Stored form: `enc:v1:<iv>.<ciphertext>` (base64url).
 */
const PREFIX = "enc:v1:";
export const REDACTED = "***";

export function isEncrypted(value: unknown): value is string {
  return typeof value === "string" && value.startsWith(PREFIX);
}

export async function encryptSecret(master: Uint8Array, plaintext: string, aad: string): Promise<string> {
  const key = await deriveAesKey(master, "secrets-at-rest");
  const iv = crypto.getRandomValues(new Uint8Array(12));
  const ct = await crypto.subtle.encrypt(
    { name: "AES-GCM", iv, additionalData: new TextEncoder().encode(aad) },
    key,
    new TextEncoder().encode(plaintext),
  );
  return `${PREFIX}${b64urlEncode(iv)}.${b64urlEncode(new Uint8Array(ct))}`;
}

export async function decryptSecret(master: Uint8Array, stored: string, aad: string): Promise<string> {
  if (!isEncrypted(stored)) throw new Error("not an encrypted secret");
  const [iv, ct] = stored.slice(PREFIX.length).split(".");
  if (!iv || !ct) throw new Error("malformed encrypted secret");
  const key = await deriveAesKey(master, "secrets-at-rest");
  const pt = await crypto.subtle.decrypt(
    { name: "AES-GCM", iv: b64urlDecode(iv), additionalData: new TextEncoder().encode(aad) },
    key,
    b64urlDecode(ct),
  );
  return new TextDecoder().decode(pt);
}
