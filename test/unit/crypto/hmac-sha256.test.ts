import { describe, expect, it } from "vitest";
import { HmacSha256, sha256 } from "../../../worker/crypto/hmac-sha256";
import { deriveBytes, deriveHmacKey, hmac } from "../../../worker/protect/keys";

const hex = (b: Uint8Array | ArrayBuffer): string => Array.from(new Uint8Array(b), (x) => x.toString(16).padStart(2, "0")).join("");

let seed = 11;
const bytes = (n: number): Uint8Array => Uint8Array.from({ length: n }, () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) & 0xff);

async function webHmac(key: Uint8Array, data: Uint8Array): Promise<string> {
  const k = await crypto.subtle.importKey("raw", key, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
  return hex(await crypto.subtle.sign("HMAC", k, data));
}

// Every padding case: empty, within one block, the 55/56/63/64/65-byte edges, several blocks.
const LENGTHS = [...Array.from({ length: 140 }, (_, i) => i), 183, 184, 191, 192, 1000, 4099];

describe("the JavaScript HMAC-SHA256 (the output protection's per-answer MACs)", () => {
  it("hashes as WebCrypto's SHA-256 does, at every padding edge", async () => {
    for (const n of LENGTHS) {
      const m = bytes(n);
      expect(hex(sha256(m)), `length ${n}`).toBe(hex(await crypto.subtle.digest("SHA-256", m)));
    }
    expect(hex(sha256(new TextEncoder().encode("abc")))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });

  it("signs as WebCrypto's HMAC does, for keys shorter than, equal to and longer than a block", async () => {
    for (const keyLength of [1, 32, 63, 64, 65, 100, 200]) {
      const key = bytes(keyLength);
      const mac = new HmacSha256(key);
      for (const n of LENGTHS) {
        const m = bytes(n);
        expect(hex(mac.sign(m)), `key ${keyLength}, message ${n}`).toBe(await webHmac(key, m));
      }
    }
  });

  it("hmac() of a derived key gives WebCrypto's MAC of the derived bytes, strings and bytes alike", async () => {
    const master = bytes(32);
    const key = await deriveHmacKey(master, "output-noise", ["t", "m", "key:k"]);
    const raw = await deriveBytes(master, "output-noise", ["t", "m", "key:k"]);
    for (const message of ["", "text|key:k|2026-12-07", JSON.stringify(["oip", "probabilities", 0, "[[\"input-0\",[0.5,1,2]]]"]), "é→😀".repeat(40)]) {
      expect(hex(await hmac(key, message))).toBe(await webHmac(raw, new TextEncoder().encode(message)));
    }
    const m = bytes(77);
    expect(hex(await hmac(key, m))).toBe(await webHmac(raw, m));
    // A key not derived here (no JavaScript state) still signs, through WebCrypto.
    const foreign = await crypto.subtle.importKey("raw", raw, { name: "HMAC", hash: "SHA-256" }, false, ["sign"]);
    expect(hex(await hmac(foreign, m))).toBe(await webHmac(raw, m));
  });
});
