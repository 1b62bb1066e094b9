import type { Context } from "hono";
import type { AppEnv } from "../context";
import type { Model } from "../config/model";
import { responseHeaders } from "./forward";
import { reportedTotalTokens } from "../protocols/openai";
import { sseTransform } from "./sse";
import type { Lease } from "./budget-stage";
import type { Prepared, RouteSpec } from "./run";
import type { ScreenResult } from "./screen";

export interface ProtectInput {
  route: RouteSpec;
  prepared: Prepared;
  model: Model;
  upstream: Response;
  lease: Lease;
  screen: ScreenResult | null;
  injectedUsage: boolean;
}

/**
 * The response side: reads usage to settle the lease, applies the model's output protection,
 * and passes streams on event by event. Settlement runs exactly once on every path out,
 * including a client that hangs up mid-stream (which is charged nothing).
 */
export async function protectResponse(c: Context<AppEnv>, input: ProtectInput): Promise<Response> {
  const { upstream, lease } = input;
  const headers = responseHeaders(upstream.headers);
  for (const [k, v] of Object.entries(lease.headers)) headers.set(k, v);
  const type = (upstream.headers.get("content-type") ?? "").toLowerCase();

  if (type.startsWith("text/event-stream") && upstream.body) {
    return new Response(streamBody(c, input), { status: upstream.status, headers });
  }
  if (type.includes("json") && upstream.status < 300) {
    const text = await upstream.text();
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // An origin that claims JSON and sends something else: pass it on untouched.
    }
    await lease.settle(reportedTotalTokens(json) ?? 0);
    return new Response(text, { status: upstream.status, headers });
  }
  // 4xx and anything else: the origin's own answer, as it is; nothing was generated to charge.
  const body = await upstream.arrayBuffer();
  await lease.settle(0);
  return new Response(body, { status: upstream.status, headers });
}

type StreamChunk = { usage?: unknown; choices?: unknown[] };

function streamBody(c: Context<AppEnv>, input: ProtectInput): ReadableStream<Uint8Array> {
  let total: number | null = null;
  let settled: Promise<void> | null = null;
  const settleOnce = (tokens: number | null) => (settled ??= input.lease.settle(tokens));
  const transformed = input.upstream.body!.pipeThrough(
    sseTransform({
      data(data) {
        if (data === "[DONE]") return data;
        let chunk: StreamChunk | null;
        try {
          chunk = JSON.parse(data) as StreamChunk | null;
        } catch {
          return data;
        }
        const tokens = reportedTotalTokens(chunk);
        if (tokens !== null) total = tokens;
        if (!input.injectedUsage || chunk === null || !("usage" in chunk)) return data;
        // Usage Warden asked for on the client's behalf is not the client's to see: drop the
        // usage-only chunk, and the `"usage": null` the origin then adds to every other chunk.
        if (Array.isArray(chunk.choices) && chunk.choices.length === 0) return null;
        delete chunk.usage;
        return JSON.stringify(chunk);
      },
      end() {
        c.executionCtx.waitUntil(settleOnce(total ?? 0));
        return "";
      },
    }),
  );
  const reader = transformed.getReader();
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (err) {
        c.executionCtx.waitUntil(settleOnce(null));
        controller.error(err);
      }
    },
    async cancel(reason) {
      c.executionCtx.waitUntil(settleOnce(null));
      await reader.cancel(reason).catch(() => {});
    },
  });
}
