import { describe, expect, it } from "vitest";
import { WardenError } from "../../../worker/errors";
import { decodeMasterKey, deriveBytes, deriveHmacKey, hmac, unitInterval } from "../../../worker/protect/keys";

const MASTER = new Uint8Array(32).map((_, i) => i * 7 + 1);
const hex = (b: Uint8Array): string => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");

async function hmacRaw(key: Uint8Array, data: Uint8Array): Promise<Uint8Array> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return new Uint8Array(await crypto.subtle.sign("HMAC", k, data));
}

describe("deriveBytes", () => {
  it("is HKDF-SHA256 (RFC 5869) with salt 'warden hkdf v1' and info JSON [purpose, ...context]", async () => {
    // Independent computation from HMAC: PRK = HMAC(salt, IKM), OKM = HMAC(PRK, info || 0x01).
    const enc = new TextEncoder();
    const prk = await hmacRaw(enc.encode("warden hkdf v1"), MASTER);
    const info = enc.encode(JSON.stringify(["label-watermark", "t1", "m1", "key:k1"]));
    const okm = await hmacRaw(prk, Uint8Array.from([...info, 1]));
    expect(hex(await deriveBytes(MASTER, "label-watermark", ["t1", "m1", "key:k1"]))).toBe(hex(okm));
  });

  it("separates purposes and contexts, even when the separators are ambiguous", async () => {
    const a = hex(await deriveBytes(MASTER, "p", ["a|b", "c"]));
    const b = hex(await deriveBytes(MASTER, "p", ["a", "b|c"]));
    const c = hex(await deriveBytes(MASTER, "q", ["a|b", "c"]));
    expect(new Set([a, b, c]).size).toBe(3);
    expect(hex(await deriveBytes(MASTER, "p", ["a|b", "c"]))).toBe(a);
  });

  it("gives HMAC keys that sign deterministically", async () => {
    const k1 = await deriveHmacKey(MASTER, "p", ["x"]);
    const k2 = await deriveHmacKey(MASTER, "p", ["x"]);
    const k3 = await deriveHmacKey(MASTER, "p", ["y"]);
    expect(hex(await hmac(k1, "m"))).toBe(hex(await hmac(k2, "m")));
    expect(hex(await hmac(k1, "m"))).not.toBe(hex(await hmac(k3, "m")));
    expect(k1.extractable).toBe(false);
  });
});

describe("decodeMasterKey", () => {
  it("accepts base64 of 32 bytes and refuses anything else with not_configured", () => {
    const b64 = btoa(String.fromCharCode(...MASTER));
    expect(decodeMasterKey(b64)).toEqual(MASTER);
    for (const bad of [undefined, "", "not base64!!", btoa("short")]) {
      try {
        decodeMasterKey(bad);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(WardenError);
        expect((e as WardenError).code).toBe("not_configured");
      }
    }
  });
});

describe("unitInterval", () => {
  it("maps 48 bits to [0, 1)", () => {
    expect(unitInterval(new Uint8Array(6))).toBe(0);
    expect(unitInterval(new Uint8Array(6).fill(255))).toBe(1 - 2 ** -48);
    expect(unitInterval(Uint8Array.of(9, 0x80, 0, 0, 0, 0, 0), 1)).toBe(0.5);
  });
});
