import { describe, expect, it } from "vitest";
import { PolicySchema } from "../../../worker/config/policy";
import { defaultReserveTokens, limitSet, principalLimits, refusalCode, tenantLimits } from "../../../worker/budget/limits";
import { resourcesFor, unitsFor, windowEnd } from "../../../worker/budget/resources";
import { windowsAt } from "../../../worker/budget/windows";

const policy = PolicySchema.parse({
  limits: { requests_per_minute: 600, burst: 60, tokens_per_day: 1000, default_reserve_tokens: 256, per_subject: { requests_per_minute: 60, default_reserve_tokens: 64 } },
});

describe("limit scopes", () => {
  it("splits the policy into the tenant scope and each principal's own scope", () => {
    expect(tenantLimits(policy)).toEqual({ requests_per_minute: 600, burst: 60, tokens_per_day: 1000, default_reserve_tokens: 256 });
    expect(principalLimits(policy, { kind: "sub" })).toEqual({ requests_per_minute: 60, default_reserve_tokens: 64 });
    expect(principalLimits(policy, { kind: "key", keyLimits: { max_concurrency: 2 } })).toEqual({ max_concurrency: 2 });
    expect(principalLimits(policy, { kind: "key" })).toBeUndefined();
  });

  it("takes the default reservation from the principal, then the tenant, then 1024", () => {
    expect(defaultReserveTokens(policy, { kind: "sub" })).toBe(64);
    expect(defaultReserveTokens(policy, { kind: "key" })).toBe(256);
    expect(defaultReserveTokens(PolicySchema.parse({}), { kind: "key" })).toBe(1024);
  });

  it("maps rates and concurrency to rate_limited, quotas to quota_exceeded", () => {
    expect(["rpm", "concurrency", "requests_day", "tokens_day", "tokens_month"].map((k) => refusalCode(k as never))).toEqual([
      "rate_limited",
      "rate_limited",
      "quota_exceeded",
      "quota_exceeded",
      "quota_exceeded",
    ]);
  });
});

describe("tenant resources", () => {
  const t = Date.parse("2026-05-31T23:00:00Z");
  const w = windowsAt(t);
  const set = limitSet({ max_concurrency: 3, requests_per_minute: 60, requests_per_day: 10, tokens_per_day: 100, tokens_per_month: 1000 });

  it("names one resource per limit, calendar ones with their window", () => {
    expect(resourcesFor(set, w)).toEqual(["conc", "rpm", "rpd:2026-05-31", "tpd:2026-05-31", "tpm:2026-05"]);
    expect(resourcesFor(limitSet({}), w)).toEqual([]);
  });

  it("takes one unit of each and the reservation of tokens; none of tokens when nothing is reserved", () => {
    expect(Object.fromEntries(unitsFor(set, w, 40))).toEqual({ conc: 1, rpm: 1, "rpd:2026-05-31": 1, "tpd:2026-05-31": 40, "tpm:2026-05": 40 });
    expect([...unitsFor(set, w, 0).keys()]).toEqual(["conc", "rpm", "rpd:2026-05-31"]);
  });

  it("ends day and month windows at the next UTC boundary", () => {
    expect(windowEnd("tpd:2026-05-31", t)).toBe(Date.parse("2026-06-01T00:00:00Z"));
    expect(windowEnd("tpm:2026-05", t)).toBe(Date.parse("2026-06-01T00:00:00Z"));
    expect(windowEnd("conc", t)).toBeUndefined();
  });
});
