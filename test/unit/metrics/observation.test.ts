import { describe, expect, it } from "vitest";
import { increments, refusalReason, usageIncrements } from "../../../worker/metrics/observation";
import { exposition } from "../../../worker/metrics/exposition";
import { originFailureCause, originStatusCause } from "../../../worker/log-origin";

describe("metric rows", () => {
  it("turns budget and screening reasons into a closed set of labels, never the free text", () => {
    expect(refusalReason("quota_exceeded", "budget: tenant cost_month (retry after 12s)")).toBe("tenant_cost_month");
    expect(refusalReason("rate_limited", "budget: principal rpm (retry after 1s)")).toBe("principal_rpm");
    expect(refusalReason("input_rejected", "screening score 0.97")).toBe("screening");
    expect(refusalReason("input_rejected", "anomaly score 12")).toBe("anomaly");
    expect(refusalReason("quota_exceeded", "budget: principal made_up (x)")).toBe("quota_exceeded");
    expect(refusalReason("unauthorized", "bad key sk-123")).toBe("unauthorized");
  });

  it("records screening scores as a histogram, and refusals apart from origin failures", () => {
    const base = { tenant: "t", model: "m", principal: "key:a", route: "chat", durationMs: 12 };
    const blocked = increments({ ...base, status: 403, code: "input_rejected", reason: "screening", screen: "block", screenScore: 0.97 });
    const names = blocked.map((r) => r.name);
    expect(names).toContain("warden_refusals_total");
    expect(blocked.filter((r) => r.name === "warden_screening_score_bucket" && r.value === 1).map((r) => JSON.parse(r.labels).find(([k]: string[]) => k === "le")[1])).toEqual(["0.99", "1", "+Inf"]);
    const failed = increments({ ...base, status: 502, code: "origin_error", originMs: 40 });
    expect(failed.map((r) => r.name)).not.toContain("warden_refusals_total");
    expect(failed.map((r) => r.name)).toContain("warden_origin_duration_seconds_count");
  });

  it("shows cost in USD from integer µUSD sums", () => {
    const rows = [
      ...usageIncrements({ tenant: "t", model: "m", principal: "key:a", input: 10, output: 5, unattributed: 0, costMicro: 100_001 }),
      ...usageIncrements({ tenant: "t", model: "m", principal: "key:a", input: 1, output: 0, unattributed: 0, costMicro: 2 }),
    ];
    const text = exposition(rows);
    expect(text).toContain('warden_cost_usd_total{model="m",principal="key:a",tenant="t"} 0.100003');
    expect(text).toContain('warden_tokens_total{model="m",principal="key:a",tenant="t",type="input"} 11');
  });
});

describe("origin failure causes", () => {
  it("names the cause from what the runtime says, the URL and Cloudflare's 52x answers", () => {
    expect(originFailureCause(new Error("x"), "http://a.example", true)).toBe("timeout");
    expect(originFailureCause(new Error("Network connection lost."), "http://127.0.0.1:1", false)).toBe("connect");
    expect(originFailureCause(new Error("connect(): Connection refused"), "http://a.example", false)).toBe("connect");
    expect(originFailureCause(new Error("DNS lookup failed."), "http://a.example", false)).toBe("dns");
    expect(originFailureCause(new Error("internal error; reference = abc"), "http://no-such.invalid", false)).toBe("dns");
    expect(originFailureCause(new Error("internal error; reference = abc"), "https://127.0.0.1:8443", false)).toBe("tls");
    expect(originFailureCause(new Error("internal error; reference = abc"), "https://a.example", false)).toBe("dns_or_tls");
    expect(originFailureCause(new Error("stream disconnected prematurely"), "http://a.example", false)).toBe("reset");
    expect([530, 521, 522, 525, 520, 500].map(originStatusCause)).toEqual(["dns", "connect", "timeout", "tls", "reset", undefined]);
  });
});
