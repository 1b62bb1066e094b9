/**
 * RateLimit fields (draft-ietf-httpapi-ratelimit-headers, CONTRACT §5): the remaining units never
 * exceed the quota announced next to them, and `t` is always there, on successes and refusals.
 */
import { describe, expect, it } from "vitest";
import { bearer, call, chatModel, createTenant, issueKey, json } from "../../helpers/warden";

function fields(res: Response): { name: string; q: number; r: number; t: number | null } {
  const policy = res.headers.get("ratelimit-policy") ?? "";
  const limit = res.headers.get("ratelimit") ?? "";
  const name = /^"([^"]+)"/.exec(policy)?.[1] ?? "";
  expect(/^"([^"]+)"/.exec(limit)?.[1]).toBe(name);
  const t = /;t=(\d+)/.exec(limit);
  return { name, q: Number(/;q=(\d+)/.exec(policy)?.[1]), r: Number(/;r=(\d+)/.exec(limit)?.[1]), t: t ? Number(t[1]) : null };
}

/** Sends up to `requests` requests one after another; with `untilRefused`, stops at the first 429. */
async function run(policyLimits: Record<string, unknown>, keyLimits: Record<string, unknown> | undefined, requests: number, untilRefused = false) {
  const { id } = await createTenant({ models: [chatModel()], policy: { limits: policyLimits } });
  const { key } = await issueKey(id, keyLimits ? { name: "k", limits: keyLimits } : { name: "k" });
  const out = [];
  for (let i = 0; i < requests; i++) {
    const res = await call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 2 }, bearer(key)));
    out.push({ status: res.status, ...fields(res) });
    await res.arrayBuffer();
    if (untilRefused && res.status === 429) break;
  }
  return out;
}

describe("RateLimit fields", () => {
  it("never announce more remaining than the quota when the burst is larger than the per-minute rate", async () => {
    const answers = await run({}, { requests_per_minute: 12, burst: 30 }, 3);
    for (const a of answers) {
      expect(a).toMatchObject({ status: 200, name: "rpm", q: 12 });
      expect(a.r).toBeLessThanOrEqual(a.q);
      expect(a.t).not.toBeNull();
    }
  });

  it("do the same for a tenant-wide bucket, up to the refusal", async () => {
    // One unit a minute refills the bucket: on a slow machine 22 requests in a row can take long
    // enough for a few units to come back, so send until the refusal (bounded) rather than a count.
    const answers = await run({ requests_per_minute: 1, burst: 20 }, undefined, 60, true);
    expect(answers.map((a) => a.status)).toContain(429);
    for (const a of answers) {
      expect(a.r).toBeLessThanOrEqual(a.q);
      expect(a.t).not.toBeNull();
    }
  });

  it("carry t for a concurrency limit too", async () => {
    const [a] = await run({}, { max_concurrency: 3 }, 1);
    expect(a).toMatchObject({ status: 200, name: "concurrency", q: 3 });
    expect(a!.r).toBeLessThanOrEqual(3);
    expect(a!.t).toBe(0);
  });
});
