import { describe, expect, it } from "vitest";
import { SignJWT } from "jose";
import { RECEIPT_ISSUER, RECEIPT_TYP, currentReceiptKey, signReceipt, type ReceiptClaims, type ReceiptKey } from "../../../worker/protect/receipts";

const MASTER = new Uint8Array(32).map((_, i) => (i * 7) ^ 0x33);

/** What signReceipt produced before it built the JWS itself: jose's SignJWT, as it was called. */
function withJose(key: ReceiptKey, claims: ReceiptClaims, at: number): Promise<string> {
  return new SignJWT({ ...claims })
    .setProtectedHeader({ alg: "EdDSA", kid: key.kid, typ: RECEIPT_TYP })
    .setIssuer(RECEIPT_ISSUER)
    .setIssuedAt(Math.floor(new Date(at).getTime() / 1000))
    .sign(key.privateKey);
}

describe("signReceipt", () => {
  it("writes exactly the bytes jose's SignJWT wrote, header, claims and signature", async () => {
    const cases: Array<[ReceiptClaims, number]> = [
      [{ tenant: "t1", principal: "key:k1", model: "chat", request_id: "req-1", body_sha256: "abc" }, Date.UTC(2026, 11, 7, 1, 2, 3, 456)],
      [{ tenant: "tënant \"q\" \\ /", principal: "sub:ü\u2028\u0000x", model: "m/ödel 🦊", request_id: "r\n2", body_sha256: "-_x" }, Date.UTC(2027, 0, 1)],
      [{ tenant: "a".repeat(300), principal: "key:" + "b".repeat(77), model: "", request_id: "", body_sha256: "" }, Date.UTC(2026, 1, 28, 23, 59, 59, 999)],
    ];
    for (const [claims, at] of cases) {
      const key = await currentReceiptKey(MASTER, at);
      // Twice: the second call takes the cached header.
      expect(await signReceipt(key, claims, at)).toBe(await withJose(key, claims, at));
      expect(await signReceipt(key, claims, at)).toBe(await withJose(key, claims, at));
    }
  });
});
