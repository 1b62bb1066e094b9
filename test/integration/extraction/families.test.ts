import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { admin, bearer, call, createTenant, eventually, issueKey, json } from "../../helpers/warden";
import { generateDigits } from "../../../scripts/demo-origin/digits.mjs";

/**
 * Issue 9: detection of an attack family the detector's small-step signals do not see — uniform
 * random queries over the input range (Tramèr et al. 2016) — end to end through the Worker, on a
 * model whose operator uploaded reference data for the anomaly check: the "far" signal escalates it
 * within 2,000 queries, with rounded and with noisy outputs, while a natural user stays normal.
 */
const INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
const digits = (probabilities: Record<string, unknown>) => ({
  name: "digits", protocol: "oip", origins: [{ url: env.ORIGIN_URL }], inputs: [INPUT], outputs: [{ name: "probabilities", kind: "probabilities" }], protection: { probabilities },
});
const infer = (id: string, auth: Record<string, string>, rows: number[][]) =>
  call(`/t/${id}/v2/models/digits/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] }, auth));
function uniformRows(n: number, seed: number): number[][] {
  let x = seed >>> 0 || 1;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 4294967296);
  return Array.from({ length: n }, () => Array.from({ length: 64 }, () => Math.round(next() * 1600) / 100));
}
type Usage = { principals: Array<{ principal: string; extraction: { state: string } }> };
const stateOf = async (id: string, principal: string) =>
  ((await (await admin(`/tenants/${id}/usage`)).json()) as Usage).principals.find((p) => p.principal === principal)?.extraction.state;

describe("random-query extraction through the Worker", () => {
  for (const [name, probabilities] of [
    ["rounded", { mode: "round", decimals: 1 }],
    ["noisy", { mode: "laplace", epsilon: 1 }],
  ] as const) {
    it(`escalates a uniform-random attacker within 2,000 queries on ${name} outputs, not a natural user`, { timeout: 120_000 }, async () => {
      const { id } = await createTenant({ models: [digits(probabilities)] });
      expect((await admin(`/tenants/${id}/models/digits/reference`, "POST", { input: "input-0", rows: generateDigits({ n: 400, seed: 1 }).X })).status).toBe(200);
      const attacker = await issueKey(id, { name: "attacker" });
      const user = await issueKey(id, { name: "user" });
      const natural = generateDigits({ n: 300, seed: 9 }).X;
      for (let i = 0; i < natural.length; i += 20) expect((await infer(id, bearer(user.key), natural.slice(i, i + 20))).status).toBe(200);

      const rows = uniformRows(2000, 7);
      let escalatedAfter = -1;
      for (let i = 0; i < rows.length && escalatedAfter < 0; i += 20) {
        const res = await infer(id, bearer(attacker.key), rows.slice(i, i + 20));
        expect([200, 403]).toContain(res.status);
        await res.arrayBuffer();
        if (res.status === 403 || (i % 100 === 80 && (await stateOf(id, `key:${attacker.id}`)) !== "normal")) escalatedAfter = i + 20;
      }
      // The usage index is written after the answer: wait for it, do not sleep.
      await eventually(async () => expect(await stateOf(id, `key:${attacker.id}`)).toMatch(/degraded|blocked/));
      expect(escalatedAfter).toBeGreaterThan(0);
      expect(escalatedAfter).toBeLessThanOrEqual(2000);
      expect(await stateOf(id, `key:${user.id}`)).toBe("normal");
    });
  }
});
