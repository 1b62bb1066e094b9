import { describe, expect, it } from "vitest";
import { createLocalJWKSet, decodeProtectedHeader, errors, jwtVerify, base64url } from "jose";
import {
  createBodyDigest,
  currentReceiptKey,
  importEd25519Seed,
  jwks,
  receiptKey,
  receiptKid,
  receiptPublicJwk,
  sha256Base64url,
  signReceipt,
  verifyReceipt,
} from "../../../worker/protect/receipts";
import { seededRng } from "../../../worker/protect/random";

const MASTER = new Uint8Array(32).map((_, i) => i ^ 0x5a);
const NOW = Date.UTC(2026, 10, 14, 12); // 2026-11
const fromHex = (h: string): Uint8Array => Uint8Array.from(h.match(/../g)!, (b) => parseInt(b, 16));
const toHex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

const claims = (body_sha256: string) => ({ tenant: "t1", principal: "key:k1", model: "gpt-x", request_id: "req-123", body_sha256 });

describe("Ed25519 keys from seeds", () => {
  it("reproduces RFC 8032 §7.1 test 1 (public key and deterministic signature)", async () => {
    const { privateKey, publicJwk } = await importEd25519Seed(fromHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"));
    expect(toHex(base64url.decode(publicJwk.x!))).toBe("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a");
    const signature = new Uint8Array(await crypto.subtle.sign("Ed25519", privateKey, new Uint8Array(0)));
    expect(toHex(signature)).toBe(
      "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
    );
  });

  it("derives one key per month, the same every time, different per master", async () => {
    expect(receiptKid(NOW)).toBe("warden-2026-11");
    expect(receiptKid(Date.UTC(2027, 0, 1))).toBe("warden-2027-01");
    const a = await receiptPublicJwk(MASTER, "warden-2026-11");
    expect(await receiptPublicJwk(MASTER, "warden-2026-11")).toEqual(a);
    expect((await receiptPublicJwk(MASTER, "warden-2026-10")).x).not.toBe(a.x);
    expect((await receiptPublicJwk(new Uint8Array(32), "warden-2026-11")).x).not.toBe(a.x);
    expect(a).toMatchObject({ kty: "OKP", crv: "Ed25519", kid: "warden-2026-11", alg: "EdDSA", use: "sig" });
    expect(a).not.toHaveProperty("d");
    await expect(receiptKey(MASTER, "warden-2026-13")).rejects.toThrow(RangeError);
  });
});

describe("receipts", () => {
  it("verify with jose against the JWKS, and body_sha256 is the SHA-256 of the exact body", async () => {
    const body = new TextEncoder().encode(JSON.stringify({ id: "chatcmpl-1", choices: [{ message: { content: "héllo" } }] }));
    const jws = await signReceipt(await currentReceiptKey(MASTER, NOW), claims(await sha256Base64url(body)), NOW);
    expect(jws.split(".")).toHaveLength(3);
    expect(decodeProtectedHeader(jws)).toEqual({ alg: "EdDSA", kid: "warden-2026-11", typ: "warden-receipt+jwt" });

    const keySet = await jwks(MASTER, NOW);
    // Plain jose, as a client would do it.
    const { payload } = await jwtVerify(jws, createLocalJWKSet(keySet), { issuer: "warden", algorithms: ["EdDSA"] });
    expect(payload).toEqual({ iss: "warden", iat: NOW / 1000, ...claims(payload.body_sha256 as string) });
    const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", body));
    expect(payload.body_sha256).toBe(base64url.encode(digest));
    expect(await verifyReceipt(jws, keySet)).toMatchObject({ request_id: "req-123" });
  });

  it("rotates monthly: last month's receipts verify with this month's JWKS, older ones need their key", async () => {
    const keySet = await jwks(MASTER, NOW);
    expect(keySet.keys.map((k) => k.kid)).toEqual(["warden-2026-11", "warden-2026-10"]);
    expect((await jwks(MASTER, Date.UTC(2027, 0, 3), 2)).keys.map((k) => k.kid)).toEqual(["warden-2027-01", "warden-2026-12", "warden-2026-11"]);

    const october = Date.UTC(2026, 9, 31, 23, 59);
    const oldReceipt = await signReceipt(await currentReceiptKey(MASTER, october), claims("x"), october);
    expect((await verifyReceipt(oldReceipt, keySet)).iat).toBe(Math.floor(october / 1000));

    const august = Date.UTC(2026, 7, 1);
    const older = await signReceipt(await currentReceiptKey(MASTER, august), claims("x"), august);
    await expect(verifyReceipt(older, keySet)).rejects.toBeInstanceOf(errors.JWKSNoMatchingKey);
    expect((await verifyReceipt(older, { keys: [await receiptPublicJwk(MASTER, "warden-2026-08")] })).principal).toBe("key:k1");
  });

  it("rejects a tampered payload and a foreign key", async () => {
    const jws = await signReceipt(await currentReceiptKey(MASTER, NOW), claims("abc"), NOW);
    const [h, , s] = jws.split(".");
    const forged = `${h}.${base64url.encode(JSON.stringify({ iss: "warden", iat: 1, ...claims("zzz") }))}.${s}`;
    await expect(verifyReceipt(forged, await jwks(MASTER, NOW))).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
    await expect(verifyReceipt(jws, await jwks(new Uint8Array(32).fill(1), NOW))).rejects.toBeInstanceOf(errors.JWSSignatureVerificationFailed);
  });
});

describe("body digests", () => {
  it("sha256Base64url matches the FIPS 180-2 'abc' vector", async () => {
    expect(await sha256Base64url("abc")).toBe(base64url.encode(fromHex("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")));
  });

  it("the streaming digest equals the one-shot digest for any chunking", async () => {
    const rng = seededRng(1);
    const body = new Uint8Array(50_000).map(() => Math.floor(rng() * 256));
    const expected = await sha256Base64url(body);
    for (let trial = 0; trial < 5; trial++) {
      const digest = createBodyDigest();
      for (let i = 0; i < body.length; ) {
        const n = Math.floor(rng() * 4000);
        await digest.update(body.subarray(i, i + n));
        i += n;
      }
      expect(digest.bytes).toBe(body.length);
      expect(await digest.finish()).toBe(expected);
    }
    const empty = createBodyDigest();
    expect(await empty.finish()).toBe(await sha256Base64url(new Uint8Array(0)));
  });
});
