import { describe, expect, it } from "vitest";
import { bearer, call, createTenant, issueKey, json } from "../../helpers/warden";
import { DIGITS, digitsAsker, settled, stateOf } from "./digits-asker";
import { generateDigits } from "../../../scripts/demo-origin/digits.mjs";
import { FAMILIES } from "../../../bench/extraction/families.mjs";

/**
 * Issue 9, item 1: synthetic-query attackers are detected without the operator's reference
 * statistics (the outside acceptance run uploaded none, and the `far` signal was off). Each family
 * — random queries (Tramèr et al.), margin sampling over a uniform pool (ActiveThief), Jacobian
 * augmentation (Papernot et al.) — runs as written in bench/extraction/families.mjs against the demo
 * digits classifier through the Worker, with rounded outputs, small budgets; and a synthetic
 * campaign spread over 10 keys is blocked through the tenant view, though no key sends more than
 * 60 queries.
 */

/** The families' `ask`: one OIP request through the Worker; null once refused. Records what happened. */

async function tenantWithoutReference() {
  const { id } = await createTenant({ models: [DIGITS] });
  const user = await issueKey(id, { name: "user" });
  const natural = generateDigits({ n: 200, seed: 9 }).X as number[][];
  for (let i = 0; i < natural.length; i += 20) {
    const res = await call(`/t/${id}/v2/models/digits/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [20, 64], data: natural.slice(i, i + 20).flat() }] }, bearer(user.key)));
    expect(res.status).toBe(200);
    await res.arrayBuffer();
  }
  return { id, user };
}

describe("synthetic-query extraction without reference statistics, through the Worker", () => {
  const cases = [
    ["random queries", "random", { batch: 20 }, 800, true],
    ["margin sampling over a uniform pool", "active", { batch: 20, source: "uniform", initial: 100, round: 100, pool: 400 }, 800, true],
    ["Jacobian augmentation from natural seeds", "jacobian", { batch: 20, seeds: "natural", lambdaShare: 0.1 }, 600, false],
  ] as const;
  for (const [name, family, setting, budget, mustBlock] of cases) {
    it(`escalates ${name}${mustBlock ? " and blocks it on sustained evidence" : ""}, and leaves a natural user normal`, { timeout: 120_000 }, async () => {
      const { id, user } = await tenantWithoutReference();
      const attacker = await issueKey(id, { name: "attacker" });
      const { ask, seen } = digitsAsker(id, attacker);
      await FAMILIES[family](ask, { ...setting, budget, seed: 5 });
      await settled(id, `key:${attacker.id}`);
      expect(await stateOf(id, `key:${attacker.id}`)).toMatch(mustBlock ? /blocked/ : /degraded|blocked/);
      if (mustBlock) {
        expect(seen.refusedAt).toBeGreaterThan(0);
        expect(seen.refusedAt).toBeLessThanOrEqual(500);
      }
      expect(await stateOf(id, `key:${user.id}`)).toBe("normal");
    });
  }

  it("gives a degraded principal the label and a keyed random rest: the same row always the same answer", { timeout: 120_000 }, async () => {
    const { id } = await tenantWithoutReference();
    const attacker = await issueKey(id, { name: "attacker" });
    const { ask } = digitsAsker(id, attacker);
    let x = 777;
    const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 4294967296);
    const uniformRow = () => Array.from({ length: 64 }, () => Math.round(next() * 1600) / 100);
    for (let i = 0; i < 6; i++) expect(await ask(Array.from({ length: 10 }, uniformRow))).not.toBeNull();
    await settled(id, `key:${attacker.id}`);
    expect(await stateOf(id, `key:${attacker.id}`)).toBe("degraded");
    // Two copies of a natural digit and one of a uniform row, asked twice: identical answers.
    const digit = generateDigits({ n: 1, seed: 3 }).X[0] as number[];
    const probe = [digit, digit, uniformRow()];
    const first = await ask(probe);
    const again = await ask(probe);
    expect(first).not.toBeNull();
    expect(first![0]).toEqual(first![1]);
    expect(again).toEqual(first);
    for (const answer of first!) {
      const top = Math.max(...answer);
      expect(top).toBeGreaterThanOrEqual(0.5);
      for (const v of answer) expect(Math.round(v * 10) / 10).toBeCloseTo(v, 9);
    }
  });

  it("blocks a random-query campaign spread over 10 keys through the tenant view, at 60 queries a key", { timeout: 120_000 }, async () => {
    const { id, user } = await tenantWithoutReference();
    const keys = await Promise.all(Array.from({ length: 10 }, (_, i) => issueKey(id, { name: `spread-${i}` })));
    const askers = keys.map((k) => digitsAsker(id, k));
    let x = 12345;
    const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 4294967296);
    for (let round = 0; round < 6; round++)
      for (const [i, k] of keys.entries()) {
        await askers[i]!.ask(Array.from({ length: 10 }, () => Array.from({ length: 64 }, () => Math.round(next() * 1600) / 100)));
        await settled(id, `key:${k.id}`);
      }
    for (const k of keys) expect(await stateOf(id, `key:${k.id}`)).toBe("blocked");
    // No key came near SUSTAINED_ROWS (300) answered queries on its own.
    for (const a of askers) expect(a.seen.answered).toBeLessThanOrEqual(60);
    expect(await stateOf(id, `key:${user.id}`)).toBe("normal");
  });
});
