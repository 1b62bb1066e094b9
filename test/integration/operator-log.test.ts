import { afterEach, describe, expect, it, vi } from "vitest";
import { admin, bearer, call, chatModel, createTenant, issueKey, json } from "../helpers/warden";
import { captureLog } from "../helpers/operator-log";

/** What the operator's log says about refused admin changes (one JSON line per event). */

describe("operator log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("says why an admin request was refused (400, 401, 409), without the secrets it carried", async () => {
    const { id } = await createTenant();
    const log = captureLog();
    expect((await admin("/tenants", "POST", { id, name: "again", models: [], policy: {} })).status).toBe(409);
    expect((await admin("/tenants", "POST", { id: "Bad Id", name: "x", models: [], policy: { auth: { jwt: { secret: "S3CRET-VALUE-that-is-32-bytes-long!!" } } } })).status).toBe(400);
    expect((await call("/admin/v1/tenants", { headers: { authorization: "Bearer WRONG-ADMIN-TOKEN" } })).status).toBe(401);
    const events = log.events().filter((e) => e.event === "request.refused");
    expect(events.map((e) => e.code)).toEqual(["conflict", "invalid_request", "unauthorized"]);
    for (const e of events) {
      expect(typeof e.detail).toBe("string");
      expect(e.path).toBe("/admin/v1/tenants");
    }
    expect(log.raw()).not.toContain("S3CRET-VALUE");
    expect(log.raw()).not.toContain("WRONG-ADMIN-TOKEN");
  });

  it("logs an origin that breaks off a stream after its status went out, in one line with the tokens that passed", async () => {
    const { id } = await createTenant({ models: [chatModel("chat", "/stream-break")] });
    const { key } = await issueKey(id);
    const log = captureLog();
    const res = await call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 20, stream: true }, bearer(key)));
    expect(res.status).toBe(200);
    await expect(res.text()).rejects.toThrow();
    const line = log.events().find((e) => e.event === "forward.origin_stream_broken");
    expect(line, log.raw()).toMatchObject({ tenant: id, "gen_ai.request.model": "chat" });
    expect(typeof line!.cause).toBe("string");
    expect(line!.completion_tokens_passed as number).toBeGreaterThanOrEqual(0);
    expect(log.raw()).not.toMatch(/127\.0\.0\.1|at [A-Za-z]+ \(/);
  });
});
