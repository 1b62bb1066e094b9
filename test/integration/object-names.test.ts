import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { bearer, call, chatModel, createTenant, eventually, issueKey, json } from "../helpers/warden";

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
});
