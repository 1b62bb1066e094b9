import { describe, expect, it } from "vitest";
import { MetricsBatch } from "../../../worker/metrics/batch";
import { increments, usageIncrements, type CounterRow, type Observation } from "../../../worker/metrics/observation";

/** The batch as it was before histograms were summed per series: every row of every observation added in order. */
function oldBatch(calls: Array<Observation | [string, CounterRow[]]>): Map<string, Map<string, number>> {
  const out = new Map<string, Map<string, number>>();
  for (const call of calls) {
    const [tenant, rows] = Array.isArray(call) ? call : [call.tenant, increments(call)];
    let mine = out.get(tenant);
    if (!mine) out.set(tenant, (mine = new Map()));
    for (const r of rows) {
      const key = `${r.name} ${r.labels}`;
      const had = mine.get(key);
      mine.set(key, had === undefined ? r.value : had + r.value);
    }
  }
  return out;
}

function run(calls: Array<Observation | [string, CounterRow[]]>): Map<string, Map<string, number>> {
  const batch = new MetricsBatch();
  for (const call of calls) {
    if (Array.isArray(call)) batch.addRows(call[0], call[1]);
    else batch.add(call);
  }
  const out = new Map<string, Map<string, number>>();
  for (const [tenant, rows] of batch.take()) {
    const mine = new Map<string, number>();
    for (const r of rows) {
      expect(mine.has(`${r.name} ${r.labels}`), "one row per series and labels").toBe(false);
      mine.set(`${r.name} ${r.labels}`, r.value);
    }
    out.set(tenant, mine);
  }
  return out;
}

let seed = 1;
const random = () => ((seed = (seed * 48271) % 2147483647) / 2147483647);

function observation(i: number, tenants: number): Observation {
  const ok = i % 9 !== 0;
  return {
    tenant: `t${i % tenants}`,
    model: i % 4 ? "chat" : "digits",
    principal: `key:k${i % 5}`,
    route: i % 4 ? "chat" : "infer",
    status: ok ? 200 : 403,
    code: ok ? "ok" : "input_rejected",
    ...(ok ? {} : { reason: "screening" }),
    durationMs: random() * 3000,
    ...(i % 3 ? { originMs: random() * 90 } : {}),
    ...(i % 2 ? { screen: ok ? "pass" : "block", screenScore: random() } : {}),
  };
}

describe("MetricsBatch histograms", () => {
  it("writes bit for bit the rows the row-by-row batch wrote: counts, float sums, every bucket", () => {
    const calls: Array<Observation | [string, CounterRow[]]> = [];
    for (let i = 0; i < 400; i++) {
      calls.push(observation(i, 3));
      if (i % 2) calls.push([`t${i % 3}`, usageIncrements({ tenant: `t${i % 3}`, model: "chat", principal: `key:k${i % 5}`, input: i, output: 3, unattributed: 0, costMicro: 17 * i })]);
    }
    expect(run(calls)).toEqual(oldBatch(calls));
  });

  it("stays exact when the per-isolate memo of series starts over in the middle of a batch", () => {
    // 0.1 + 0.2 + 0.3 in that order is 0.6000000000000001; a series summed in two parts (0.1, then
    // 0.2 + 0.3 under a rebuilt series) would write 0.6. More distinct series than the memo holds
    // (4096) come between the first observation and the others.
    const one = (model: string, durationMs: number): Observation => ({ tenant: "t", model, route: "chat", status: 200, code: "ok", durationMs });
    const calls: Observation[] = [one("x", 100)];
    for (let i = 0; i < 4200; i++) calls.push(one(`m${i}`, 1));
    calls.push(one("x", 200), one("x", 300));
    const got = run(calls);
    expect(got).toEqual(oldBatch(calls));
    expect([...got.get("t")!].find(([k]) => k.startsWith("warden_request_duration_seconds_sum") && k.includes('"x"'))?.[1]).toBe(0.1 + 0.2 + 0.3);
  });
});
