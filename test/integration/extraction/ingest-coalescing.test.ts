import { describe, expect, it } from "vitest";
import { env, runInDurableObject } from "cloudflare:test";
import { bearer, call, createTenant, issueKey, json } from "../../helpers/warden";
import { FORWARD_INTERVAL_MS, FORWARD_ROWS } from "../../../durable-objects/signals";
import { principalSignalsName, tenantSignalsName } from "../../../worker/clients/signals";
import { generateDigits } from "../../../scripts/demo-origin/digits.mjs";
import { naturalInputs, project } from "../../unit/extraction/synthetic";
import { flushSignals, principalStatusOrNull, tenantStatus } from "../../helpers/object-hooks";
import { observeOne } from "../../helpers/observe-one";

const INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
const digits = { name: "digits", protocol: "oip", origins: [{ url: env.ORIGIN_URL }], inputs: [INPUT], outputs: [{ name: "probabilities", kind: "probabilities" }] };
const infer = (id: string, auth: Record<string, string>, rows: number[][]) =>
  call(`/t/${id}/v2/models/digits/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] }, auth));
const stub = (name: string) => env.SIGNALS.get(env.SIGNALS.idFromName(name));
const tenantOf = (tenant: string) => tenantStatus(stub(tenantSignalsName(tenant)));
async function until(done: () => Promise<boolean>, deadlineMs = 30_000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!(await done())) {
    if (Date.now() > end) throw new Error("condition not met before the deadline");
    await new Promise((r) => setTimeout(r, 5));
  }
}
const POLICY = { mode: "on" as const, degrade_at: 0.6, block_at: 0.9, cooldown_s: 900 };

describe("tenant-wide extraction view: forwarded observations are coalesced (issue 11)", () => {
  it("delivers through the Worker, after flush, every row one ingest per request would have, at most one ingest per interval", async () => {
    const rows = generateDigits({ n: 30, seed: 11 }).X;
    // Paced: flush after every request, so each request is one ingest (flush does not wait for the interval).
    const paced = await createTenant({ models: [digits] });
    const slow = await issueKey(paced.id, { name: "paced" });
    const principal = stub(principalSignalsName(paced.id, `key:${slow.id}`));
    for (const [i, row] of rows.entries()) {
      expect((await infer(paced.id, bearer(slow.key), [row])).status).toBe(200);
      // The observation travels after the answer (waitUntil): flush only once it has arrived, or
      // two requests' rows would go in one ingest.
      await until(async () => (await principalStatusOrNull(principal))?.queries === i + 1);
      await flushSignals(principal);
    }
    const p = await tenantOf(paced.id);
    expect(p.ingests).toBe(rows.length);

    // Unpaced: the same rows in the same order, no flush in between; the principal coalesces what
    // arrives within an interval (how much depends on the machine's speed, the bound below does not).
    const { id } = await createTenant({ models: [digits] });
    const key = await issueKey(id, { name: "busy" });
    const started = Date.now();
    for (const row of rows) expect((await infer(id, bearer(key.key), [row])).status).toBe(200);
    const busy = stub(principalSignalsName(id, `key:${key.id}`));
    await until(async () => (await principalStatusOrNull(busy))?.queries === rows.length);
    const elapsed = Date.now() - started;
    await flushSignals(busy);
    const t = await tenantOf(id);
    // One ingest may start at once and one for flush; every other waits FORWARD_INTERVAL_MS after
    // the previous, or for FORWARD_ROWS rows pending (one row per request here).
    expect(t.ingests).toBeLessThanOrEqual(2 + Math.floor(elapsed / FORWARD_INTERVAL_MS) + Math.floor(rows.length / FORWARD_ROWS));
    expect(t.remembered).toBeGreaterThan(0);
    expect(t.remembered).toBe(p.remembered);
  });

  it("sends at most one ingest per interval to a principal observing one request at a time, and flush sends the rest at once", async () => {
    const tenant = `coalesce-${Math.random().toString(36).slice(2, 8)}`;
    const principal = "key:steady";
    const s = stub(principalSignalsName(tenant, principal));
    const vectors = project(naturalInputs(40, 3));
    const started = Date.now();
    for (const v of vectors) await observeOne(s, { tenant, principal, features: [v], policy: POLICY });
    const elapsed = Date.now() - started;
    await flushSignals(s);
    const t = await tenantOf(tenant);
    expect(t.ingests).toBeLessThanOrEqual(2 + Math.floor(elapsed / FORWARD_INTERVAL_MS) + Math.floor(vectors.length / FORWARD_ROWS));
    // Every row arrived: the tenant saw each of them once (its track counts rows, not calls).
    expect(t.remembered).toBe(vectors.length);
  });
  it("flags as many uniform rows in a coalesced call as one ingest per request would", async () => {
    const rows = project(naturalInputs(8, 21));
    const requests = [
      { features: rows.slice(0, 1) }, // the first after a quiet spell: sent at once
      { features: rows.slice(1, 5), uniform: [true, true, true, true] }, // an OIP request, every row uniform over its range
      { features: rows.slice(5, 8) }, // rows without uniform evidence (a text request): none of them is uniform
    ];
    const principal = "key:mixed";
    async function flagged(paced: boolean): Promise<number> {
      const tenant = `uniform-${paced ? "paced" : "busy"}-${Math.random().toString(36).slice(2, 8)}`;
      const s = stub(principalSignalsName(tenant, principal));
      for (const r of requests) {
        await observeOne(s, { tenant, principal, policy: POLICY, ...r });
        if (paced) await flushSignals(s);
      }
      await flushSignals(s);
      const t = stub(tenantSignalsName(tenant));
      await t.principals(); // the tenant object writes what waits behind
      return runInDurableObject(t, (_o, state) => {
        const row = state.storage.sql.exec<{ synthetic: ArrayBuffer; synthetic_count: number }>("SELECT synthetic, synthetic_count FROM sig_tracks WHERE principal = ?", principal).one();
        const ring = new Float32Array(row.synthetic);
        let n = 0;
        for (let i = 0; i < Math.min(row.synthetic_count, ring.length); i++) n += ring[i]!;
        return n;
      });
    }
    expect(await flagged(true)).toBe(4);
    // Coalesced (the last two wait for the interval): the OIP request's share of uniform rows used to
    // be applied to every row of the call, the text rows too (7 flagged instead of 4).
    expect(await flagged(false)).toBe(4);
  });
});
