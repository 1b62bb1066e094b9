import { describe, expect, it } from "vitest";
import { admin, bearer, call, chatModel, createTenant, eventually, issueKey, json, problem } from "../helpers/warden";
import { itInOneUtcDay } from "../helpers/clock";

/** `GET /admin/v1/tenants/{id}/usage/history`: usage over time in UTC hours or days (the console's chart). */
interface Bucket {
  start: string;
  requests: number;
  tokens: number;
  cost: number;
  refusals: Record<string, number>;
}
interface History {
  tenant: string;
  bucket: string;
  from: string;
  to: string;
  retention_days: number;
  buckets: Bucket[];
}

async function history(tenant: string, query = ""): Promise<History> {
  const res = await admin(`/tenants/${tenant}/usage/history${query}`);
  expect(res.status, await res.clone().text()).toBe(200);
  return (await res.json()) as History;
}

/** Sums of every bucket: true across an hour's or a day's turn during the test, unlike the last bucket alone. */
function total(h: History): Omit<Bucket, "start"> {
  const t = { requests: 0, tokens: 0, cost: 0, refusals: {} as Record<string, number> };
  for (const b of h.buckets) {
    t.requests += b.requests;
    t.tokens += b.tokens;
    t.cost = Math.round((t.cost + b.cost) * 1e6) / 1e6;
    for (const [code, n] of Object.entries(b.refusals)) t.refusals[code] = (t.refusals[code] ?? 0) + n;
  }
  return t;
}

const chat = (tenant: string, key: string, model = "chat") =>
  call(`/t/${tenant}/v1/chat/completions`, json({ model, messages: [{ role: "user", content: "hi" }], max_tokens: 3 }, bearer(key)));

describe("usage history", () => {
  itInOneUtcDay("buckets requests, tokens, cost and refusals by code per hour and per day, for this tenant only", async () => {
    const pricing = { input_per_million: 1, output_per_million: 2, per_request: 0.001 };
    const { id } = await createTenant({ models: [chatModel("chat", "", { pricing })], policy: { screening: { mode: "off" } } });
    const other = await createTenant({ models: [chatModel("chat")], policy: { screening: { mode: "off" } } });
    const { key } = await issueKey(id);
    const otherKey = (await issueKey(other.id)).key;
    for (let i = 0; i < 2; i++) expect((await chat(id, key)).status).toBe(200);
    expect((await chat(id, key, "nope")).status).toBe(404);
    expect((await chat(other.id, otherKey)).status).toBe(200);

    const usage = await eventually(async () => {
      const u = (await (await admin(`/tenants/${id}/usage`)).json()) as { windows: { day: { tokens: number; cost: number } } };
      expect(u.windows.day.tokens).toBeGreaterThan(0);
      return u.windows.day;
    });
    let asked = 0;
    const hourly = await eventually(async () => {
      asked = Date.now();
      const h = await history(id);
      expect(total(h).tokens).toBe(usage.tokens);
      return h;
    });
    expect(hourly.tenant).toBe(id);
    expect(hourly.bucket).toBe("hour");
    // Dense: the last 48 hours, oldest first, the current hour last.
    expect(hourly.buckets).toHaveLength(48);
    const last = hourly.buckets.at(-1)!;
    expect(Date.parse(last.start)).toBeLessThanOrEqual(Date.now());
    expect(Date.parse(last.start) + 3_600_000).toBeGreaterThan(asked);
    expect(Date.parse(hourly.to)).toBe(Date.parse(last.start) + 3_600_000);
    // Three answered requests of this tenant (the admin calls are not its traffic), one refused as not_found.
    expect(total(hourly)).toEqual({ requests: 3, tokens: usage.tokens, cost: usage.cost, refusals: { not_found: 1 } });
    expect(usage.cost).toBeGreaterThanOrEqual(0.002);
    // All of it in the last two hours (the test may cross an hour's turn).
    expect(hourly.buckets.slice(0, -2).every((b) => b.requests === 0 && b.tokens === 0 && Object.keys(b.refusals).length === 0)).toBe(true);

    const daily = await history(id, "?bucket=day");
    expect(daily.buckets).toHaveLength(30);
    expect(total(daily)).toEqual(total(hourly));
    expect(daily.buckets.every((b) => b.start.endsWith("T00:00:00.000Z"))).toBe(true);

    const theirs = await history(other.id);
    expect(total(theirs)).toMatchObject({ requests: 1, refusals: {} });
  });

  it("answers an explicit range, and refuses a wrong query with the field named", async () => {
    const { id } = await createTenant();
    const ranged = await history(id, "?bucket=hour&from=2026-01-01T00:30:00Z&to=2026-01-01T05:10:00Z");
    expect(ranged.buckets.map((b) => b.start)).toEqual(["00", "01", "02", "03", "04", "05"].map((h) => `2026-01-01T${h}:00:00.000Z`));
    for (const [query, path] of [
      ["?bucket=week", "bucket"],
      ["?from=yesterday", "from"],
      ["?from=2026-01-02T00:00:00Z&to=2026-01-01T00:00:00Z", "from"],
      ["?bucket=hour&from=2025-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "from"],
    ] as const) {
      const res = await admin(`/tenants/${id}/usage/history${query}`);
      expect(res.status, query).toBe(400);
      const p = (await problem(res)) as unknown as { code: string; errors: Array<{ path: string }> };
      expect(p.code).toBe("invalid_request");
      expect(p.errors.map((e) => e.path)).toContain(path);
    }
    expect((await admin("/tenants/no-such-tenant/usage/history")).status).toBe(404);
    expect((await call(`/admin/v1/tenants/${id}/usage/history`)).status).toBe(401);
  });

  it("goes with its tenant", async () => {
    const { id } = await createTenant({ policy: { screening: { mode: "off" } } });
    const { key } = await issueKey(id);
    expect((await chat(id, key)).status).toBe(200);
    await eventually(async () => expect(total(await history(id)).requests).toBe(1));
    expect((await admin(`/tenants/${id}`, "DELETE")).status).toBe(204);
    await createTenant({ id, policy: { screening: { mode: "off" } } });
    expect((await history(id)).buckets.every((b) => b.requests === 0)).toBe(true);
  });
});
