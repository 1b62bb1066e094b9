import { describe, expect, it } from "vitest";
import { admin, bearer, call, chatModel, createTenant, eventually, issueKey, json } from "../helpers/warden";

/** `GET /admin/v1/metrics` (CONTRACT §7): Prometheus text exposition, labelled tenant, model, code. */
async function scrape(): Promise<string> {
  const res = await admin("/metrics");
  expect(res.status).toBe(200);
  expect(res.headers.get("content-type")).toBe("text/plain; version=0.0.4; charset=utf-8");
  return res.text();
}

function value(text: string, name: string, labels: Record<string, string>): number | null {
  const want = Object.entries(labels);
  for (const line of text.split("\n")) {
    const m = /^([a-z_]+)\{(.*)\} (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...m[2]!.matchAll(/([a-z_]+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (want.every(([k, v]) => have[k] === v) && Object.keys(have).length === want.length) return Number(m[3]);
  }
  return null;
}

describe("metrics", () => {
  it("counts answers by tenant, model, route, status and code, with a duration histogram, and only for known tenants", async () => {
    const { id } = await createTenant({ models: [chatModel("chat")], policy: { screening: { mode: "off" } } });
    const { key, id: keyId } = await issueKey(id);
    const principal = `key:${keyId}`;
    for (let i = 0; i < 3; i++) expect((await call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 3 }, bearer(key)))).status).toBe(200);
    expect((await call(`/t/${id}/v1/chat/completions`, json({ model: "nope", messages: [{ role: "user", content: "hi" }] }, bearer(key)))).status).toBe(404);
    const stranger = `zz-${Math.random().toString(36).slice(2, 10)}`;
    expect((await call(`/t/${stranger}/v1/chat/completions`, json({ model: "chat", messages: [] }, bearer("junk")))).status).toBe(401);

    const text = await eventually(async () => {
      const t = await scrape();
      expect(value(t, "warden_requests_total", { tenant: id, model: "chat", principal, route: "chat", status: "200", code: "ok" })).toBe(3);
      expect(value(t, "warden_requests_total", { tenant: id, model: "", principal, route: "chat", status: "404", code: "not_found" })).toBe(1);
      return t;
    }, 15_000);
    expect(text).toContain("# TYPE warden_requests_total counter");
    expect(text).toContain("# TYPE warden_request_duration_seconds histogram");
    expect(value(text, "warden_request_duration_seconds_count", { tenant: id, model: "chat", route: "chat" })).toBe(3);
    expect(value(text, "warden_request_duration_seconds_bucket", { tenant: id, model: "chat", route: "chat", le: "+Inf" })).toBe(3);
    // Buckets are cumulative: never decreasing with le.
    const buckets = text.split("\n").filter((l) => l.startsWith("warden_request_duration_seconds_bucket{") && l.includes(`tenant="${id}"`) && l.includes('model="chat"'));
    const byLe = buckets.map((l) => [/le="([^"]+)"/.exec(l)![1] === "+Inf" ? Infinity : Number(/le="([^"]+)"/.exec(l)![1]), Number(l.split(" ").pop())] as const);
    expect(byLe.length).toBe(14);
    const counts = [...byLe].sort((a, b) => a[0] - b[0]).map(([, n]) => n);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    // A random tenant id in a refused request never becomes a label value.
    expect(text).not.toContain(stranger);
    expect(text).not.toContain(key);
  });

  it("is refused without the admin credential", async () => {
    const res = await call("/admin/v1/metrics");
    expect(res.status).toBe(401);
  });
});
