import { describe, expect, it } from "vitest";
import { runtimeNoiseFilter } from "../../scripts/lib/runtime-noise.mjs";

/**
 * What `wrangler dev` printed (captured here, workerd 2026-04-26) for one request to an origin
 * whose host name does not resolve, and what `npm start` shows of it.
 */
const E = "\x1b[31m✘ \x1b[41;31m[\x1b[41;97mERROR\x1b[41;31m]\x1b[0m \x1b[1m";
const CAUSE = `${E}e = kj/async-io-unix.c++:1298: failed: DNS lookup failed.; params.host = no-such-host.warden-test.example; params.service = ; gai_strerror(status) = Name or service not known\x1b[0m`;
const STACK = "  stack: /work/node_modules/@cloudflare/workerd-linux-64/bin/workerd@51f50be /work/node_modules/@cloudflare/workerd-linux-64/bin/workerd@51f5bb0";
const WARDEN = '{"event":"forward.origin_unreachable","request_id":"180e7742","attempt":0,"cause":"dns_or_tls","timeout":false,"error":"Error","message":"internal error; reference = 8q9v11k6t8pme8df6i7ugvmu"}';
const UNCAUGHT = `${E}Uncaught Error: internal error; reference = 8ifc02eeunoca70kf8jsvttu \x1b[0m`;
const REFUSED = '{"event":"request.refused","request_id":"180e7742","code":"no_origin"}';
const ACCESS = "[wrangler:info] POST /t/exp/v1/chat/completions 503 Service Unavailable (32ms)";

describe("runtimeNoiseFilter", () => {
  it("keeps one cause line and Warden's own lines; drops repeats, code addresses, the Uncaught report and blank lines", () => {
    const raw = [CAUSE, STACK, "", CAUSE, STACK, "", "", CAUSE, STACK, "", WARDEN, UNCAUGHT, REFUSED, "", "", ACCESS, ""].join("\n");
    const filter = runtimeNoiseFilter();
    // Chunks cut anywhere, even inside a line.
    let out = "";
    for (let i = 0; i < raw.length; i += 37) out += filter(raw.slice(i, i + 37));
    expect(out).toBe([CAUSE, WARDEN, REFUSED, ACCESS, ""].join("\n"));
  });

  it("shows the cause again for the next failing request, and passes other errors through", () => {
    const filter = runtimeNoiseFilter();
    const other = `${E}Uncaught TypeError: x is not a function\x1b[0m`;
    const out = filter([CAUSE, STACK, ACCESS, CAUSE, STACK, other, ""].join("\n"));
    expect(out).toBe([CAUSE, ACCESS, CAUSE, other, ""].join("\n"));
  });
});
