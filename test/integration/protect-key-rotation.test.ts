import { afterEach, describe, expect, it, vi } from "vitest";
import { env } from "cloudflare:test";
import { compactVerify, createLocalJWKSet, decodeProtectedHeader, type JSONWebKeySet } from "jose";
import { bearer, call, chatModel, createTenant, issueKey, json } from "../helpers/warden";
import { decodeMasterKey } from "../../worker/protect/keys";
import { createTextMarker, textWatermarkKey } from "../../worker/protect/text-watermark";

/**
 * Keys and per-key values that the Worker keeps per isolate (receipt signing key and its header,
 * the text watermark's gaps) must follow what they are derived from: the receipt key rotates with
 * the UTC month, the text watermark's gaps with the UTC day. The clock is moved across each
 * boundary between two answers of one isolate.
 */
const BLOCK = /\u2060[\uFE00-\uFE0F]{11}/g;

afterEach(() => {
  vi.useRealTimers();
});

async function setup(protection: Record<string, unknown>) {
  const { id } = await createTenant({ models: [chatModel("chat", "", { protection })] });
  const key = await issueKey(id);
  return { id, auth: bearer(key.key), principal: `key:${key.id}` };
}

const ask = (t: { id: string; auth: Record<string, string> }) =>
  call(`/t/${t.id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "tell me about the harbour" }], max_tokens: 120, seed: 11 }, t.auth));

describe("per-isolate protection keys follow their rotation", () => {
  it("signs with the new month's key from the first answer after the month changes", async () => {
    const t = await setup({ receipts: true });
    vi.useFakeTimers({ toFake: ["Date"] });
    const kids: string[] = [];
    for (const at of [Date.UTC(2031, 0, 31, 23, 59, 59, 500), Date.UTC(2031, 0, 31, 23, 59, 59, 900), Date.UTC(2031, 1, 1, 0, 0, 0, 100), Date.UTC(2031, 1, 1, 0, 0, 0, 200)]) {
      vi.setSystemTime(at);
      const res = await ask(t);
      expect(res.status).toBe(200);
      const body = await res.arrayBuffer();
      const jws = res.headers.get("x-warden-receipt")!;
      kids.push(decodeProtectedHeader(jws).kid!);
      const keys = (await (await call("/.well-known/jwks.json")).json()) as JSONWebKeySet;
      const { payload } = await compactVerify(jws, createLocalJWKSet(keys));
      const claims = JSON.parse(new TextDecoder().decode(payload)) as { iat: number; body_sha256: string };
      expect(claims.iat).toBe(Math.floor(at / 1000));
      expect(body.byteLength).toBeGreaterThan(0);
    }
    expect(kids).toEqual(["warden-2031-01", "warden-2031-01", "warden-2031-02", "warden-2031-02"]);
  });

  it("places text marks by the day's gaps after the day changes, as a freshly derived key does", async () => {
    const t = await setup({ text_watermark: true });
    vi.useFakeTimers({ toFake: ["Date"] });
    const days = [Date.UTC(2031, 2, 4, 23, 59, 59, 900), Date.UTC(2031, 2, 5, 0, 0, 0, 100), Date.UTC(2031, 2, 6, 12)];
    const marked: string[] = [];
    for (const at of days) {
      vi.setSystemTime(at);
      const res = await ask(t);
      expect(res.status).toBe(200);
      const content = ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content;
      expect(content.match(BLOCK)?.length ?? 0).toBeGreaterThanOrEqual(3);
      // The same answer marked by a marker made here, from a key derived here for this answer alone
      // (a new CryptoKey object: nothing cached under it).
      const key = await textWatermarkKey(decodeMasterKey(env.MASTER_KEY), t.id);
      const expected = await (await createTextMarker(key, t.principal, at)).push(content.replace(BLOCK, ""));
      expect(content).toBe(expected);
      marked.push(content);
    }
    // The origin's answer is the same each time (fixed seed): only the day moved the marks.
    expect(new Set(marked.map((m) => m.replace(BLOCK, ""))).size).toBe(1);
    expect(new Set(marked).size).toBe(3);

    // Another tenant on the same day: its own key, so its own gaps and tags.
    const other = await setup({ text_watermark: true });
    const res = await ask(other);
    const content = ((await res.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!.message.content;
    const key = await textWatermarkKey(decodeMasterKey(env.MASTER_KEY), other.id);
    expect(content).toBe(await (await createTextMarker(key, other.principal, days[2]!)).push(content.replace(BLOCK, "")));
    expect(content).not.toBe(marked[2]);
  });
});
