import { describe, expect, it } from "vitest";
import { env, createExecutionContext, waitOnExecutionContext } from "cloudflare:test";
import { app } from "../../worker/app";
import { ERROR_TABLE } from "../../worker/errors";
import { call, problem } from "../helpers/warden";

async function withEnv(overrides: Record<string, unknown>, path: string, init: RequestInit = {}): Promise<Response> {
  const ctx = createExecutionContext();
  const res = await app.fetch(new Request(`https://warden.test${path}`, init), { ...env, ...overrides }, ctx);
  await waitOnExecutionContext(ctx);
  return res;
}

describe("errors (CONTRACT §8)", () => {
  it("maps every code to the contract's status", () => {
    const expected: Record<string, number> = {
      invalid_request: 400, unauthorized: 401, forbidden: 403, input_rejected: 403, extraction_suspected: 403, not_found: 404,
      conflict: 409, payload_too_large: 413, unsupported_media_type: 415, rate_limited: 429, quota_exceeded: 429,
      origin_error: 502, not_configured: 503, no_origin: 503, origin_timeout: 504, internal: 500,
    };
    for (const [code, status] of Object.entries(expected)) expect(ERROR_TABLE[code as keyof typeof ERROR_TABLE].status).toBe(status);
  });

  it("writes problems as RFC 9457 with a relative type, code and the request id", async () => {
    const res = await call("/admin/v1/tenants");
    const p = await problem(res);
    expect(p).toMatchObject({ type: "/errors/unauthorized", title: "Unauthorized", status: 401, code: "unauthorized" });
    expect(typeof p.detail).toBe("string");
    expect(p.request_id).toBe(res.headers.get("x-request-id"));
  });

  it("answers 503 not_configured everywhere but /healthz without a usable MASTER_KEY", async () => {
    for (const master of [undefined, "", "c2hvcnQ=", "not base64 !!"]) {
      const res = await withEnv({ MASTER_KEY: master }, "/admin/v1/tenants", { headers: { authorization: `Bearer ${env.ADMIN_TOKEN}` } });
      expect(res.status).toBe(503);
      expect((await problem(res)).code).toBe("not_configured");
      const data = await withEnv({ MASTER_KEY: master }, "/t/any/v1/models");
      expect(data.status).toBe(503);
      const health = await withEnv({ MASTER_KEY: master }, "/healthz");
      expect(health.status).toBe(503);
      expect(JSON.stringify(await health.json())).toContain("MASTER_KEY");
    }
  });

  it("closes the admin API when no admin credential is configured", async () => {
    const res = await withEnv({ ADMIN_TOKEN: undefined }, "/admin/v1/tenants", { headers: { authorization: "Bearer anything" } });
    expect(res.status).toBe(503);
    expect((await problem(res)).code).toBe("not_configured");
  });
});

describe("headers on every response", () => {
  it("sends x-request-id and Server-Timing on admin, public and error answers too", async () => {
    for (const res of [await call("/healthz"), await call("/admin/v1/tenants"), await call("/nowhere"), await call("/t/x/v1/models")]) {
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.headers.get("server-timing")).toMatch(/^[a-z]+;dur=\d+(\.\d+)?/);
    }
  });
});

describe("GET /errors/<code>", () => {
  it("explains every code a problem's type can name, and 404s anything else", async () => {
    for (const [code, { status }] of Object.entries(ERROR_TABLE)) {
      const res = await call(`/errors/${code}`);
      expect(res.status).toBe(200);
      const body = (await res.json()) as { code: string; status: number; description: string };
      expect(body).toMatchObject({ code, status });
      expect(body.description.length).toBeGreaterThan(10);
    }
    expect((await call("/errors/constructor")).status).toBe(404);
    expect((await call("/errors/nope")).status).toBe(404);
  });
});
