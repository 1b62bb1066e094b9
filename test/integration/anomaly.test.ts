import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { admin, bearer, call, createTenant, issueKey, json, problem } from "../helpers/warden";
import { generateDigits } from "../../scripts/demo-origin/digits.mjs";

const INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };
const infer = (id: string, auth: Record<string, string>, rows: number[][]) =>
  call(`/t/${id}/v2/models/digits/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [rows.length, 64], data: rows.flat() }] }, auth));

describe("OIP anomaly check against uploaded reference data (issue 4 item 5)", () => {
  it("flags rows unlike the reference in monitor mode, refuses them in block mode, and passes natural ones", async () => {
    const { id } = await createTenant({ models: [{ name: "digits", protocol: "oip", origins: [{ url: env.ORIGIN_URL }], inputs: [INPUT] }] });
    const { key } = await issueKey(id);
    const train = generateDigits({ n: 400, seed: 11 });
    const up = await admin(`/tenants/${id}/models/digits/reference`, "POST", { input: "input-0", rows: train.X });
    expect(up.status).toBe(200);
    const model = (await up.json()) as { anomaly: { mode: string; reference: { n: number; mean: number[] } } };
    expect(model.anomaly.mode).toBe("monitor");
    expect(model.anomaly.reference.n).toBe(400);
    expect(model.anomaly.reference.mean).toHaveLength(64);

    const natural = generateDigits({ n: 20, seed: 99 }).X;
    // Uniform noise over the valid range: what a model-extraction attacker's random queries look like.
    let s = 7;
    const noise = Array.from({ length: 5 }, () => Array.from({ length: 64 }, () => ((s = (s * 1103515245 + 12345) % 2147483648) % 17)));

    const ok = await infer(id, bearer(key), natural);
    expect(ok.status).toBe(200);
    expect(ok.headers.get("x-warden-anomaly")).toMatch(/verdict=pass$/);
    const flagged = await infer(id, bearer(key), noise.slice(0, 1));
    expect(flagged.status).toBe(200);
    expect(flagged.headers.get("x-warden-anomaly")).toMatch(/verdict=flag$/);

    expect((await admin(`/tenants/${id}`, "PATCH", { models: [{ ...(await (await admin(`/tenants/${id}`)).json() as { models: Array<Record<string, unknown>> }).models[0], anomaly: { ...model.anomaly, mode: "block" } }] })).status).toBe(200);
    const blocked = await infer(id, bearer(key), noise.slice(1, 2));
    expect(blocked.status).toBe(403);
    const p = await problem(blocked);
    expect(p.code).toBe("input_rejected");
    expect(JSON.stringify(p)).not.toMatch(/"data"/);
    expect((await infer(id, bearer(key), natural.slice(0, 3))).status).toBe(200);
  });

  it("refuses bad reference data and changes nothing", async () => {
    const { id } = await createTenant({ models: [{ name: "digits", protocol: "oip", origins: [{ url: env.ORIGIN_URL }], inputs: [INPUT] }] });
    expect((await admin(`/tenants/${id}/models/digits/reference`, "POST", { input: "input-0", rows: [[1, 2]] })).status).toBe(400);
    expect((await admin(`/tenants/${id}/models/digits/reference`, "POST", { input: "nope", rows: Array.from({ length: 30 }, () => [1, 2]) })).status).toBe(400);
    expect((await admin(`/tenants/${id}/models/other/reference`, "POST", { input: "input-0", rows: [] })).status).toBe(404);
    const t = (await (await admin(`/tenants/${id}`)).json()) as { models: Array<{ anomaly?: unknown }> };
    expect(t.models[0]!.anomaly).toBeUndefined();
  });
});
