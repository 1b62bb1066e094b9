import { describe, expect, it } from "vitest";
import { HOUR_MS, bucketHistory, historyIncrements, historyRange, type HistoryRow } from "../../worker/metrics/history";
import { increments, labelKey, usageIncrements } from "../../worker/metrics/observation";

describe("usage history buckets", () => {
  it("takes requests, refusals by code, tokens and µUSD from a batch's counter rows, not admin calls", () => {
    const rows = [
      ...increments({ tenant: "a", model: "m", principal: "key:k", route: "chat", status: 200, code: "ok", durationMs: 5 }),
      ...increments({ tenant: "a", model: "m", principal: "key:k", route: "chat", status: 429, code: "rate_limited", reason: "principal_rpm", durationMs: 1 }),
      ...increments({ tenant: "a", model: "", route: "admin", status: 200, code: "ok", durationMs: 1 }),
      ...usageIncrements({ tenant: "a", model: "m", principal: "key:k", input: 7, output: 5, unattributed: 0, costMicro: 1234 }),
      { name: "warden_guard_total", labels: labelKey({ tenant: "a" }), value: 3 },
    ];
    expect(historyIncrements(rows).sort((x, y) => x.metric.localeCompare(y.metric))).toEqual([
      { metric: "cost", code: "", value: 1234 },
      { metric: "refusals", code: "rate_limited", value: 1 },
      { metric: "requests", code: "", value: 2 },
      { metric: "tokens", code: "", value: 12 },
    ]);
  });

  it("sums hours into UTC days, fills empty buckets, and leaves out rows outside the range", () => {
    const day0 = Date.parse("2026-03-01T00:00:00Z");
    const rows: HistoryRow[] = [
      { hour: day0 - HOUR_MS, metric: "requests", code: "", value: 100 },
      { hour: day0, metric: "requests", code: "", value: 1 },
      { hour: day0 + 23 * HOUR_MS, metric: "requests", code: "", value: 2 },
      { hour: day0 + 23 * HOUR_MS, metric: "cost", code: "", value: 1_500_000 },
      { hour: day0 + 24 * HOUR_MS, metric: "refusals", code: "not_found", value: 4 },
    ];
    const range = historyRange({ bucket: "day", from: "2026-03-01T12:00:00Z", to: "2026-03-03T01:00:00Z" }, 0);
    expect(bucketHistory(rows, range)).toEqual([
      { start: "2026-03-01T00:00:00.000Z", requests: 3, tokens: 0, cost: 1.5, refusals: {} },
      { start: "2026-03-02T00:00:00.000Z", requests: 0, tokens: 0, cost: 0, refusals: { not_found: 4 } },
      { start: "2026-03-03T00:00:00.000Z", requests: 0, tokens: 0, cost: 0, refusals: {} },
    ]);
  });
});
