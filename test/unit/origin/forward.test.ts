import { describe, expect, it } from "vitest";
import { forwardHeaders, joinUrl, originOrder, responseHeaders } from "../../../worker/origin/forward";

const o = (url: string, weight: number) => ({ url, weight, headers: {} });

describe("forwarding helpers", () => {
  it("joins an origin URL with a path prefix and the client's path and query", () => {
    expect(joinUrl("https://gpu.example", "/v1/chat/completions")).toBe("https://gpu.example/v1/chat/completions");
    expect(joinUrl("https://gpu.example/api/", "/v1/models?x=1")).toBe("https://gpu.example/api/v1/models?x=1");
  });

  it("orders origins by weight, puts weight-0 standbys last, and picks in proportion to weight", () => {
    const origins = [o("a", 3), o("b", 1), o("standby", 0)];
    const counts: Record<string, number> = { a: 0, b: 0 };
    let seed = 1;
    const rng = () => ((seed = (seed * 16807) % 2147483647) / 2147483647);
    for (let i = 0; i < 4000; i++) {
      const order = originOrder(origins, rng).map((x) => x.url);
      expect(order).toHaveLength(3);
      expect(order[2]).toBe("standby");
      counts[order[0]!]!++;
    }
    expect(counts.a! / 4000).toBeGreaterThan(0.7);
    expect(counts.a! / 4000).toBeLessThan(0.8);
  });

  it("strips credentials, hop-by-hop headers, headers named in Connection and x-warden-*", () => {
    const h = new Headers(
      forwardHeaders(
        new Headers({ authorization: "Bearer k", "x-api-key": "k", connection: "close, x-secret", "x-secret": "1", "x-warden-principal": "spoof", te: "trailers", "content-type": "application/json", "cf-connecting-ip": "1.2.3.4" }),
        { "x-request-id": "r1" },
      ),
    );
    expect([...h.keys()].sort()).toEqual(["accept-encoding", "content-type", "x-request-id"]);
    expect(h.get("accept-encoding")).toBe("identity");
  });

  it("drops cookies, server identity and location from origin answers", () => {
    const h = new Headers(responseHeaders(new Headers({ "set-cookie": "a=b", server: "uvicorn", location: "http://10.0.0.1/x", "content-type": "application/json", "x-warden-receipt": "forged" })));
    expect([...h.keys()]).toEqual(["content-type"]);
  });
});
