import { describe, expect, it } from "vitest";
import { forwardHeaders, joinUrl, outboundVerdict, responseHeaders } from "../../../worker/origin/forward";
import { checkOutboundUrl } from "../../../worker/auth/outbound-url";

describe("forwardHeaders precedence", () => {
  it("extra headers replace client headers of the same name, whatever the case", () => {
    const h = new Headers(forwardHeaders(new Headers({ "x-team": "client", "X-Keep": "1", "accept-encoding": "br" }), { "X-Team": "origin", "x-request-id": "r1" }));
    expect(h.get("x-team")).toBe("origin");
    expect(h.get("x-keep")).toBe("1");
    expect(h.get("accept-encoding")).toBe("identity");
    expect(h.get("x-request-id")).toBe("r1");
  });

  it("an origin may set accept-encoding itself, and a __proto__ header is a header like any other", () => {
    const h = new Headers(forwardHeaders(new Headers([["__proto__", "x"]]), { "accept-encoding": "gzip" }));
    expect(h.get("accept-encoding")).toBe("gzip");
    expect(h.get("__proto__")).toBe("x");
  });

  it("without a Connection header nothing extra is dropped; with one, the names it lists are", () => {
    expect([...new Headers(forwardHeaders(new Headers({ "x-a": "1" }), {})).keys()].sort()).toEqual(["accept-encoding", "x-a"]);
    expect([...new Headers(forwardHeaders(new Headers({ connection: " X-A ,x-b", "x-a": "1", "x-b": "2", "x-c": "3" }), {})).keys()].sort()).toEqual(["accept-encoding", "x-c"]);
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

describe("header records (what fetch and Response are given)", () => {
  // The definitions before the records: Headers objects filled with set().
  const HOP = ["connection", "keep-alive", "proxy-connection", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authorization", "proxy-authenticate", "host", "content-length", "authorization", "x-api-key", "cookie", "accept-encoding", "expect", "inference-header-content-length"];
  const DROP = ["connection", "keep-alive", "transfer-encoding", "te", "trailer", "upgrade", "proxy-authenticate", "content-length", "content-encoding", "set-cookie", "server", "x-powered-by", "via", "alt-svc", "location", "content-location", "x-request-id"];
  function plainForward(client: Headers, extra: Record<string, string>): Headers {
    const out = new Headers();
    const listed = (client.get("connection") ?? "").split(",").map((s) => s.trim().toLowerCase());
    client.forEach((value, name) => {
      const n = name.toLowerCase();
      if (HOP.includes(n) || listed.includes(n) || n.startsWith("x-warden-") || n.startsWith("cf-") || n === "x-forwarded-for" || n === "x-real-ip") return;
      out.set(n, value);
    });
    out.set("accept-encoding", "identity");
    for (const [name, value] of Object.entries(extra)) out.set(name, value);
    return out;
  }
  function plainResponse(origin: Headers, lease: Record<string, string>, receipt: string | null): Headers {
    const out = new Headers();
    origin.forEach((value, name) => {
      if (!DROP.includes(name) && !name.startsWith("x-warden-")) out.set(name, value);
    });
    for (const [k, v] of Object.entries(lease)) out.set(k, v);
    if (receipt) out.set("x-warden-receipt", receipt);
    return out;
  }
  const names = ["Accept", "content-type", "X-Team", "x-team", "connection", "Keep-Alive", "x-warden-tenant", "CF-Ray", "x-forwarded-for", "x-real-ip", "user-agent", "x-b", "authorization", "set-cookie", "server", "Date", "x-ratelimit-remaining", "__proto__", "constructor", "toString"];
  let seed = 11;
  const pick = () => names[(seed = (seed * 1103515245 + 12345) % 2 ** 31) % names.length]!;

  it("forward: the same headers reach the origin as with a Headers object filled by set()", async () => {
    for (let t = 0; t < 200; t++) {
      const client = new Headers();
      for (let i = 0; i < 8; i++) {
        const name = pick();
        client.append(name, name === "connection" ? `${pick()}, ${pick()}` : ` v${t}-${i} `);
      }
      const extra: Record<string, string> = { "x-request-id": `r${t}`, "x-warden-tenant": "t", [pick()]: "origin", [pick()]: "origin2" };
      const want = [...plainForward(client, extra)];
      expect([...new Headers(forwardHeaders(client, extra))]).toEqual(want);
      // As fetch takes it: the request's headers.
      expect([...new Request("https://origin.example/v1", { headers: forwardHeaders(client, extra) }).headers]).toEqual(want);
    }
  });

  it("response: the same headers reach the client as with a Headers object filled by set(), lease headers and receipt over the origin's", () => {
    for (let t = 0; t < 200; t++) {
      const origin = new Headers();
      for (let i = 0; i < 6; i++) origin.append(pick(), `o${t}-${i}`);
      const lease: Record<string, string> = { [pick()]: `l${t}`, "X-RateLimit-Remaining": "7" };
      const out = responseHeaders(origin);
      for (const [k, v] of Object.entries(lease)) out[k.toLowerCase()] = v;
      if (t % 2) out["x-warden-receipt"] = `r${t}`;
      const want = new Response("{}", { status: 200, headers: plainResponse(origin, lease, t % 2 ? `r${t}` : null) });
      expect([...new Response("{}", { status: 200, headers: out }).headers]).toEqual([...want.headers]);
    }
  });
});
