import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { admin, bearer, call, chatModel, createTenant, eventually, issueKey, json } from "../helpers/warden";

/**
 * Issue 12 item 3: Responses API logprobs get what chat logprobs get — the cap and the model's
 * probability plan, keyed per position (worker/protect/logprobs.ts), and the stronger plan for a
 * degraded principal — not only the cap. Compared with what the origin itself answers to the
 * same request (the demo model samples greedily at temperature 0, so both see one continuation).
 */
type Top = { token: string; logprob: number };
type Entry = Top & { top_logprobs: Top[] };
type Answer = { output: Array<{ content: Array<{ text: string; logprobs: Entry[] }> }> };

const ASK = { input: "Tell me about the river.", max_output_tokens: 12, temperature: 0, top_logprobs: 3, include: ["message.output_text.logprobs"] };

async function viaWarden(tenant: string, auth: Record<string, string>, extra: Record<string, unknown> = {}): Promise<Entry[]> {
  const res = await call(`/t/${tenant}/v1/responses`, json({ model: "chat", ...ASK, ...extra }, auth));
  expect(res.status).toBe(200);
  return ((await res.json()) as Answer).output[0]!.content[0]!.logprobs;
}

async function fromOrigin(): Promise<Entry[]> {
  const res = await fetch(`${env.ORIGIN_URL}/v1/responses`, json({ model: "chat", ...ASK }));
  expect(res.status).toBe(200);
  return ((await res.json()) as Answer).output[0]!.content[0]!.logprobs;
}

/** Every value of the list, chosen tokens and alternatives, in order. */
const values = (entries: Entry[]) => entries.flatMap((e) => [e.logprob, ...e.top_logprobs.map((t) => t.logprob)]);

/** The typed events of a streamed answer, by type. */
async function streamed(tenant: string, auth: Record<string, string>): Promise<Array<Record<string, unknown>>> {
  const res = await call(`/t/${tenant}/v1/responses`, json({ model: "chat", ...ASK, stream: true }, auth));
  expect(res.status).toBe(200);
  const text = await res.text();
  return text
    .split("\n")
    .filter((l) => l.startsWith("data: ") && l !== "data: [DONE]")
    .map((l) => JSON.parse(l.slice(6)) as Record<string, unknown>);
}

describe("Responses API logprobs get the model's probability plan", () => {
  it("perturbs them with keyed noise: not the origin's values, the same when asked again, and a stream's deltas match its done events and the whole answer", async () => {
    const { id } = await createTenant({ models: [chatModel("chat", "", { protection: { probabilities: { mode: "laplace", epsilon: 20 } } })] });
    const auth = bearer((await issueKey(id)).key);
    const raw = await fromOrigin();
    const first = await viaWarden(id, auth);
    expect(first.map((e) => e.token)).toEqual(raw.map((e) => e.token));
    expect(values(first)).not.toEqual(values(raw));
    for (const e of first) expect(e.top_logprobs.length).toBeLessThanOrEqual(3);
    expect(await viaWarden(id, auth)).toEqual(first);

    const events = await streamed(id, auth);
    const deltas = events.filter((e) => e.type === "response.output_text.delta").flatMap((e) => e.logprobs as Entry[]);
    expect(deltas.map((e) => e.token)).toEqual(raw.map((e) => e.token));
    expect(values(deltas)).toEqual(values(first));
    const part = events.find((e) => e.type === "response.content_part.done")!.part as { logprobs: Entry[] };
    expect(values(part.logprobs)).toEqual(values(first));
    const completed = (events.find((e) => e.type === "response.completed")!.response as Answer).output[0]!.content[0]!;
    expect(values(completed.logprobs)).toEqual(values(first));
  });

  it("caps but does not change them for a model without a plan; a degraded principal gets the stronger plan (values rounded to 0.1)", async () => {
    const { id } = await createTenant({ models: [chatModel("chat", "", { protection: { logprobs: { max_top_logprobs: 2 } } })] });
    const raw = await fromOrigin();
    const plain = await viaWarden(id, bearer((await issueKey(id)).key));
    expect(plain.map((e) => e.logprob)).toEqual(raw.map((e) => e.logprob));
    expect(plain.map((e) => e.top_logprobs)).toEqual(raw.map((e) => e.top_logprobs.slice(0, 2)));

    // degrade_at 0: every principal of this tenant is degraded from its first request on.
    const { id: wary } = await createTenant({ models: [chatModel("chat")], policy: { extraction: { mode: "on", degrade_at: 0, block_at: 1, cooldown_s: 900 } } });
    const key = await issueKey(wary);
    const auth = bearer(key.key);
    await viaWarden(wary, auth, { input: "warm up" });
    // The usage index is written after the answer: wait for it.
    await eventually(async () => {
      const usage = (await (await admin(`/tenants/${wary}/usage`)).json()) as { principals: Array<{ principal: string; extraction: { state: string } }> };
      expect(usage.principals.find((p) => p.principal === `key:${key.id}`)?.extraction.state).toBe("degraded");
    });
    const degraded = await viaWarden(wary, auth);
    expect(degraded.map((e) => e.token)).toEqual(raw.map((e) => e.token));
    expect(values(degraded)).not.toEqual(values(raw));
    for (const v of values(degraded)) {
      if (v === -9999) continue;
      const p = Math.exp(v);
      expect(Math.abs(p * 10 - Math.round(p * 10)), `exp(${v}) is not a multiple of 0.1`).toBeLessThan(1e-6);
    }
  });
});
