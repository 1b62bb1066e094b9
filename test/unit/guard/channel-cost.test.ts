import { describe, expect, it } from "vitest";
import { OutputGuard } from "../../../worker/guard/guard";
import { OutputGuardSchema } from "../../../worker/guard/policy";
import { MAX_HOLD } from "../../../worker/guard/channel";
import { SECRET_DETECTORS } from "../../../worker/guard/detectors/secrets";
import type { Detector } from "../../../worker/guard/detectors/types";

/**
 * The stream's worst case for CPU: one long token that matches nothing (a base64 blob) keeps a
 * 1,024-character tail that every detector re-reads. Read on every chunk, a 16 KB blob in
 * 8-character chunks cost ~23 ms/KB (bench/RESULTS.md "Output guard"); it is now re-read every
 * 256 characters, with the hold bounded by MAX_HOLD + 256.
 */
describe("GuardChannel cost on one long token", () => {
  it("re-reads a held 16 KB base64 blob every 256 characters, not on every 8-character chunk, and passes it whole", () => {
    let reads = 0;
    const counting: Detector = { name: "counting", category: "secrets", find: () => (reads++, []) };
    const guard = new OutputGuard(OutputGuardSchema.parse({ secrets: "redact", pii: "redact" }), [], [counting, ...SECRET_DETECTORS]);
    const blob = "aGVsbG8gd29ybGQgdGhpcyBpcyBhIGxvbmcgYmxvYiBvZiBiYXNlNjQgdGV4dCB3aXRob3V0IGFueSBzZWNyZXQ".repeat(200).slice(0, 16384);
    const ch = guard.channel();
    let out = "";
    let maxHeld = 0;
    for (let i = 0; i < blob.length; i += 8) {
      out += ch.push(blob.slice(i, i + 8));
      maxHeld = Math.max(maxHeld, Math.min(i + 8, blob.length) - out.length);
    }
    out += ch.flush();
    expect(out).toBe(blob);
    expect(maxHeld).toBeLessThanOrEqual(MAX_HOLD + 256 + 8);
    // (16384 − 1024) / 256 = 60 reads, and the final one; on every chunk it was ~1,900.
    expect(reads).toBeLessThan(80);
  });

  it("a key at the end of a long blob-like token is still redacted", () => {
    const guard = new OutputGuard(OutputGuardSchema.parse({ secrets: "redact" }), []);
    const text = `${"Zm9vYmFy".repeat(400)} AKIAZ4QW7RTY2UIOP3LK done`;
    const ch = guard.channel();
    let out = "";
    for (let i = 0; i < text.length; i += 8) out += ch.push(text.slice(i, i + 8));
    out += ch.flush();
    expect(out).toBe(`${"Zm9vYmFy".repeat(400)} [REDACTED:aws_access_key] done`);
  });
});
