import { describe, expect, it } from "vitest";
import { MetricsBatch } from "../../../worker/metrics/batch";
import { increments, type CounterRow, type Observation } from "../../../worker/metrics/observation";

/** The batch must write exactly what one `increments` per request would have added up to. */
function summed(observations: Observation[]): Map<string, number> {
  const out = new Map<string, number>();
  for (const r of observations.flatMap(increments)) out.set(`${r.name} ${r.labels}`, (out.get(`${r.name} ${r.labels}`) ?? 0) + r.value);
  return out;
}
const asMap = (rows: CounterRow[]) => new Map(rows.map((r) => [`${r.name} ${r.labels}`, r.value]));

describe("MetricsBatch", () => {
  it("sums observations into the same counter rows as one increments() per request", () => {
    const obs: Observation[] = [];
    for (let i = 0; i < 50; i++) {
      obs.push({ tenant: i % 3 ? "a" : "b", model: "chat", route: "chat", status: i % 7 ? 200 : 429, code: i % 7 ? "ok" : "rate_limited", durationMs: (i * 37) % 3000, ...(i % 2 ? { screen: "pass" } : {}) });
    }
    obs.push({ tenant: "", model: "", route: "other", status: 401, code: "unauthorized", durationMs: 70_000 });
    const batch = new MetricsBatch();
    for (const o of obs) batch.add(o);
    expect(batch.pending).toBe(obs.length);
    const taken = batch.take();
    expect([...taken.keys()].sort()).toEqual(["", "a", "b"]);
    const all = [...taken.values()].flat();
    const want = summed(obs);
    const got = asMap(all);
    expect(got.size).toBe(want.size);
    for (const [k, v] of want) expect(got.get(k), k).toBeCloseTo(v, 9);
    expect(batch.pending).toBe(0);
    expect(batch.take().size).toBe(0);
  });

  it("drops a deleted tenant's pending counters only", () => {
    const batch = new MetricsBatch();
    batch.add({ tenant: "gone", model: "m", route: "chat", status: 200, code: "ok", durationMs: 1 });
    batch.add({ tenant: "kept", model: "m", route: "chat", status: 200, code: "ok", durationMs: 1 });
    batch.drop("gone");
    expect(batch.pending).toBe(1);
    expect([...batch.take().keys()]).toEqual(["kept"]);
  });
});
