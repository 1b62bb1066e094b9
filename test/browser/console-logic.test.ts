/// <reference types="node" />
/**
 * The console's two pieces of logic that are not drawing: the merge patch an edit sends (a
 * removed key must become null, or RFC 7396 would keep it) and the reading of Prometheus text.
 */
import { describe, expect, it } from "vitest";
import { mergePatchFor } from "../../console/src/patch.js";
import { parseExposition, sumBy } from "../../console/src/metrics.js";

describe("mergePatchFor", () => {
  it("sends removed keys as null, changed ones as values, and leaves equal ones out", () => {
    const before = { name: "A", policy: { limits: { burst: 5, requests_per_minute: 60 }, screening: { mode: "off" } }, models: [{ name: "m" }] };
    const after = { name: "A", policy: { limits: { requests_per_minute: 100 }, screening: { mode: "off" } }, models: [{ name: "m" }, { name: "n" }] };
    expect(mergePatchFor(before, after)).toEqual({ policy: { limits: { burst: null, requests_per_minute: 100 } }, models: [{ name: "m" }, { name: "n" }] });
    expect(mergePatchFor(before, before)).toEqual({});
  });
});

describe("parseExposition", () => {
  it("reads labelled samples, escapes included, and sums them by a label for one tenant", () => {
    const text = [
      "# HELP warden_requests_total Requests.",
      "# TYPE warden_requests_total counter",
      'warden_requests_total{code="ok",model="m",route="chat",status="200",tenant="acme"} 7',
      'warden_requests_total{code="rate_limited",model="m",route="chat",status="429",tenant="acme"} 2',
      'warden_requests_total{code="rate_limited",model="n",route="chat",status="429",tenant="acme"} 1',
      'warden_requests_total{code="input_rejected",model="m",route="chat",status="403",tenant="other"} 4',
      'warden_requests_total{code="x",model="a\\"b\\\\c",route="chat",status="400",tenant="acme"} 1.5',
    ].join("\n");
    const samples = parseExposition(text);
    expect(samples).toHaveLength(5);
    expect(samples[4]!.labels.model).toBe('a"b\\c');
    expect(sumBy(samples, "warden_requests_total", "acme", "code", (l) => l.code !== "ok")).toEqual({ rate_limited: 3, x: 1.5 });
  });
});
