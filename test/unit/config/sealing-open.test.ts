import { describe, expect, it } from "vitest";
import { openHeaders } from "../../../worker/config/sealing";
import { encryptSecret } from "../../../worker/crypto/secrets";

const masterOf = (fill: number) => new Uint8Array(32).fill(fill);

describe("openHeaders (sealed origin header values, kept opened per isolate)", () => {
  it("opens a sealed value, again and again, and a value sealed anew to its new plaintext", async () => {
    const master = masterOf(1);
    const sealed = await encryptSecret(master, "Bearer first", "t1:origin-header:authorization");
    for (let i = 0; i < 3; i++) expect(await openHeaders(master, "t1", { Authorization: sealed, "x-team": "gpu" })).toEqual({ Authorization: "Bearer first", "x-team": "gpu" });
    const resealed = await encryptSecret(master, "Bearer second", "t1:origin-header:authorization");
    expect(await openHeaders(master, "t1", { authorization: resealed })).toEqual({ authorization: "Bearer second" });
    expect(await openHeaders(master, "t1", { authorization: sealed })).toEqual({ authorization: "Bearer first" });
  });

  it("still refuses a ciphertext under another tenant, another header or another master key once it was opened where it belongs", async () => {
    const master = masterOf(2);
    const sealed = await encryptSecret(master, "Bearer mine", "t2:origin-header:authorization");
    expect(await openHeaders(master, "t2", { authorization: sealed })).toEqual({ authorization: "Bearer mine" });
    await expect(openHeaders(master, "other", { authorization: sealed })).rejects.toThrow();
    await expect(openHeaders(master, "t2", { "x-api-key": sealed })).rejects.toThrow();
    await expect(openHeaders(masterOf(3), "t2", { authorization: sealed })).rejects.toThrow();
    // A refused opening is not kept either way: the rightful one still opens, the wrong one still fails.
    expect(await openHeaders(master, "t2", { authorization: sealed })).toEqual({ authorization: "Bearer mine" });
    await expect(openHeaders(master, "other", { authorization: sealed })).rejects.toThrow();
  });
});
