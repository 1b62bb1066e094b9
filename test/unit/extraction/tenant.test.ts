import { describe, expect, it } from "vitest";
import { TenantSignals, TENANT_MEMORY, TENANT_PRINCIPALS, nearShare } from "../../../worker/extraction/tenant";
import { PrincipalSignals, NO_TENANT_VIEW } from "../../../worker/extraction/principal";
import { extractionInputs, naturalInputs, project } from "./synthetic";

const T = Date.UTC(2026, 0, 1, 12);

/** An established tenant: `n` principals with 150 natural queries each. */
function established(n = 5): TenantSignals {
  const t = new TenantSignals();
  for (let i = 0; i < n; i++) t.ingest(`key:benign-${i}`, project(naturalInputs(150, 100 + i)), T);
  return t;
}

describe("TenantSignals", () => {
  it("takes its reference spacing from established principals only", () => {
    const t = new TenantSignals();
    t.ingest("key:a", project(naturalInputs(150, 1)), T);
    t.ingest("key:b", project(naturalInputs(150, 2)), T);
    expect(t.references().d1).toBeNull();
    t.ingest("key:c", project(naturalInputs(150, 3)), T);
    const d1 = t.references().d1;
    expect(d1).toBeGreaterThan(0);
    // Forty fresh accounts with a few queries each do not move it.
    for (let i = 0; i < 40; i++) t.ingest(`key:fresh-${i}`, project(extractionInputs(20, 50 + i)).slice(10), T);
    expect(t.references().d1).toBe(d1);
  });

  it("raises every account of an extraction spread over many keys, and no benign one", () => {
    const t = established();
    const attack = project(extractionInputs(1200, 9));
    const keys = Array.from({ length: 20 }, (_, i) => `key:attacker-${i}`);
    const own = keys.map(() => new PrincipalSignals());
    let benignMax = 0;
    const benign = project(naturalInputs(400, 200));
    for (let start = 0, turn = 0; start < attack.length; start += 20, turn++) {
      const k = turn % keys.length;
      const batch = attack.slice(start, start + 20);
      own[k]!.observe(batch, batch.length, T, null);
      t.ingest(keys[k]!, batch, T);
      const b = benign.slice(turn * 6, turn * 6 + 6);
      if (b.length) t.ingest("key:benign-0", b, T);
      benignMax = Math.max(benignMax, t.viewFor("key:benign-0").cross);
    }
    // 60 queries per key: too few for a key's own windows to say anything.
    for (const p of own) expect(p.assess(T, NO_TENANT_VIEW).own).toBe(0);
    const crosses = keys.map((k) => t.viewFor(k).cross);
    expect(Math.min(...crosses)).toBeGreaterThanOrEqual(0.6);
    expect(benignMax).toBeLessThan(0.6);
  });

  it("is bounded in queries and principals", () => {
    const t = new TenantSignals();
    const out = t.ingest("key:a", project(naturalInputs(TENANT_MEMORY + 10, 4)), T);
    expect(Math.max(...out.slots)).toBe(TENANT_MEMORY - 1);
    let dropped = 0;
    for (let i = 0; i < TENANT_PRINCIPALS + 3; i++) dropped += t.ingest(`key:p${i}`, [], T).dropped.length;
    expect(t.tracks.size).toBe(TENANT_PRINCIPALS);
    expect(dropped).toBe(4);
  });

  it("counts near queries against the reference", () => {
    expect(nearShare([0.1, 0.5, 1, 2], 1)).toBe(0.5);
    expect(nearShare([0.1], null)).toBeNull();
  });
});
