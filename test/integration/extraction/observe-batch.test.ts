import { describe, expect, it } from "vitest";
import { env, runInDurableObject } from "cloudflare:test";
import { admin, bearer, call, createTenant, eventually, issueKey, json } from "../../helpers/warden";
import { principalSignalsName, tenantSignalsName } from "../../../worker/clients/signals";
import { generateDigits } from "../../../scripts/demo-origin/digits.mjs";
import { flushSignals, principalStatusOrNull } from "../../helpers/object-hooks";
import { observeOne } from "../../helpers/observe-one";

/**
 * A principal's observations are coalesced per isolate (worker/extraction/observe-batch.ts, issue
 * 11): while one `observe` call to its SignalsObject is in flight, later ones queue and go as one
 * call. Through the Worker: a burst makes fewer calls than requests, loses nothing, and the object
 * ends exactly where one call per request leaves it; an escalation inside a batch is audited with
 * its own request's id.
 *
 * "In flight" is made deterministic by holding the principal's object (blockConcurrencyWhile, from
 * the test) while requests arrive: the first observation's call waits there, the rest queue.
 */
const INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
const DIGITS = { name: "digits", protocol: "oip", origins: [{ url: env.ORIGIN_URL }], inputs: [INPUT], outputs: [{ name: "probabilities", kind: "probabilities" }] };
/** Degrades early, never blocks: a blocked principal's later requests are refused before they are observed, in one run and not the other. */
const POLICY = { extraction: { mode: "on", degrade_at: 0.3, block_at: 1, cooldown_s: 900 } };
const stub = (name: string) => env.SIGNALS.get(env.SIGNALS.idFromName(name));
const infer = (id: string, key: string, rows: number[][]) =>
  call(`/t/${id}/v2/models/digits/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] }, bearer(key)));

async function answered(res: Promise<Response>): Promise<string> {
  const r = await res;
  expect(r.status).toBe(200);
  await r.arrayBuffer();
  return r.headers.get("x-request-id")!;
}

/**
 * A tenant with one key whose tenant-wide view is unreachable: that view is advisory, and its
 * replies land at timing-dependent points of a run, so with it both runs see the same (empty) view
 * and their scores must match exactly. The tenant object is bound to the principal role first,
 * so every `ingest` to it is refused (the principal object logs and goes on).
 */
async function principalWithoutView() {
  const { id } = await createTenant({ models: [DIGITS], policy: POLICY });
  await observeOne(stub(tenantSignalsName(id)), { tenant: id, principal: "view-unreachable", features: [], policy: { mode: "on", degrade_at: 0.3, block_at: 1, cooldown_s: 900 } });
  const key = await issueKey(id, { name: "burst" });
  return { id, key: key.key, object: principalSignalsName(id, `key:${key.id}`) };
}

/** Holds the object: every call to it waits until `release()` (a call it has started is not interrupted). */
function hold(object: string) {
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  let entered!: () => void;
  const holding = new Promise<void>((r) => (entered = r));
  const done = runInDurableObject(stub(object), (_, state) => state.blockConcurrencyWhile(async () => {
    entered();
    await gate;
  }));
  return { holding, release: async () => (release(), await done) };
}

const callsOf = async (object: string) => (await principalStatusOrNull(stub(object)))?.calls ?? 0;
const queriesOf = async (object: string) => (await principalStatusOrNull(stub(object)))?.queries ?? 0;

/** What the object holds, in memory and (after a flush) in storage: one-by-one and coalesced runs must agree on all of it. */
async function stateOf(object: string) {
  // The last answer's margins have no later observation to ride on: they come on their own (extraction/answers.ts).
  const s = await eventually(async () => {
    await flushSignals(stub(object));
    const status = (await principalStatusOrNull(stub(object)))!;
    const close = await runInDurableObject(stub(object), (_, state) => state.storage.sql.exec<{ count: number }>("SELECT count FROM sig_windows WHERE name = 'close'").toArray()[0]?.count ?? 0);
    expect(close).toBe(status.queries);
    return status;
  });
  const stored = await runInDurableObject(stub(object), (_, state) => {
    const sql = state.storage.sql;
    return {
      memory: sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sig_memory").one().n,
      windows: Object.fromEntries(sql.exec<{ name: string; count: number }>("SELECT name, count FROM sig_windows ORDER BY name").toArray().map((r) => [r.name, r.count])),
      buckets: sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sig_buckets").one().n,
      meta: Object.fromEntries(sql.exec<{ key: string; value: string }>("SELECT key, value FROM sig_meta WHERE key IN ('total', 'mem_count', 'score', 'sustained')").toArray().map((r) => [r.key, r.value])),
      state: JSON.parse(sql.exec<{ value: string }>("SELECT value FROM sig_meta WHERE key = 'standing'").one().value).state as string,
    };
  });
  return { score: s.score, state: s.state, queries: s.queries, remembered: s.remembered, signals: s.signals, stored };
}

type Audit = { items: Array<{ type: string; principal: string; detail: { request_id: string; to: string } }> };
const escalations = async (id: string) =>
  ((await (await admin(`/tenants/${id}/audit`)).json()) as Audit).items.filter((i) => i.type === "escalation").map((i) => ({ request: i.detail.request_id, to: i.detail.to }));

/** Natural digits, then rows uniform over the declared range: the uniform signal rises and the principal degrades part-way. */
function workload(): number[][][] {
  const natural = generateDigits({ n: 15, seed: 21 }).X as number[][];
  let x = 4242;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 4294967296);
  const uniformRow = () => Array.from({ length: 64 }, () => Math.round(next() * 1600) / 100);
  const requests: number[][][] = [];
  for (let i = 0; i < natural.length; i += 5) requests.push(natural.slice(i, i + 5));
  for (let i = 0; i < 8; i++) requests.push(Array.from({ length: 8 }, uniformRow));
  return requests;
}

describe("a principal's observations coalesced per isolate", () => {
  it("sends a concurrent burst in fewer calls than requests and loses no observation", async () => {
    const { id, key, object } = await principalWithoutView();
    const rows = generateDigits({ n: 16, seed: 3 }).X as number[][];
    await answered(infer(id, key, [rows[0]!]));
    await eventually(async () => expect(await callsOf(object)).toBe(1));
    const held = hold(object);
    await held.holding;
    // Sixteen at once: the first one's call waits at the held object, the other fifteen queue behind it.
    await Promise.all(rows.map((r) => answered(infer(id, key, [r]))));
    await held.release();
    await eventually(async () => expect(await queriesOf(object)).toBe(17));
    const calls = await callsOf(object);
    expect(calls).toBeLessThan(17);
    expect(calls).toBe(3);
  });

  it("ends exactly where one call per request ends, and audits an escalation inside a batch with its own request's id", async () => {
    const requests = workload();

    // One by one: each observation has reached the object before the next request.
    const one = await principalWithoutView();
    const oneIds: string[] = [];
    for (const [i, rows] of requests.entries()) {
      oneIds.push(await answered(infer(one.id, one.key, rows)));
      await eventually(async () => expect(await callsOf(one.object)).toBe(i + 1));
    }

    // Coalesced: the first request's call waits at the held object; the others queue, in this order, and go as one call.
    const batched = await principalWithoutView();
    const held = hold(batched.object);
    await held.holding;
    const batchedIds: string[] = [];
    for (const rows of requests) batchedIds.push(await answered(infer(batched.id, batched.key, rows)));
    await held.release();
    await eventually(async () => expect(await queriesOf(batched.object)).toBe(requests.flat().length));
    expect(await callsOf(batched.object)).toBe(2);

    expect(await stateOf(batched.object)).toEqual(await stateOf(one.object));

    // The same request escalated in both runs, and it was not the first (which went alone).
    const oneEsc = await eventually(async () => {
      const e = await escalations(one.id);
      expect(e.length).toBeGreaterThan(0);
      return e;
    });
    const at = oneEsc.map((e) => oneIds.indexOf(e.request));
    expect(at.every((i) => i > 0)).toBe(true);
    const batchedEsc = await eventually(async () => {
      const e = await escalations(batched.id);
      expect(e.length).toBe(oneEsc.length);
      return e;
    });
    expect(batchedEsc.map((e) => batchedIds.indexOf(e.request))).toEqual(at);
    expect(batchedEsc.map((e) => e.to)).toEqual(oneEsc.map((e) => e.to));
  });
});
