import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { admin, bearer, call, createTenant, eventually, issueKey, json, problem } from "../helpers/warden";
import { generateDigits } from "../../scripts/demo-origin/digits.mjs";
import { principalStatusOrNull } from "../helpers/object-hooks";

const INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
const digits = { name: "digits", protocol: "oip", origins: [{ url: env.ORIGIN_URL }], inputs: [INPUT], outputs: [{ name: "probabilities", kind: "probabilities" }] };
const infer = (id: string, auth: Record<string, string>, rows: number[][]) =>
  call(`/t/${id}/v2/models/digits/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] }, auth));
/** An extraction attacker's first phase: uniform random images over the valid range (seeded). */
function uniformRows(n: number, seed: number): number[][] {
  let x = seed >>> 0 || 1;
  const next = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) / 4294967296);
  return Array.from({ length: n }, () => Array.from({ length: 64 }, () => Math.round(next() * 16)));
}
function jacobianRows(seeds: number[][], n: number, seed: number): number[][] {
  let x = seed >>> 0 || 1;
  const coin = () => ((x ^= x << 13), (x ^= x >>> 17), (x ^= x << 5), (x >>> 0) % 2 === 0);
  const out = seeds.map((r) => r.slice());
  while (out.length < n) {
    for (const parent of out.slice()) {
      if (out.length >= n) break;
      out.push(parent.map((v) => Math.min(16, Math.max(0, v + (coin() ? 2 : -2)))));
    }
  }
  return out;
}
type Usage = { principals: Array<{ principal: string; extraction: { score: number; state: string; until: string | null } }> };

describe("extraction defence on the request path (CONTRACT §5)", () => {
  it("blocks an extraction attacker with extraction_suspected, audits the escalation, shows it in usage, and lets an admin reset it", async () => {
    const { id } = await createTenant({ models: [digits] });
    const attacker = await issueKey(id, { name: "attacker" });
    const benign = await issueKey(id, { name: "benign" });
    const natural = generateDigits({ n: 400, seed: 5 }).X;
    for (let i = 0; i < natural.length; i += 20) expect((await infer(id, bearer(benign.key), natural.slice(i, i + 20))).status).toBe(200);

    const rows = jacobianRows(generateDigits({ n: 100, seed: 77 }).X, 1600, 42);
    let blockedAt = -1;
    // Papernot et al.'s augmentation: each new query one signed step (λ = 2 of 16) from an earlier one.
    for (let i = 0; i < rows.length; i += 20) {
      const res = await infer(id, bearer(attacker.key), rows.slice(i, i + 20));
      if (res.status === 403) {
        const p = await problem(res);
        expect(p.code).toBe("extraction_suspected");
        expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(60);
        blockedAt = i + 20;
        break;
      }
      expect(res.status).toBe(200);
    }
    expect(blockedAt).toBeGreaterThan(0);
    expect(blockedAt).toBeLessThanOrEqual(1600);
    // Blocked means blocked: even natural queries are refused during the cooldown.
    expect((await infer(id, bearer(attacker.key), natural.slice(0, 5))).status).toBe(403);
    expect((await infer(id, bearer(benign.key), natural.slice(0, 5))).status).toBe(200);

    const usage = await eventually(async () => {
      const u = (await (await admin(`/tenants/${id}/usage`)).json()) as Usage;
      expect(u.principals.find((p) => p.principal === `key:${attacker.id}`)?.extraction.state).toBe("blocked");
      return u;
    });
    const a = usage.principals.find((p) => p.principal === `key:${attacker.id}`)!;
    const b = usage.principals.find((p) => p.principal === `key:${benign.id}`)!;
    expect(a.extraction.state).toBe("blocked");
    expect(Date.parse(a.extraction.until!)).toBeGreaterThan(Date.now());
    expect(b.extraction.state).toBe("normal");
    await eventually(async () => {
      const log = (await (await admin(`/tenants/${id}/audit`)).json()) as { items: Array<{ type: string; principal: string; reason: string }>; chain_valid: boolean };
      expect(log.items.some((i) => i.type === "escalation" && i.principal === `key:${attacker.id}` && /blocked/.test(i.reason))).toBe(true);
      expect(log.chain_valid).toBe(true);
    });

    expect((await admin(`/tenants/${id}/principals/${encodeURIComponent(`key:${attacker.id}`)}/reset`, "POST")).status).toBe(204);
    expect((await infer(id, bearer(attacker.key), natural.slice(0, 5))).status).toBe(200);
    expect((await admin(`/tenants/${id}/principals/not-a-principal/reset`, "POST")).status).toBe(404);

    // Deleting the tenant deletes its signals: the same id, created again, starts clean.
    expect((await admin(`/tenants/${id}`, "DELETE")).status).toBe(204);
    await createTenant({ id, models: [digits] });
    const fresh = (await (await admin(`/tenants/${id}/usage`)).json()) as Usage;
    expect(fresh.principals).toEqual([]);
    const signals = await principalStatusOrNull(env.SIGNALS.get(env.SIGNALS.idFromName(`signals:${id}:key:${attacker.id}`)));
    expect(signals).toBeNull();
  });

  it("does nothing with extraction mode off", async () => {
    const { id } = await createTenant({ models: [digits], policy: { extraction: { mode: "off" } } });
    const { key } = await issueKey(id);
    const rows = uniformRows(1200, 7);
    for (let i = 0; i < rows.length; i += 100) expect((await infer(id, bearer(key), rows.slice(i, i + 100))).status).toBe(200);
  });
});
