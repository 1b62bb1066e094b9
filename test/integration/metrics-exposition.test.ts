import { describe, expect } from "vitest";
import parsePrometheusTextFormat, { type PromFamily, type PromSample } from "parse-prometheus-text-format";
import { admin, bearer, call, chatModel, createTenant, eventually, issueKey, json } from "../helpers/warden";
import { itInOneUtcDay } from "../helpers/clock";

/**
 * `GET /admin/v1/metrics` read by a real Prometheus text-format parser (parse-prometheus-text-format,
 * a port of the Prometheus Python client's parser, prom2json output): per tenant, model and
 * principal — requests by status and code, refusals by reason, tokens, cost, origin latency.
 */
async function scrape(): Promise<PromFamily[]> {
  const res = await admin("/metrics");
  expect(res.status).toBe(200);
  return parsePrometheusTextFormat(await res.text());
}

/**
 * The same text with histograms read series by series: the parser folds a histogram family into
 * one unlabelled series (it keeps only `le`), so without the TYPE lines each `_bucket`, `_count`
 * and `_sum` is parsed as a family of its own, labels kept.
 */
async function scrapeSeries(): Promise<PromFamily[]> {
  const res = await admin("/metrics");
  const text = await res.text();
  return parsePrometheusTextFormat(text.split("\n").filter((l) => !/^# TYPE \S+ histogram$/.test(l)).join("\n"));
}

const family = (fams: PromFamily[], name: string) => fams.find((f) => f.name === name);
const matching = (f: PromFamily | undefined, labels: Record<string, string>): PromSample[] =>
  (f?.metrics ?? []).filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v));
const sum = (samples: PromSample[]) => samples.reduce((s, m) => s + Number(m.value), 0);

describe("metrics through a Prometheus parser", () => {
  // The fourth request is refused by requests_per_day 3: only within one UTC day.
  itInOneUtcDay("exposes requests, refusals by reason, tokens, cost and origin latency per tenant, model and principal", async () => {
    const pricing = { input_per_million: 2, output_per_million: 8, per_request: 0.00001 };
    const { id } = await createTenant({
      models: [chatModel("chat", "", { pricing }), chatModel("down", "/status/503")],
      policy: { screening: { mode: "off" } },
    });
    const { key, id: keyId } = await issueKey(id, { name: "metered", limits: { requests_per_day: 3 } });
    const principal = `key:${keyId}`;
    const send = (model: string) => call(`/t/${id}/v1/chat/completions`, json({ model, messages: [{ role: "user", content: "Tell me about the sea" }], max_tokens: 6 }, bearer(key)));
    let input = 0;
    let output = 0;
    let costMicro = 0;
    for (let i = 0; i < 2; i++) {
      const res = await send("chat");
      expect(res.status).toBe(200);
      const u = ((await res.json()) as { usage: { prompt_tokens: number; completion_tokens: number } }).usage;
      input += u.prompt_tokens;
      output += u.completion_tokens;
      costMicro += Math.ceil(u.prompt_tokens * 2 + u.completion_tokens * 8) + 10;
    }
    expect((await send("down")).status).toBe(502);
    const refused = await send("chat");
    expect(refused.status).toBe(429);
    await refused.arrayBuffer();

    const fams = await eventually(async () => {
      const f = await scrape();
      expect(sum(matching(family(f, "warden_requests_total"), { tenant: id, principal, code: "ok" }))).toBe(2);
      expect(sum(matching(family(f, "warden_refusals_total"), { tenant: id, principal }))).toBe(1);
      // Tokens and cost come from the settlements (waitUntil), the 502 from its own answer: wait for
      // every count below, not for the first of them to appear.
      expect(sum(matching(family(f, "warden_requests_total"), { tenant: id, model: "down", principal, status: "502" }))).toBe(1);
      expect(sum(matching(family(f, "warden_tokens_total"), { tenant: id, model: "chat", principal, type: "output" }))).toBe(output);
      expect(Math.round(sum(matching(family(f, "warden_cost_usd_total"), { tenant: id, model: "chat", principal })) * 1e6)).toBe(costMicro);
      return f;
    }, 15_000);

    for (const [name, type] of [
      ["warden_requests_total", "COUNTER"],
      ["warden_refusals_total", "COUNTER"],
      ["warden_tokens_total", "COUNTER"],
      ["warden_cost_usd_total", "COUNTER"],
      ["warden_request_duration_seconds", "HISTOGRAM"],
      ["warden_origin_duration_seconds", "HISTOGRAM"],
      ["warden_screening_total", "COUNTER"],
      ["warden_screening_score", "HISTOGRAM"],
    ] as const) expect(family(fams, name)?.type, name).toBe(type);

    const requests = family(fams, "warden_requests_total");
    expect(sum(matching(requests, { tenant: id, model: "chat", principal, route: "chat", status: "200", code: "ok" }))).toBe(2);
    expect(sum(matching(requests, { tenant: id, model: "down", principal, status: "502", code: "origin_error" }))).toBe(1);
    expect(sum(matching(requests, { tenant: id, principal, status: "429", code: "quota_exceeded" }))).toBe(1);
    // The refusal says which limit refused it; an origin failure is not a refusal.
    const refusals = matching(family(fams, "warden_refusals_total"), { tenant: id, principal });
    expect(refusals.map((m) => [m.labels!.code, m.labels!.reason, m.value])).toEqual([["quota_exceeded", "principal_requests_day", "1"]]);

    const tokens = family(fams, "warden_tokens_total");
    expect(sum(matching(tokens, { tenant: id, model: "chat", principal, type: "input" }))).toBe(input);
    expect(sum(matching(tokens, { tenant: id, model: "chat", principal, type: "output" }))).toBe(output);
    const cost = sum(matching(family(fams, "warden_cost_usd_total"), { tenant: id, model: "chat", principal }));
    expect(Math.round(cost * 1e6)).toBe(costMicro);

    // Origin latency: every request that reached an origin (two answers and one failure).
    const series = await scrapeSeries();
    expect(sum(matching(family(series, "warden_origin_duration_seconds_count"), { tenant: id }))).toBe(3);
    expect(sum(matching(family(series, "warden_origin_duration_seconds_count"), { tenant: id, model: "down" }))).toBe(1);
    expect(sum(matching(family(series, "warden_origin_duration_seconds_bucket"), { tenant: id, model: "chat", le: "+Inf" }))).toBe(2);
    expect(sum(matching(family(series, "warden_origin_duration_seconds_sum"), { tenant: id }))).toBeGreaterThan(0);
    // Buckets are cumulative: never decreasing with le.
    const buckets = matching(family(series, "warden_origin_duration_seconds_bucket"), { tenant: id, model: "chat" })
      .map((m) => [m.labels!.le === "+Inf" ? Infinity : Number(m.labels!.le), Number(m.value)] as const)
      .sort((a, b) => a[0] - b[0]);
    expect(buckets.length).toBe(14);
    expect(buckets.map(([, n]) => n)).toEqual([...buckets.map(([, n]) => n)].sort((a, b) => a - b));
    // The admin credential and the key never appear as label values.
    expect(JSON.stringify(fams)).not.toContain(key);
  });
});
