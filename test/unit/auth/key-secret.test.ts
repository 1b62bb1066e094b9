import { describe, expect, it } from "vitest";
import { secretMatches } from "../../../worker/auth/key-secret";
import { constantTimeEqual, sha256Hex } from "../../../worker/crypto/compare";

describe("secretMatches", () => {
  it("agrees with comparing hex digests in constant time", async () => {
    const secret = "s3cr3t-part-of-an-api-key-xxxxxxxxxxxxxxxx";
    const hex = await sha256Hex(secret);
    const cases: Array<[string, string]> = [
      [secret, hex], [`${secret}x`, hex], [secret, hex.toUpperCase()], [secret, hex.slice(0, 63)], [secret, `${hex}0`], [secret, ""],
      [secret, hex.replace(/.$/, (c) => (c === "0" ? "1" : "0"))], [secret, "zz".repeat(32)],
    ];
    for (const [s, stored] of cases) {
      expect(await secretMatches(s, stored)).toBe(await constantTimeEqual(await sha256Hex(s), stored));
      expect(await secretMatches(s, stored)).toBe(await constantTimeEqual(await sha256Hex(s), stored)); // memoised stored digest
    }
    expect(await secretMatches(secret, hex)).toBe(true);
  });
});
