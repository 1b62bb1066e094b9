import { env } from "cloudflare:workers";
import { runInDurableObject } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import type { SignalsObject } from "../../../durable-objects/signals";
import { principalSignalsName, tenantSignalsName } from "../../../worker/clients/signals";
import { MEMORY } from "../../../worker/extraction/params";
import type { ExtractionPolicy } from "../../../worker/extraction/state";
import { extractionInputs, naturalInputs, project } from "../../unit/extraction/synthetic";
import { flushSignals, principalStatus, principalStatusOrNull, tenantStatus } from "../../helpers/object-hooks";
import { signalsHooks } from "../../../durable-objects/test-hooks";
import { observeOne } from "../../helpers/observe-one";

const POLICY = { mode: "on" as const, degrade_at: 0.6, block_at: 0.9, cooldown_s: 900 };
let counter = 0;
const tenantId = () => `sig-${++counter}-${Math.random().toString(36).slice(2, 7)}`;
const stubFor = (name: string) => env.SIGNALS.get(env.SIGNALS.idFromName(name));
const principalStub = (tenant: string, principal: string) => stubFor(principalSignalsName(tenant, principal));

/** Sends `vectors` in requests of `batch` rows; returns every outcome. */
async function send(tenant: string, principal: string, vectors: number[][], batch = 20, policy: ExtractionPolicy = POLICY) {
  const stub = principalStub(tenant, principal);
  const outcomes = [];
  for (let i = 0; i < vectors.length; i += batch) outcomes.push(await observeOne(stub, { tenant, principal, features: vectors.slice(i, i + batch), policy }));
  return outcomes;
}

describe("SignalsObject, principal role", () => {
  it("keeps natural traffic normal and stores it within the memory bound", async () => {
    const tenant = tenantId();
    const outcomes = await send(tenant, "key:benign", project(naturalInputs(MEMORY + 100, 1)));
    expect(outcomes.every((o) => o.state === "normal" && o.escalated === null)).toBe(true);
    const stub = principalStub(tenant, "key:benign");
    const status = await principalStatus(stub);
    expect(status).toMatchObject({ role: "principal", tenant, principal: "key:benign", state: "normal", until: null, queries: MEMORY + 100, remembered: MEMORY });
    expect(status.raw.w).toBeGreaterThan(0.9);
    // Rows are written behind (durable-objects/signals-store.ts): flush writes what still waits.
    await flushSignals(stub);
    await runInDurableObject(stub, (_, state) => {
      const rows = state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sig_memory").one().n;
      expect(rows).toBe(MEMORY);
    });
  });

  it("escalates an extraction to blocked, reports each escalation once, then refuses without recording", async () => {
    const tenant = tenantId();
    const outcomes = await send(tenant, "key:attacker", project(extractionInputs(800, 2)));
    const escalations = outcomes.filter((o) => o.escalated).map((o) => `${o.escalated!.from}->${o.escalated!.to}`);
    expect(escalations.length).toBeGreaterThanOrEqual(1);
    expect(escalations.at(-1)).toMatch(/->blocked$/);
    expect(new Set(escalations).size).toBe(escalations.length);
    const firstBlocked = outcomes.findIndex((o) => o.state === "blocked");
    expect(firstBlocked).toBeGreaterThan(0);
    const blocked = outcomes[firstBlocked]!;
    expect(blocked.score).toBeGreaterThanOrEqual(POLICY.block_at);
    expect(Date.parse(blocked.until!) - Date.now()).toBeGreaterThan(800_000);
    expect(blocked.escalated?.signals.prada).toBeGreaterThan(0);
    // Later requests: refused, nothing new escalated, nothing recorded.
    for (const o of outcomes.slice(firstBlocked + 1)) expect(o).toMatchObject({ state: "blocked", until: blocked.until, escalated: null });
    const status = await principalStatus(principalStub(tenant, "key:attacker"));
    expect(status.queries).toBe((firstBlocked + 1) * 20);
  });

  it("survives a restart of the object: state and memory come back from SQLite", async () => {
    const tenant = tenantId();
    await send(tenant, "key:attacker", project(extractionInputs(600, 3)));
    const stub = principalStub(tenant, "key:attacker");
    const before = await principalStatus(stub);
    // A fresh instance of the class over the same storage, as after an eviction.
    await runInDurableObject(stub, async (instance, state) => {
      const Fresh = (instance as unknown as SignalsObject).constructor as new (ctx: DurableObjectState, e: typeof env) => SignalsObject;
      const fresh = new Fresh(state, env);
      await state.blockConcurrencyWhile(async () => {});
      const after = signalsHooks.of(fresh).principal();
      expect(after).toMatchObject({ state: before.state, until: before.until, score: before.score, queries: before.queries, remembered: before.remembered });
      expect(after?.raw).toEqual(before.raw);
    });
  });

  it("counts close answers for boundary probing", async () => {
    const tenant = tenantId();
    const stub = principalStub(tenant, "key:prober");
    await observeOne(stub, { tenant, principal: "key:prober", features: project(naturalInputs(5, 4)), policy: POLICY });
    await stub.recordAnswer({ tenant, principal: "key:prober", margins: new Array(150).fill(0.02) });
    const status = await principalStatus(stub);
    expect(status.raw.boundary).toBe(1);
    expect(status.signals.boundary).toBe(1);
  });

  it("drops an answer's margins that arrive after a reset (the margins' timer firing after an admin reset or a tenant deletion)", async () => {
    const tenant = tenantId();
    const stub = principalStub(tenant, "key:late");
    await observeOne(stub, { tenant, principal: "key:late", features: project(naturalInputs(5, 4)), policy: POLICY });
    await stub.reset();
    await stub.recordAnswer({ tenant, principal: "key:late", margins: new Array(150).fill(0.02) });
    expect(await principalStatusOrNull(stub)).toBeNull();
    // Never observed at all: nothing to add to either.
    const never = principalStub(tenant, "key:never");
    await never.recordAnswer({ tenant, principal: "key:never", margins: [0.5] });
    expect(await principalStatusOrNull(never)).toBeNull();
  });

  it("drops an observation of a request seen before a reset that arrives after it, and records one seen after", async () => {
    const tenant = tenantId();
    const stub = principalStub(tenant, "key:inflight");
    const seenAt = Date.now();
    await observeOne(stub, { tenant, principal: "key:inflight", features: project(naturalInputs(5, 4)), policy: POLICY, atMs: seenAt });
    await stub.reset();
    // Still in flight at the reset (coalesced, or a tenant deleted under it): the wiped principal stays wiped.
    await stub.observeBatch({ tenant, principal: "key:inflight", policy: POLICY, items: [{ features: project(naturalInputs(3, 6)), atMs: seenAt }] });
    expect(await principalStatusOrNull(stub)).toBeNull();
    // A request after the reset starts the principal afresh.
    await stub.observeBatch({ tenant, principal: "key:inflight", policy: POLICY, items: [{ features: project(naturalInputs(3, 6)), atMs: Date.now() + 1 }] });
    expect((await principalStatus(stub)).queries).toBe(3);
  });

  it("ignores malformed vectors rather than letting them poison the distances", async () => {
    const tenant = tenantId();
    const stub = principalStub(tenant, "key:odd");
    const good = project(naturalInputs(2, 11));
    await observeOne(stub, { tenant, principal: "key:odd", features: [[1, 2, 3], new Array(32).fill(Number.NaN), good[0]!, good[1]!], policy: POLICY });
    expect((await principalStatus(stub)).remembered).toBe(2);
  });

  it("does nothing with mode off", async () => {
    const tenant = tenantId();
    const outcomes = await send(tenant, "key:off", project(extractionInputs(400, 5)), 20, { ...POLICY, mode: "off" as const });
    expect(outcomes.every((o) => o.state === "normal" && o.score === 0)).toBe(true);
    expect(await principalStatusOrNull(principalStub(tenant, "key:off"))).toBeNull();
  });

  it("resets a principal: normal again, clean slate, forgotten by the tenant view", async () => {
    const tenant = tenantId();
    await send(tenant, "key:attacker", project(extractionInputs(600, 6)));
    const stub = principalStub(tenant, "key:attacker");
    await flushSignals(stub);
    const tenantStub = stubFor(tenantSignalsName(tenant));
    expect((await tenantStub.principals()).map((p) => p.principal)).toContain("key:attacker");
    await stub.reset();
    expect(await principalStatusOrNull(stub)).toBeNull();
    expect((await tenantStub.principals()).map((p) => p.principal)).not.toContain("key:attacker");
    const [o] = await send(tenant, "key:attacker", project(naturalInputs(20, 7)));
    expect(o).toMatchObject({ state: "normal", until: null, escalated: null });
  });
});

describe("SignalsObject, tenant role", () => {
  it("indexes every principal's standing for the usage view", async () => {
    const tenant = tenantId();
    await send(tenant, "key:a", project(naturalInputs(200, 8)));
    await send(tenant, "key:z", project(extractionInputs(700, 9)));
    await flushSignals(principalStub(tenant, "key:a"));
    await flushSignals(principalStub(tenant, "key:z"));
    const list = await stubFor(tenantSignalsName(tenant)).principals();
    expect(list.map((p) => p.principal)).toEqual(["key:a", "key:z"]);
    expect(list[0]).toMatchObject({ state: "normal", until: null });
    expect(list[1]!.state).toBe("blocked");
    expect(list[1]!.until).toBe((await principalStatus(principalStub(tenant, "key:z"))).until);
    const t = await tenantStatus(stubFor(tenantSignalsName(tenant)));
    expect(t.role).toBe("tenant");
    expect(t.remembered).toBeGreaterThan(0);
  });

  it("raises the keys of an attack spread over many keys through the tenant view", async () => {
    const tenant = tenantId();
    for (let i = 0; i < 4; i++) {
      await send(tenant, `key:benign-${i}`, project(naturalInputs(150, 20 + i)));
      await flushSignals(principalStub(tenant, `key:benign-${i}`));
    }
    const attack = project(extractionInputs(1200, 10));
    const keys = Array.from({ length: 20 }, (_, i) => `key:attacker-${i}`);
    let raised = 0;
    for (let start = 0, turn = 0; start < attack.length; start += 20, turn++) {
      const key = keys[turn % keys.length]!;
      const stub = principalStub(tenant, key);
      const o = await observeOne(stub, { tenant, principal: key, features: attack.slice(start, start + 20), policy: POLICY });
      await flushSignals(stub);
      if (o.escalated) raised++;
    }
    // Each key sent 60 queries, too few for its own signals; the tenant view degrades or blocks most.
    const statuses = await Promise.all(keys.map((k) => principalStatus(principalStub(tenant, k))));
    expect(statuses.every((s) => s.own < POLICY.degrade_at)).toBe(true);
    expect(statuses.filter((s) => s.state !== "normal").length).toBeGreaterThanOrEqual(15);
    expect(raised).toBeGreaterThanOrEqual(15);
    const benign = await Promise.all([0, 1, 2, 3].map((i) => principalStatus(principalStub(tenant, `key:benign-${i}`))));
    expect(benign.every((s) => s.state === "normal")).toBe(true);
  });
});
