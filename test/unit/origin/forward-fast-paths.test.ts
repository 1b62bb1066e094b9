import { describe, expect, it } from "vitest";
import { forwardHeaders, joinUrl, outboundVerdict } from "../../../worker/origin/forward";
import { checkOutboundUrl } from "../../../worker/auth/outbound-url";

describe("forwardHeaders precedence", () => {
  it("extra headers replace client headers of the same name, whatever the case", () => {
    const h = forwardHeaders(new Headers({ "x-team": "client", "X-Keep": "1", "accept-encoding": "br" }), { "X-Team": "origin", "x-request-id": "r1" });
    expect(h.get("x-team")).toBe("origin");
    expect(h.get("x-keep")).toBe("1");
    expect(h.get("accept-encoding")).toBe("identity");
    expect(h.get("x-request-id")).toBe("r1");
  });

  it("an origin may set accept-encoding itself, and a __proto__ header is a header like any other", () => {
    const h = forwardHeaders(new Headers([["__proto__", "x"]]), { "accept-encoding": "gzip" });
    expect(h.get("accept-encoding")).toBe("gzip");
    expect(h.get("__proto__")).toBe("x");
  });

  it("without a Connection header nothing extra is dropped; with one, the names it lists are", () => {
    expect([...forwardHeaders(new Headers({ "x-a": "1" }), {}).keys()].sort()).toEqual(["accept-encoding", "x-a"]);
    expect([...forwardHeaders(new Headers({ connection: " X-A ,x-b", "x-a": "1", "x-b": "2", "x-c": "3" }), {}).keys()].sort()).toEqual(["accept-encoding", "x-c"]);
  });
});

describe("outboundVerdict", () => {
  it("answers what checkOutboundUrl answers, per allowLoopback, on repeated calls", () => {
    for (const url of ["http://127.0.0.1:8787/v1", "https://api.example.com/v1", "https://10.0.0.1/", "not a url", "http://api.example.com/"]) {
      for (const loop of [false, true, false, true]) expect(outboundVerdict(url, loop)).toEqual(checkOutboundUrl(url, loop));
    }
  });
});

describe("joinUrl (kept per isolate)", () => {
  // The join written out, as before the memo.
  function plainJoin(base: string, path: string): string {
    const b = new URL(base);
    const [p = "", q] = path.split("?", 2);
    b.pathname = `${b.pathname.replace(/\/+$/, "")}${p.startsWith("/") ? p : `/${p}`}`;
    b.search = q ? `?${q}` : "";
    return b.toString();
  }

  it("answers the join of its own base and path on repeated calls, where base + path spell the same string", () => {
    // Pairs whose concatenations coincide ("https://a.example/v" + "1/x" and "https://a.example/v1" + "/x", …).
    const pairs: Array<[string, string]> = [
      ["https://a.example/v", "1/x"],
      ["https://a.example/v1", "/x"],
      ["https://a.example/v1/", "x"],
      ["https://a.example", "/v1/x?b=2"],
      ["https://a.example/", "v1/x?b=2"],
      ["http://127.0.0.1:8787/api/", "/v1/chat/completions"],
      ["https://a.example/api", `/v1/models?${"q".repeat(400)}=1`],
    ];
    for (let round = 0; round < 3; round++) for (const [base, path] of round === 1 ? [...pairs].reverse() : pairs) expect(joinUrl(base, path)).toBe(plainJoin(base, path));
  });
});
