import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { createTenant, eventually, issueKey } from "../../helpers/warden";
import { DIGITS, digitsAsker, settled, stateOf } from "./digits-asker";
import { generateDigits } from "../../../scripts/demo-origin/digits.mjs";
import { FAMILIES } from "../../../bench/extraction/families.mjs";
import { principalSignalsName } from "../../../worker/clients/signals";
import { principalStatus } from "../../helpers/object-hooks";

/**
 * Issue 9: the families that send natural data, end to end through the Worker, as
 * docs/extraction.md describes them — Knockoff Nets on clean natural digits is not seen by any
 * per-principal signal nor by the tenant view (it stays normal and keeps its labels); margin
 * sampling over a natural pool (ActiveThief) is degraded by `boundary` and not blocked. And the
 * degraded answer's decoy: a degraded principal's rows that are uniform over the declared range
 * get a keyed random label, its natural rows keep the true one. And the uniform signal counts a row
 * once per principal: the same uniform rows asked again in later requests are repeats (the
 * principal's query memory), not new synthetic queries. Small budgets (CI time).
 */
const argmax = (v: number[]) => v.indexOf(Math.max(...v));

/** One OIP request through the Worker: the answer's rows, or null once refused. */

async function tenantWithUser() {
  const { id } = await createTenant({ models: [DIGITS] });
  const user = await issueKey(id, { name: "user" });
  const { ask } = digitsAsker(id, user);
  const natural = generateDigits({ n: 200, seed: 9 }).X as number[][];
  for (let i = 0; i < natural.length; i += 50) expect(await ask(natural.slice(i, i + 50))).not.toBeNull();
  return { id, user };
}

function uniformRows(n: number, seed: number): number[][] {
  let x = seed >>> 0 || 1;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 4294967296);
  return Array.from({ length: n }, () => Array.from({ length: 64 }, () => Math.round(next() * 1600) / 100));
}

describe("natural-data extraction, the decoy and repeated rows, through the Worker", () => {
  it("leaves Knockoff on clean natural digits normal, per principal and tenant-wide (documented limit)", { timeout: 120_000 }, async () => {
    const { id, user } = await tenantWithUser();
    const thief = await issueKey(id, { name: "knockoff" });
    const { ask, seen } = digitsAsker(id, thief);
    const { X, Y } = await FAMILIES.knockoff(ask, { budget: 400, batch: 50, seed: 41, shift: false });
    await settled(id, `key:${thief.id}`);
    expect(seen).toMatchObject({ answered: 400, refused: 0 });
    expect(await stateOf(id, `key:${thief.id}`)).toBe("normal");
    // Not degraded, so it learns confident answers (the label plus the rounded rest), as an honest user would.
    expect(Y.filter((p: number[]) => Math.max(...p) >= 0.5).length).toBeGreaterThan(0.8 * X.length);
    expect(await stateOf(id, `key:${user.id}`)).toBe("normal");
  });

  it("degrades margin sampling over a natural pool on boundary evidence and does not block it", { timeout: 120_000 }, async () => {
    const { id, user } = await tenantWithUser();
    const thief = await issueKey(id, { name: "active-natural" });
    const { ask, seen } = digitsAsker(id, thief);
    await FAMILIES.active(ask, { budget: 400, batch: 50, source: "natural", initial: 100, round: 100, pool: 400, seed: 7 });
    await settled(id, `key:${thief.id}`);
    expect(seen.refused).toBe(0);
    expect(await stateOf(id, `key:${thief.id}`)).toBe("degraded");
    // The last answer's margins have no later observation to ride on: they arrive on their own (worker/extraction/answers.ts).
    const status = await eventually(async () => {
      const s = await principalStatus(env.SIGNALS.get(env.SIGNALS.idFromName(principalSignalsName(id, `key:${thief.id}`))));
      // boundary alone: not sustained evidence, so the principal is never blocked on it.
      expect(s.signals.boundary).toBeGreaterThanOrEqual(0.75);
      return s;
    }, 10_000);
    for (const other of ["prada", "similarity", "far", "drift", "uniform", "sustained"] as const) expect(status.signals[other]).toBe(0);
    expect(await stateOf(id, `key:${user.id}`)).toBe("normal");
  });

  it("answers a degraded principal's uniform rows with a keyed random label and its natural rows with the true label", { timeout: 120_000 }, async () => {
    const { id, user } = await tenantWithUser();
    const thief = await issueKey(id, { name: "random" });
    const { ask } = digitsAsker(id, thief);
    for (let i = 0; i < 6; i++) expect(await ask(uniformRows(10, 100 + i))).not.toBeNull();
    await settled(id, `key:${thief.id}`);
    expect(await stateOf(id, `key:${thief.id}`)).toBe("degraded");
    const probe = [...(generateDigits({ n: 10, seed: 3 }).X as number[][]), ...uniformRows(30, 999)];
    const degraded = (await ask(probe))!;
    const again = (await ask(probe))!;
    // The user is normal: keep_top1 gives it the model's own labels.
    const truth = (await digitsAsker(id, user).ask(probe))!;
    expect(again).toEqual(degraded);
    expect(degraded.slice(0, 10).map(argmax)).toEqual(truth.slice(0, 10).map(argmax));
    // A random class of 10 matches the model's by chance about 3 times in 30.
    const kept = degraded.slice(10).filter((p, i) => argmax(p) === argmax(truth[10 + i]!)).length;
    expect(kept).toBeLessThanOrEqual(12);
  });

  it("counts uniform rows asked again in later requests once: the same ten rows and one new digit, ten times, stay normal", { timeout: 120_000 }, async () => {
    const { id } = await tenantWithUser();
    const repeater = await issueKey(id, { name: "repeater" });
    const { ask } = digitsAsker(id, repeater);
    const rows = uniformRows(10, 4242);
    // A new natural digit in every request: the request is not all repeats, so it is recorded.
    const fresh = generateDigits({ n: 10, seed: 77 }).X as number[][];
    for (let i = 0; i < 10; i++) expect(await ask([...rows, fresh[i]!])).not.toBeNull();
    await settled(id, `key:${repeater.id}`);
    const status = await principalStatus(env.SIGNALS.get(env.SIGNALS.idFromName(principalSignalsName(id, `key:${repeater.id}`))));
    expect(status.queries).toBe(110);
    // 20 distinct rows: under the 30 the uniform window needs before it says anything.
    expect(status.raw.uniform).toBeNull();
    expect(await stateOf(id, `key:${repeater.id}`)).toBe("normal");
  });
});
