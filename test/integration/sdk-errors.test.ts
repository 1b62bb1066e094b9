import { describe, expect, it } from "vitest";
import OpenAI from "openai";
import { BASE, call, chatModel, createTenant, issueKey, json } from "../helpers/warden";
import { rejection as rejectionOf, viaWorker } from "../helpers/sdk-fetch";

/**
 * CONTRACT §8: the official openai SDK, pointed at Warden, must show Warden's own refusals as its
 * own error classes with Warden's message — not "401 status code (no body)". The SDK runs inside
 * workerd and reaches the Worker through its real fetch handler.
 */
function sdk(tenant: string, apiKey: string): OpenAI {
  return new OpenAI({ baseURL: `${BASE}/t/${tenant}/v1`, apiKey, maxRetries: 0, fetch: viaWorker });
}

const rejection = (p: Promise<unknown>) => rejectionOf(p, OpenAI.APIError);

const ask = (client: OpenAI, model = "chat", content = "Hello") => client.chat.completions.create({ model, messages: [{ role: "user", content }], max_tokens: 5 });

describe("OpenAI-shaped errors on the OpenAI routes", () => {
  it("401, 403, 404, 413, 429 and 502 reach the openai SDK as its own error classes with Warden's message", async () => {
    const { id } = await createTenant({
      models: [chatModel("chat"), chatModel("other"), chatModel("broken", "/status/500")],
      policy: { limits: { requests_per_minute: 60, burst: 60, max_body_bytes: 4096 } },
    });
    const { key } = await issueKey(id, { name: "scoped", scopes: ["chat", "broken"] });
    const client = sdk(id, key);

    const unauthorized = await rejection(ask(sdk(id, `wdn.${id}.aaaaaaaaaaaaaaaa.${"A".repeat(43)}`)));
    expect(unauthorized).toBeInstanceOf(OpenAI.AuthenticationError);
    expect(unauthorized.status).toBe(401);
    expect(unauthorized.message).toBe("401 The credential is invalid, expired or revoked.");
    expect(unauthorized.code).toBe("unauthorized");
    expect(unauthorized.type).toBe("authentication_error");

    const forbidden = await rejection(ask(client, "other"));
    expect(forbidden).toBeInstanceOf(OpenAI.PermissionDeniedError);
    expect(forbidden.message).toBe("403 This credential may not use this model.");

    const missing = await rejection(ask(client, "no-such-model"));
    expect(missing).toBeInstanceOf(OpenAI.NotFoundError);
    expect(missing.message).toBe("404 No such model for this tenant.");

    const tooLarge = await rejection(ask(client, "chat", "x".repeat(5000)));
    expect(tooLarge.status).toBe(413);
    expect(tooLarge.message).toBe("413 The body exceeds 4096 bytes.");

    const originFailed = await rejection(ask(client, "broken"));
    expect(originFailed).toBeInstanceOf(OpenAI.InternalServerError);
    expect(originFailed.status).toBe(502);
    expect(originFailed.message).toBe("502 The model's origin failed.");
    expect(originFailed.message).not.toContain("ORIGIN-SECRET-BODY");

    const badField = await rejection(client.chat.completions.create({ model: "chat", messages: "nope" as never }));
    expect(badField).toBeInstanceOf(OpenAI.BadRequestError);
    expect(badField.param).toBe("messages");
  });

  it("429 carries the SDK's RateLimitError, with Retry-After readable from its headers", async () => {
    const { id } = await createTenant({ policy: { limits: { requests_per_minute: 1, burst: 1 } } });
    const { key } = await issueKey(id);
    const client = sdk(id, key);
    await ask(client);
    const limited = await rejection(ask(client));
    expect(limited).toBeInstanceOf(OpenAI.RateLimitError);
    expect(limited.type).toBe("rate_limit_error");
    expect(limited.code).toBe("rate_limited");
    expect(Number(limited.headers?.get("retry-after"))).toBeGreaterThan(0);
  });

  it("keeps the problem's own members and content type; OIP and admin answers carry no OpenAI member", async () => {
    const res = await call(`/t/nobody-${Date.now()}/v1/chat/completions`, json({ model: "chat", messages: [] }, { authorization: "Bearer junk" }));
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    const body = (await res.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ type: "/errors/unauthorized", status: 401, code: "unauthorized", error: { type: "authentication_error", code: "unauthorized", param: null } });
    expect((body.error as { message: string }).message).toBe(body.detail);

    const oip = (await (await call(`/t/nobody/v2/models/m/infer`, json({}, { authorization: "Bearer junk" }))).json()) as Record<string, unknown>;
    expect(oip.code).toBe("unauthorized");
    expect(oip).not.toHaveProperty("error");
    const adminAnswer = (await (await call("/admin/v1/tenants")).json()) as Record<string, unknown>;
    expect(adminAnswer).not.toHaveProperty("error");
  });
});
