import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { bearer, call, chatModel, createTenant, eventually, issueKey, json } from "../helpers/warden";
import { DIGITS, settled } from "./extraction/digits-asker";
import { principalStatus } from "../helpers/object-hooks";

/**
 * Stored data is addressed by Durable Object name. These literal names are the ones the Worker
 * used before worker/clients/ existed; if a client module ever changes one, data written
 * through the Worker stops being where existing deployments keep it, and this test fails.
 */
describe("Durable Object names (stored data's address)", () => {
  it("writes tenant, directory, audit and metrics data under their historical names", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")], policy: { screening: { mode: "off" } } });
    const { key } = await issueKey(id);
    expect((await call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 3 }, bearer(key)))).status).toBe(200);

    const tenant = env.TENANTS.get(env.TENANTS.idFromName(`tenant:${id}`));
    expect((await tenant.get())?.id).toBe(id);
    expect(await tenant.listKeys()).toHaveLength(1);

    const directory = env.DIRECTORY.get(env.DIRECTORY.idFromName("directory"));
    expect(await directory.exists(id)).toBe(true);

    const globalLog = env.AUDIT.get(env.AUDIT.idFromName("admin:global"));
    const tenantLog = env.AUDIT.get(env.AUDIT.idFromName(id));
    const metrics = env.METRICS.get(env.METRICS.idFromName(`metrics:${id}`));
    await eventually(async () => {
      expect((await globalLog.list({ limit: 1000 })).items.some((e) => JSON.stringify(e).includes(id))).toBe(true);
      expect((await tenantLog.list()).items.length).toBeGreaterThan(0);
      expect((await metrics.snapshot()).length).toBeGreaterThan(0);
    }, 15_000);
  });

  it("keeps budget and extraction signals under their historical names (p:, t:, signals:), the objects' calls to each other included", async () => {
    const { id } = await createTenant({ models: [chatModel("chat"), DIGITS], policy: { limits: { requests_per_day: 50 } } });
    const { key, id: keyId } = await issueKey(id);
    const principal = `key:${keyId}`;
    expect((await call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 3 }, bearer(key)))).status).toBe(200);
    const row = Array.from({ length: 64 }, (_, i) => i % 17);
    expect((await call(`/t/${id}/v2/models/digits/infer`, json({ inputs: [{ name: "input-0", datatype: "FP32", shape: [1, 64], data: row }] }, bearer(key)))).status).toBe(200);

    // The principal's ledger, and the tenant object it registered with (a call between objects).
    const ledger = env.BUDGETS.get(env.BUDGETS.idFromName(`p:${id}:${principal}`));
    const pool = env.BUDGETS.get(env.BUDGETS.idFromName(`t:${id}`));
    await eventually(async () => {
      expect((await ledger.usage())?.requests.day).toBe(2);
      expect(await pool.principals()).toEqual([principal]);
    }, 15_000);

    // The principal's signals, and the tenant view its observation was forwarded to (a call between objects).
    await settled(id, principal);
    expect((await principalStatus(env.SIGNALS.get(env.SIGNALS.idFromName(`signals:${id}:${principal}`)))).queries).toBeGreaterThan(0);
    const view = env.SIGNALS.get(env.SIGNALS.idFromName(`signals:${id}:*`));
    await eventually(async () => expect((await view.principals()).map((p) => p.principal)).toEqual([principal]), 15_000);
  });
});
