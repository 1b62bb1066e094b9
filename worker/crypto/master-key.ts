/**
 * MASTER_KEY: 32 random bytes, base64. Every stored secret is encrypted under a key derived from
 * it, and watermark and receipt keys are derived from it, so it is parsed once per isolate and
 * never leaves this module as text.
 */
const cache = new Map<string, Uint8Array | null>();

export function parseMasterKey(value: string | undefined): Uint8Array | null {
  if (!value) return null;
  const hit = cache.get(value);
  if (hit !== undefined) return hit;
  let bytes: Uint8Array | null = null;
  try {
    const raw = atob(value.trim());
    if (raw.length === 32) bytes = Uint8Array.from(raw, (ch) => ch.charCodeAt(0));
  } catch {
    bytes = null;
  }
  cache.set(value, bytes);
  return bytes;
}

const derived = new Map<string, Promise<CryptoKey>>();

/** HKDF-SHA256 from the master key to a purpose-bound AES-GCM key (one per purpose string). */
export function deriveAesKey(master: Uint8Array, purpose: string): Promise<CryptoKey> {
  const id = `${purpose}\u0000${bytesToB64(master)}`;
  let key = derived.get(id);
  if (!key) {
    key = (async () => {
      const ikm = await crypto.subtle.importKey("raw", master, "HKDF", false, ["deriveKey"]);
      return crypto.subtle.deriveKey(
        { name: "HKDF", hash: "SHA-256", salt: new Uint8Array(0), info: new TextEncoder().encode(`warden/${purpose}`) },
        ikm,
        { name: "AES-GCM", length: 256 },
        false,
        ["encrypt", "decrypt"],
      );
    })();
    derived.set(id, key);
  }
  return key;
}

export function bytesToB64(bytes: Uint8Array): string {
  let s = "";
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s);
}

export function b64urlEncode(bytes: Uint8Array): string {
  return bytesToB64(bytes).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

export function b64urlDecode(text: string): Uint8Array {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/");
  const raw = atob(b64 + "=".repeat((4 - (b64.length % 4)) % 4));
  return Uint8Array.from(raw, (ch) => ch.charCodeAt(0));
}
