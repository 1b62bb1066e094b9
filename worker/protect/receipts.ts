/**
 * Signed receipts (CONTRACT §6 `receipts`): `x-warden-receipt` is a compact JWS (EdDSA / Ed25519,
 * `kid` in its header) over {iss: "warden", tenant, principal, model, request_id, iat, body_sha256},
 * so a client or auditor can prove what Warden returned, to whom, and when, against the keys at
 * `/.well-known/jwks.json`.
 *
 * Keys are derived, not stored: the Ed25519 seed of a month is HKDF(MASTER_KEY, "receipts",
 * "YYYY-MM"), imported through its PKCS#8 encoding (WebCrypto imports no raw private keys). The
 * key rotates every UTC month; `kid` is "warden-YYYY-MM". The JWKS lists the current and the
 * previous month, and `receiptPublicJwk` can recompute any month's public key to check an old receipt.
 */
import { base64url, createLocalJWKSet, exportJWK, jwtVerify, type JSONWebKeySet, type JWK, type JWTPayload } from "jose";
import { PURPOSE, deriveBytes } from "./keys";

export const RECEIPT_ISSUER = "warden";
export const RECEIPT_TYP = "warden-receipt+jwt";
const KID_PREFIX = "warden-";
const encoder = new TextEncoder();
// DER prefix of a PKCS#8 PrivateKeyInfo for Ed25519 (RFC 8410 §7), followed by the 32-byte seed.
const ED25519_PKCS8_PREFIX = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20);

export interface ReceiptClaims {
  tenant: string;
  principal: string;
  model: string;
  request_id: string;
  body_sha256: string;
}

export interface ReceiptPayload extends ReceiptClaims {
  iss: string;
  iat: number;
}

export interface ReceiptKey {
  kid: string;
  privateKey: CryptoKey;
  publicJwk: JWK;
}

/** "YYYY-MM" of a UTC instant, shifted by `monthOffset` months. */
function period(at: Date | number, monthOffset = 0): string {
  const d = new Date(at);
  const shifted = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + monthOffset, 1));
  return shifted.toISOString().slice(0, 7);
}

export function receiptKid(at: Date | number): string {
  return KID_PREFIX + period(at);
}

/**
 * An Ed25519 key pair from its 32-byte seed (RFC 8032 "private key"), through PKCS#8. The second,
 * extractable import only serves to read the public half out of the private JWK.
 */
export async function importEd25519Seed(seed: Uint8Array): Promise<{ privateKey: CryptoKey; publicJwk: JWK }> {
  if (seed.length !== 32) throw new RangeError("an Ed25519 seed is 32 bytes");
  const der = new Uint8Array(ED25519_PKCS8_PREFIX.length + seed.length);
  der.set(ED25519_PKCS8_PREFIX);
  der.set(seed, ED25519_PKCS8_PREFIX.length);
  const privateKey = await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, false, ["sign"]);
  const exportable = await crypto.subtle.importKey("pkcs8", der, { name: "Ed25519" }, true, ["sign"]);
  const { kty, crv, x } = await exportJWK(exportable);
  return { privateKey, publicJwk: { kty, crv, x } };
}

/** The signing key of the month named by `kid` ("warden-YYYY-MM"). */
export async function receiptKey(master: Uint8Array, kid: string): Promise<ReceiptKey> {
  const month = kid.startsWith(KID_PREFIX) ? kid.slice(KID_PREFIX.length) : "";
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(month)) throw new RangeError(`not a receipt kid: ${kid}`);
  const { privateKey, publicJwk } = await importEd25519Seed(await deriveBytes(master, PURPOSE.receipts, [month]));
  return { kid, privateKey, publicJwk: { ...publicJwk, kid, alg: "EdDSA", use: "sig" } };
}

export function currentReceiptKey(master: Uint8Array, at: Date | number = Date.now()): Promise<ReceiptKey> {
  return receiptKey(master, receiptKid(at));
}

export async function receiptPublicJwk(master: Uint8Array, kid: string): Promise<JWK> {
  return (await receiptKey(master, kid)).publicJwk;
}

/** The document for `/.well-known/jwks.json`: this month's key and `previous` earlier ones. */
export async function jwks(master: Uint8Array, at: Date | number = Date.now(), previous = 1): Promise<JSONWebKeySet> {
  const keys: JWK[] = [];
  for (let i = 0; i <= previous; i++) keys.push(await receiptPublicJwk(master, KID_PREFIX + period(at, -i)));
  return { keys };
}

/**
 * The compact JWS, built here rather than with jose's SignJWT: the same bytes (the header and the
 * claims serialized in the same order, base64url without padding, Ed25519 is deterministic;
 * test/unit/protect/receipt-sign.test.ts compares the two), without SignJWT's per-call
 * structuredClone, header re-parse and key checks on every answer.
 */
export async function signReceipt(key: ReceiptKey, claims: ReceiptClaims, at: Date | number = Date.now()): Promise<string> {
  const payload: ReceiptPayload = { ...claims, iss: RECEIPT_ISSUER, iat: Math.floor(new Date(at).getTime() / 1000) };
  const input = `${encodedHeader(key)}.${base64url.encode(JSON.stringify(payload))}`;
  const signature = await crypto.subtle.sign("Ed25519", key.privateKey, encoder.encode(input));
  return `${input}.${base64url.encode(new Uint8Array(signature))}`;
}

/** A month's protected header, encoded once per key (the key is cached per isolate). */
const headers = new WeakMap<ReceiptKey, string>();
function encodedHeader(key: ReceiptKey): string {
  let header = headers.get(key);
  if (header === undefined) headers.set(key, (header = base64url.encode(JSON.stringify({ alg: "EdDSA", kid: key.kid, typ: RECEIPT_TYP }))));
  return header;
}

/** Checks a receipt's signature against a JWKS document and returns its payload (throws jose errors). */
export async function verifyReceipt(jws: string, keySet: JSONWebKeySet): Promise<ReceiptPayload & JWTPayload> {
  const { payload } = await jwtVerify(jws, createLocalJWKSet(keySet), {
    issuer: RECEIPT_ISSUER,
    algorithms: ["EdDSA"],
    typ: RECEIPT_TYP,
    requiredClaims: ["iat", "tenant", "principal", "model", "request_id", "body_sha256"],
  });
  return payload as ReceiptPayload & JWTPayload;
}

/** base64url(SHA-256(bytes)), the `body_sha256` of a whole body. */
export async function sha256Base64url(bytes: ArrayBuffer | ArrayBufferView | string): Promise<string> {
  const data = typeof bytes === "string" ? encoder.encode(bytes) : bytes;
  return base64url.encode(new Uint8Array(await crypto.subtle.digest("SHA-256", data)));
}

/**
 * Incremental SHA-256 for streamed bodies: WebCrypto has no incremental digest, workerd's
 * crypto.DigestStream is one. Feed every byte sent to the client, in order, then `finish()`.
 */
export interface BodyDigest {
  update(chunk: ArrayBuffer | ArrayBufferView): Promise<void>;
  /** base64url of the digest; no update() after it. */
  finish(): Promise<string>;
  readonly bytes: number;
}

export function createBodyDigest(): BodyDigest {
  const stream = new crypto.DigestStream("SHA-256");
  const writer = stream.getWriter();
  let bytes = 0;
  return {
    async update(chunk) {
      bytes += chunk.byteLength;
      await writer.write(chunk);
    },
    async finish() {
      await writer.close();
      return base64url.encode(new Uint8Array(await stream.digest));
    },
    get bytes() {
      return bytes;
    },
  };
}
