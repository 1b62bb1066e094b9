import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import Anthropic from "@anthropic-ai/sdk";
import { BASE, chatModel, createTenant, issueKey } from "../helpers/warden";
import { rejection as rejectionOf, viaWorker } from "../helpers/sdk-fetch";

/**
 * Issue 12 item 1 for the official `@anthropic-ai/sdk` on `/v1/messages`: each of Warden's
 * refusals — 400, 401, 403, 404, 413, 429, 502 and 503 — reaches the application as the SDK's own
 * error class, with Warden's detail as the message and Anthropic's error type, as the SDK shows
 * Anthropic's own errors. The SDK runs inside workerd and reaches the Worker's real fetch handler.
 */
function sdk(tenant: string, apiKey: string): Anthropic {
  return new Anthropic({ baseURL: `${BASE}/t/${tenant}`, apiKey, maxRetries: 0, fetch: viaWorker });
}

const rejection = (p: Promise<unknown>) => rejectionOf(p, Anthropic.APIError);

const ask = (client: Anthropic, model = "chat", content = "Hello") => client.messages.create({ model, max_tokens: 5, messages: [{ role: "user", content }] });

/** The SDK's message for an Anthropic error: status, the error's message, then what it knows in brackets. */
function expectShown(err: InstanceType<typeof Anthropic.APIError>, status: number, detail: string, type: string): void {
  expect(err.status).toBe(status);
  expect(err.apiMessage).toBe(detail);
  expect(err.type).toBe(type);
  expect(err.message.startsWith(`${status} ${detail} (`), err.message).toBe(true);
  expect(err.message).toContain(`type: ${type}`);
  expect(err.message).not.toContain("ORIGIN-SECRET-BODY");
}

describe("Anthropic-shaped errors on /v1/messages", () => {
  it("400, 401, 403, 404, 413, 502 and 503 reach the Anthropic SDK as its own error classes with Warden's message", async () => {
    const { id } = await createTenant({
      models: [chatModel("chat"), chatModel("other"), chatModel("broken", "/status/500"), { name: "down", protocol: "openai", origins: [{ url: env.ORIGIN_DOWN_URL }] }],
      policy: { limits: { max_body_bytes: 4096 } },
    });
    const { key } = await issueKey(id, { name: "scoped", scopes: ["chat", "broken", "down"] });
    const client = sdk(id, key);

    const unauthorized = await rejection(ask(sdk(id, `wdn.${id}.aaaaaaaaaaaaaaaa.${"A".repeat(43)}`)));
    expect(unauthorized).toBeInstanceOf(Anthropic.AuthenticationError);
    expectShown(unauthorized, 401, "The credential is invalid, expired or revoked.", "authentication_error");

    const forbidden = await rejection(ask(client, "other"));
    expect(forbidden).toBeInstanceOf(Anthropic.PermissionDeniedError);
    expectShown(forbidden, 403, "This credential may not use this model.", "permission_error");

    const missing = await rejection(ask(client, "no-such-model"));
    expect(missing).toBeInstanceOf(Anthropic.NotFoundError);
    expectShown(missing, 404, "No such model for this tenant.", "not_found_error");

    const tooLarge = await rejection(ask(client, "chat", "x".repeat(5000)));
    expect(tooLarge).toBeInstanceOf(Anthropic.ContentTooLargeError);
    expectShown(tooLarge, 413, "The body exceeds 4096 bytes.", "request_too_large");

    const originFailed = await rejection(ask(client, "broken"));
    expect(originFailed).toBeInstanceOf(Anthropic.InternalServerError);
    expectShown(originFailed, 502, "The model's origin failed.", "api_error");

    const noOrigin = await rejection(ask(client, "down"));
    expect(noOrigin).toBeInstanceOf(Anthropic.ServiceUnavailableError);
    expect(noOrigin.status).toBe(503);
    expect(noOrigin.type).toBe("overloaded_error");
    expect(noOrigin.apiMessage).toBeTruthy();

    const badRequest = await rejection(client.messages.create({ model: "chat", max_tokens: "five" as never, messages: [{ role: "user", content: "x" }] }));
    expect(badRequest).toBeInstanceOf(Anthropic.BadRequestError);
    expect(badRequest.type).toBe("invalid_request_error");
    expect(badRequest.apiMessage).toContain("max_tokens");
  });

  it("429 is the SDK's RateLimitError with Warden's message and Retry-After; a stream refused up front raises the same", async () => {
    const { id } = await createTenant({ policy: { limits: { requests_per_minute: 1, burst: 1 } } });
    const { key } = await issueKey(id);
    const client = sdk(id, key);
    await ask(client);
    const limited = await rejection(client.messages.stream({ model: "chat", max_tokens: 5, messages: [{ role: "user", content: "x" }] }).finalMessage());
    expect(limited).toBeInstanceOf(Anthropic.RateLimitError);
    expect(limited.status).toBe(429);
    expect(limited.type).toBe("rate_limit_error");
    expect(limited.message.startsWith(`429 ${limited.apiMessage!} (`)).toBe(true);
    expect(Number(limited.headers?.get("retry-after"))).toBeGreaterThan(0);
  });
});
