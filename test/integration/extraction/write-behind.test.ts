import { describe, expect, it } from "vitest";
import { abortAllDurableObjects, env, runInDurableObject } from "cloudflare:test";
import { bearer, call, createTenant, issueKey, json } from "../../helpers/warden";
import { principalSignalsName } from "../../../worker/clients/signals";
import { WRITE_BEHIND_MS } from "../../../durable-objects/signals-store";
import { generateDigits } from "../../../scripts/demo-origin/digits.mjs";
import { extractionInputs, project } from "../../unit/extraction/synthetic";
import { principalStatus } from "../../helpers/object-hooks";
import { observeOne } from "../../helpers/observe-one";

/**
 * The SignalsObject writes its rows behind (issue 11): an observation is in memory at once and
 * in storage within WRITE_BEHIND_MS, without any flush call; a changed standing is written in the
 * turn that changed it. docs/budgets.md, "What a crash can lose".
 */
const INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
const digits = { name: "digits", protocol: "oip", origins: [{ url: env.ORIGIN_URL }], inputs: [INPUT], outputs: [{ name: "probabilities", kind: "probabilities" }] };
const infer = (id: string, auth: Record<string, string>, rows: number[][]) =>
  call(`/t/${id}/v2/models/digits/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] }, auth));
const stub = (name: string) => env.SIGNALS.get(env.SIGNALS.idFromName(name));
const stored = (name: string) =>
  runInDurableObject(stub(name), (_, state) => ({
    memory: state.storage.sql.exec<{ n: number }>("SELECT COUNT(*) AS n FROM sig_memory").one().n,
    total: Number(state.storage.sql.exec<{ value: string }>("SELECT value FROM sig_meta WHERE key = 'total'").toArray()[0]?.value ?? 0),
  }));

describe("extraction signals written behind", () => {
  it("reach storage within the write-behind interval through the Worker, and survive an eviction then", async () => {
    const { id } = await createTenant({ models: [digits] });
    const key = await issueKey(id, { name: "wb" });
    const name = principalSignalsName(id, `key:${key.id}`);
    const rows = generateDigits({ n: 12, seed: 5 }).X;
    for (const row of rows) expect((await infer(id, bearer(key.key), [row])).status).toBe(200);
    // No flush: the object's own timer writes them. Poll with a deadline, never a fixed sleep.
    const deadline = Date.now() + WRITE_BEHIND_MS * 10 + 5_000;
    let seen = await stored(name);
    while (seen.total < rows.length && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 50));
      seen = await stored(name);
    }
    expect(seen.total).toBe(rows.length);
    expect(seen.memory).toBeGreaterThan(0);
    await abortAllDurableObjects();
    expect((await principalStatus(stub(name))).queries).toBe(rows.length);
  });

  it("writes a changed standing in the same turn: an eviction right after the escalation keeps it", async () => {
    const tenant = `wb-${Math.random().toString(36).slice(2, 8)}`;
    const principal = "key:attacker";
    const s = stub(principalSignalsName(tenant, principal));
    const policy = { mode: "on" as const, degrade_at: 0.6, block_at: 0.9, cooldown_s: 900 };
    const vectors = project(extractionInputs(800, 2));
    let escalatedTo: string | null = null;
    for (let i = 0; i < vectors.length && !escalatedTo; i += 20) {
      const o = await observeOne(s, { tenant, principal, features: vectors.slice(i, i + 20), policy });
      if (o.escalated) escalatedTo = o.escalated.to;
    }
    expect(escalatedTo).not.toBeNull();
    await abortAllDurableObjects();
    expect((await principalStatus(stub(principalSignalsName(tenant, principal)))).state).toBe(escalatedTo);
  });
});
