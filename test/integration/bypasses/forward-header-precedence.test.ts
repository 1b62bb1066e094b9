import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { bearer, call, chatModel, createTenant, issueKey, json } from "../../helpers/warden";

/**
 * A client header never overrides what Warden or the operator sets for the origin: the origin's
 * configured headers (whatever their case) and Warden's own x-request-id replace a client's
 * header of the same name (worker/origin/forward.ts sets them after the client's).
 * And a wrong key stays refused however often the right one was admitted before (the key check
 * compares digests, worker/auth/key-secret.ts). The origin path is kept per URL in the isolate
 * (worker/pipeline/run.ts): each request still reaches the origin with its own path and query.
 */
describe("forwarded header precedence", () => {
  it("origin headers and x-request-id replace client headers of the same name; other client headers pass", async () => {
    const { id } = await createTenant({
      models: [chatModel("chat", "/echo", { origins: [{ url: `${env.ORIGIN_URL}/echo`, headers: { "X-Origin-Team": "gpu" } }] })],
    });
    const { key } = await issueKey(id);
    const res = await call(`/t/${id}/v1/chat/completions`, json(
      { model: "chat", messages: [{ role: "user", content: "Tell me about the sea" }], max_tokens: 8 },
      { ...bearer(key), "x-origin-team": "spoofed", "x-request-id": "client-chosen", "x-client-header": "kept", "accept-encoding": "gzip" },
    ));
    expect(res.status).toBe(200);
    const echo = (await res.json()) as { headers: Record<string, string>; request_id: string };
    expect(echo.headers["x-origin-team"]).toBe("gpu");
    expect(echo.headers["x-request-id"]).toBe(res.headers.get("x-request-id"));
    expect(echo.headers["x-request-id"]).not.toBe("client-chosen");
    expect(echo.headers["x-client-header"]).toBe("kept");
    expect(echo.headers["accept-encoding"]).toBe("identity");
  });

  it("a key with a wrong secret is refused after the right one was admitted from the isolate's cache", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")] });
    const { key } = await issueKey(id);
    const body = { model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 4 };
    expect((await call(`/t/${id}/v1/chat/completions`, json(body, bearer(key)))).status).toBe(200);
    expect((await call(`/t/${id}/v1/chat/completions`, json(body, bearer(key)))).status).toBe(200);
    const last = key.at(-1) === "A" ? "B" : "A";
    const wrong = `${key.slice(0, -1)}${last}`;
    expect((await call(`/t/${id}/v1/chat/completions`, json(body, bearer(wrong)))).status).toBe(401);
    expect((await call(`/t/${id}/v1/chat/completions`, json(body, bearer(key)))).status).toBe(200);
  });

  it("each request reaches the origin with its own query, the same URL twice alike, a long one too", async () => {
    const { id } = await createTenant({ models: [chatModel("chat", "/echo")] });
    const { key } = await issueKey(id);
    const body = { model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 4 };
    const long = "x".repeat(600);
    const seen: Array<Record<string, unknown>> = [];
    for (const q of ["a=1", "a=2", "a=1", `a=${long}`, "b=%2F%20"]) {
      const res = await call(`/t/${id}/v1/chat/completions?${q}`, json(body, bearer(key)));
      expect(res.status).toBe(200);
      const echo = (await res.json()) as { query: Record<string, unknown>; path: string };
      expect(echo.path).toBe("/v1/chat/completions");
      seen.push(echo.query);
    }
    expect(seen).toEqual([{ a: "1" }, { a: "2" }, { a: "1" }, { a: long }, { b: "/ " }]);
  });
});
