import { describe, expect, it } from "vitest";
import { admin, bearer, call, chatModel, createTenant, eventually, issueKey, json } from "../../helpers/warden";
import { batchPrompts, evalPrompts } from "./text-workloads";

/**
 * Issue 9: an evaluation run — public benchmark questions in three templated variants, 8 at a
 * time — is the most ordinary heavy client of a text model. With the default policy it was
 * refused (403 extraction_suspected) from its 120th request here (the issue's acceptance run: the
 * 350th of 1,212). On text models the defaults may degrade (stronger logprob noise, unannounced)
 * but never block. Sizes are kept to what a busy 2-core machine runs in about a minute each.
 */
type Usage = { principals: Array<{ principal: string; extraction: { score: number; state: string } }> };

async function run(id: string, auth: Record<string, string>, prompts: string[], parallel = 8): Promise<number[]> {
  const statuses: number[] = [];
  for (let i = 0; i < prompts.length; i += parallel) {
    const batch = prompts.slice(i, i + parallel).map((content) =>
      call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content }], max_tokens: 1 }, auth)).then(async (r) => {
        await r.arrayBuffer();
        return r.status;
      }),
    );
    statuses.push(...(await Promise.all(batch)));
  }
  return statuses;
}

describe("heavy honest text users with the default policy", () => {
  it("never blocks an evaluation run of 480 templated (160 questions × 3) near-duplicate prompts, 8 at a time", { timeout: 300_000 }, async () => {
    const { id } = await createTenant({ models: [chatModel("chat")], policy: { limits: {} } });
    const key = await issueKey(id, { name: "eval-harness" });
    const statuses = await run(id, bearer(key.key), evalPrompts(480));
    const refused = statuses.filter((s) => s !== 200);
    expect(refused.length, `first refusal at request ${statuses.findIndex((s) => s !== 200) + 1}`).toBe(0);
    // The detector did see it: at most degraded, never blocked.
    const usage = await eventually(async () => {
      const u = (await (await admin(`/tenants/${id}/usage`)).json()) as Usage;
      const me = u.principals.find((p) => p.principal === `key:${key.id}`);
      expect(me).toBeDefined();
      return me!;
    });
    expect(["normal", "degraded"]).toContain(usage.extraction.state);
  });

  it("never blocks a batch job of diverse prompts, sent twice", { timeout: 300_000 }, async () => {
    const { id } = await createTenant({ models: [chatModel("chat")], policy: { limits: {} } });
    const key = await issueKey(id, { name: "batch" });
    const prompts = batchPrompts(100);
    const statuses = await run(id, bearer(key.key), [...prompts, ...prompts]);
    expect(statuses.filter((s) => s !== 200)).toHaveLength(0);
  });
});
