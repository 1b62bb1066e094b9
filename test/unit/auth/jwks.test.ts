import { describe, expect, it } from "vitest";
import { SignJWT, exportJWK, generateKeyPair, jwtVerify } from "jose";
import { MAX_REMOTE_SETS, localJwks, remoteJwks } from "../../../worker/auth/jwks";

/**
 * One JWT key-set cache per isolate (issue 11 #4): a verification reuses the set a previous one
 * made (jose keeps the imported keys and the fetched set in it), and the table of remote sets is
 * bounded like every other per-isolate cache.
 */
describe("the isolate's JWT key sets", () => {
  it("keeps one inline set per key-set object, which verifies the tenant's tokens", async () => {
    const { publicKey, privateKey } = await generateKeyPair("ES256");
    const jwks = { keys: [{ ...(await exportJWK(publicKey)), kid: "k1", alg: "ES256" }] };
    const set = localJwks(jwks);
    expect(localJwks(jwks)).toBe(set);
    // Another document (a fresh read of the tenant) gets a set of its own.
    expect(localJwks(structuredClone(jwks))).not.toBe(set);
    const token = await new SignJWT({ sub: "alice" }).setProtectedHeader({ alg: "ES256", kid: "k1" }).setExpirationTime("1m").sign(privateKey);
    for (let i = 0; i < 2; i++) expect((await jwtVerify(token, set)).payload.sub).toBe("alice");
  });

  it("keeps one remote set per URL, and at most MAX_REMOTE_SETS of them", () => {
    const first = remoteJwks("https://idp.example/jwks-0");
    expect(remoteJwks("https://idp.example/jwks-0")).toBe(first);
    for (let i = 1; i <= MAX_REMOTE_SETS; i++) remoteJwks(`https://idp.example/jwks-${i}`);
    // The table started over: the first URL's set is made again (and would fetch again).
    expect(remoteJwks("https://idp.example/jwks-0")).not.toBe(first);
  });
});
