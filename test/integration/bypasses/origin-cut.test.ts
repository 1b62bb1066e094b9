import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { admin, bearer, call, chatModel, createTenant, eventually, issueKey, json, problem } from "../../helpers/warden";
import { itInOneUtcDay } from "../../helpers/clock";

/**
 * An origin that sends a 200 with its headers and half of a JSON body, then resets the
 * connection: the client gets a 502 origin_error problem with x-request-id (not workerd's bare
 * 503), and the budget charges nothing for it.
 */
async function usage(tenant: string): Promise<{ requests: number; tokens: number }> {
  const res = await admin(`/tenants/${tenant}/usage`);
  expect(res.status).toBe(200);
  const body = (await res.json()) as { windows: { day: { requests: number; tokens: number } } };
  return body.windows.day;
}

describe("an origin that cuts a JSON answer midway", () => {
  itInOneUtcDay("is a 502 origin_error problem with x-request-id, and the lease is settled with nothing charged", async () => {
    const { id } = await createTenant({ models: [chatModel("chat", "/json-break")], policy: { limits: { max_concurrency: 1 } } });
    const { key } = await issueKey(id);
    const body = { model: "chat", messages: [{ role: "user", content: "Tell me about the sea" }], max_tokens: 8 };
    const res = await call(`/t/${id}/v1/chat/completions`, json(body, bearer(key)));
    expect(res.status).toBe(502);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    const p = await problem(res);
    expect(p.code).toBe("origin_error");
    expect(p.request_id).toBe(res.headers.get("x-request-id"));
    expect(JSON.stringify(p)).not.toContain("127.0.0.1");
    // Settled: the concurrency slot of 1 is free again, and no tokens were charged.
    await eventually(async () => {
      const u = await usage(id);
      expect(u.tokens).toBe(0);
    });
    const again = await call(`/t/${id}/v1/chat/completions`, json(body, bearer(key)));
    expect(again.status).toBe(502);
  });

  it("is a 502 origin_error for an OIP answer cut midway too", async () => {
    const { id } = await createTenant({ models: [{ name: "digits", protocol: "oip", origins: [{ url: `${env.ORIGIN_URL}/json-break` }] }] });
    const { key } = await issueKey(id);
    const res = await call(`/t/${id}/v2/models/digits/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: Array(64).fill(1) }] }, bearer(key)));
    expect(res.status).toBe(502);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect((await problem(res)).code).toBe("origin_error");
  });

  it("is a 504 origin_timeout when the rest of the answer does not come within timeout_ms", async () => {
    const { id } = await createTenant({ models: [chatModel("chat", "/json-stall", { timeout_ms: 1000 })] });
    const { key } = await issueKey(id);
    const res = await call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 4 }, bearer(key)));
    expect(res.status).toBe(504);
    expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    expect((await problem(res)).code).toBe("origin_timeout");
  });
});
