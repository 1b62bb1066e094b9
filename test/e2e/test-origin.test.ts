/// <reference types="node" />
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parsePrefixes, startTestOrigin, unusedLoopbackUrl, SECRET_BODY, type EchoBody, type TagStats, type TestOrigin } from "../helpers/origin-server";

const chatBody = JSON.stringify({ model: "m", messages: [{ role: "user", content: "hi" }], max_tokens: 4, stream: true });

describe("test origin (test/helpers/origin-server.ts)", () => {
  let origin: TestOrigin;
  beforeAll(async () => {
    origin = await startTestOrigin({ name: "o-test" });
  });
  afterAll(() => origin.close());

  it("parses composed prefixes and leaves the rest for the demo origin", () => {
    expect(parsePrefixes("/tag/a/slow/20/set-header/x-a/1/v1/models")).toEqual({
      steps: [{ kind: "tag", label: "a" }, { kind: "slow", ms: 20 }, { kind: "set-header", name: "x-a", value: "1" }],
      rest: "/v1/models",
    });
    expect(parsePrefixes("/stream-pause/v1/chat/completions").steps).toEqual([{ kind: "stream-pause", ms: 1500 }]);
  });

  it("echoes method, path, query, headers, body and Warden's forwarded identity headers", async () => {
    const res = await fetch(`${origin.url}/echo/v1/chat/completions?a=1&a=2`, {
      method: "POST",
      headers: { "x-request-id": "r-1", "x-warden-tenant": "acme", "x-warden-principal": "key:k1", "content-type": "application/json" },
      body: '{"x":1}',
    });
    const echo = (await res.json()) as EchoBody;
    expect(echo).toMatchObject({ origin: "o-test", method: "POST", path: "/v1/chat/completions", query: { a: ["1", "2"] }, body: '{"x":1}', request_id: "r-1", tenant: "acme", principal: "key:k1" });
    expect(echo.headers["content-type"]).toBe("application/json");
  });

  it("fails with the requested status and a secret-looking body, and counts per tag", async () => {
    const res = await fetch(`${origin.url}/tag/t-status/status/503/v1/chat/completions`, { method: "POST", body: "{}" });
    expect(res.status).toBe(503);
    expect(await res.text()).toContain(SECRET_BODY);
    await fetch(`${origin.url}/tag/t-status/set-header/x-extra/yes/v1/models`).then((r) => expect(r.headers.get("x-extra")).toBe("yes"));
    const stats = (await (await fetch(`${origin.url}/__stats?tag=t-status`)).json()) as TagStats;
    expect(stats.requests).toBe(2);
    expect(stats.paths).toEqual({ "/v1/chat/completions": 1, "/v1/models": 1 });
    await fetch(`${origin.url}/__reset?tag=t-status`, { method: "POST" });
    expect(((await (await fetch(`${origin.url}/__stats?tag=t-status`)).json()) as TagStats).requests).toBe(0);
  });

  it("delivers a whole stream through stream-pause, and cuts one with stream-break", async () => {
    const paused = await fetch(`${origin.url}/stream-pause/10/v1/chat/completions`, { method: "POST", body: chatBody });
    expect((await paused.text()).trimEnd().endsWith("data: [DONE]")).toBe(true);
    const broken = await fetch(`${origin.url}/stream-break/v1/chat/completions`, { method: "POST", body: chatBody });
    await expect(broken.text()).rejects.toThrow();
  });

  it("closes the connection for /close, and nothing listens at the down URL", async () => {
    await expect(fetch(`${origin.url}/close/v1/models`)).rejects.toThrow();
    await expect(fetch(`${await unusedLoopbackUrl()}/v1/models`)).rejects.toThrow();
  });
});
