import { describe, expect, it } from "vitest";
import { bearer, call, chatModel, createTenant, issueKey, json } from "../../helpers/warden";

/**
 * Request bodies are decoded by one fatal TextDecoder per isolate (worker/http/body.ts): a
 * malformed body is refused every time, and leaves nothing behind for the next request.
 */
describe("request body decoding with a shared decoder", () => {
  it("refuses malformed UTF-8 each time, and decodes a good body after it", async () => {
    const { id } = await createTenant({ models: [chatModel("chat", "/echo")] });
    const { key } = await issueKey(id);
    // A truncated multi-byte sequence: a streaming decoder would hold it for the next call.
    const bad = new Uint8Array([...new TextEncoder().encode('{"model":"chat","messages":[{"role":"user","content":"caf'), 0xc3]);
    for (let i = 0; i < 2; i++) {
      const res = await call(`/t/${id}/v1/chat/completions`, { method: "POST", headers: { ...bearer(key), "content-type": "application/json" }, body: bad });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { detail: string }).detail).toContain("UTF-8");
    }
    const good = await call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "café ✓" }], max_tokens: 4 }, bearer(key)));
    expect(good.status).toBe(200);
    const echo = (await good.json()) as { body: string };
    expect(JSON.parse(echo.body).messages[0].content).toBe("café ✓");
  });
});
