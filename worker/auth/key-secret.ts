import { boundedMemo } from "../memo";

/**
 * Whether an API key's secret matches the stored `secret_sha256` (lowercase hex, as mintApiKey
 * writes it). One SHA-256 of the presented secret, compared in constant time with the stored
 * digest's bytes: the same answer as comparing the hex strings through constantTimeEqual, which
 * took three digests and a hex formatting per request. A stored value that is not 64 lowercase
 * hex digits could never equal a digest's hex, so it matches nothing.
 */
export async function secretMatches(secret: string, storedHex: string): Promise<boolean> {
  const stored = storedDigest(storedHex);
  if (stored === NO_DIGEST) return false;
  const presented = new Uint8Array(await crypto.subtle.digest("SHA-256", ENCODER.encode(secret)));
  return crypto.subtle.timingSafeEqual(presented, stored);
}

const ENCODER = new TextEncoder();
const NO_DIGEST = new Uint8Array(0);
const HEX = /^[0-9a-f]{64}$/;
// Stored digests are few per isolate (a tenant's live keys) and are read on every request.
const digests = boundedMemo<string, Uint8Array>(1024);

function storedDigest(hex: string): Uint8Array {
  return digests(hex, () => {
    if (!HEX.test(hex)) return NO_DIGEST;
    const out = new Uint8Array(32);
    for (let i = 0; i < 32; i++) out[i] = parseInt(hex.slice(2 * i, 2 * i + 2), 16);
    return out;
  });
}
