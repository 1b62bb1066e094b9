import type { Context } from "hono";
import type { DataEnv } from "../context";
import type { Model } from "../config/model";
import { responseHeaders } from "../origin/forward";
import { reportedUsage } from "../protocols/usage";
import { sseTransform } from "./sse";
import type { Lease } from "./budget-stage";
import type { PreparedOf, RouteKind, RouteSpec } from "./route";
import { ProtectionKeys } from "./protection-keys";
import { protectJson, type JsonProtectionContext } from "./protect-json";
import { WardenError } from "../errors";
import { StreamProtector, streamUsage } from "./protect-stream";
import type { Charge } from "../budget/cost";
import { createBodyDigest, sha256Base64url, signReceipt } from "../protect/receipts";
import type { WatermarkRecord } from "../../durable-objects/tenant";
import { tenantObject } from "../clients/tenant";
import { recordMargins } from "./extraction";
import { isGuardError, responseGuardFor } from "../guard/session";
import { errorFields, log } from "../log";
import { isObject } from "../json";
import { originFailureCause } from "../log-origin";

export interface ProtectInput {
  route: RouteSpec<RouteKind>;
  prepared: PreparedOf<RouteKind>;
  model: Model;
  upstream: Response;
  lease: Lease;
  injectedUsage: boolean;
  /** Extraction state of the principal is `degraded`: stronger protection, not announced. */
  degraded: boolean;
}

/**
 * The response side: reads usage to settle the lease, applies the model's output protection,
 * signs receipts, and passes streams on event by event. Settlement runs exactly once on every
 * path out, including a client that hangs up mid-stream (charged what passed, see streamCharge).
 */
export async function protectResponse(c: Context<DataEnv>, input: ProtectInput): Promise<Response> {
  const { upstream, lease, model } = input;
  const headers = responseHeaders(upstream.headers);
  for (const [k, v] of Object.entries(lease.headers)) headers[k.toLowerCase()] = v;
  const type = (upstream.headers.get("content-type") ?? "").toLowerCase();
  const keys = new ProtectionKeys(c.get("masterKey"), c.get("tenant"), model.name, c.get("principal").id);
  const records: WatermarkRecord[] = [];
  const ctx: JsonProtectionContext = {
    model, request: input.prepared.body, infer: input.route.anomalyRows?.(input.prepared) ?? null, principal: c.get("principal").id, degraded: input.degraded, keys, records, margins: [],
    guard: responseGuardFor(c, model, input.route.guard, input.prepared.body, input.prepared),
  };

  if (model.protection.text_watermark || model.protection.embeddings?.watermark) notePrincipal(c);

  if (type.startsWith("text/event-stream") && upstream.body && upstream.status < 300) {
    return new Response(streamBody(c, input, ctx), { status: upstream.status, headers });
  }
  let passed: string | ArrayBuffer;
  if (type.includes("json") && upstream.status < 300) {
    const text = await readOrigin(upstream, lease, () => upstream.text());
    let json: unknown = null;
    try {
      json = JSON.parse(text);
    } catch {
      // Not JSON after all: one of the answers Warden cannot read, below.
    }
    if (isObject(json)) {
      // Settlement is sent before the answer leaves (not waited for, see BudgetLease.settle): a
      // client that sends its next request as soon as this one is answered must never be refused
      // by this request's own slot or reservation.
      // No usage in the answer: what it cost is unknown, so it costs what was reserved.
      await lease.settle(reportedUsage(json) ?? lease.reserved);
      const body = JSON.stringify(await protectJson(json, ctx, input.route.protectAnswer));
      if (records.length > 0) c.executionCtx.waitUntil(storeRecords(c, records));
      recordMargins(c, ctx.margins);
      if (model.protection.receipts) headers["x-warden-receipt"] = await receipt(c, keys, model, await sha256Base64url(body));
      return new Response(body, { status: upstream.status, headers });
    }
    passed = text;
  } else {
    passed = await readOrigin(upstream, lease, () => upstream.arrayBuffer());
  }
  if (upstream.status < 300) await refuseUnreadable(input);
  // 4xx, and 2xx answers of models without output protection: the origin's own answer, as it is.
  // A 4xx generated nothing (not even its per-request price); a success Warden cannot read for
  // usage costs what was reserved.
  await lease.settle(upstream.status < 300 ? lease.reserved : null);
  if (model.protection.receipts) headers["x-warden-receipt"] = await receipt(c, keys, model, await sha256Base64url(passed));
  return new Response(passed, { status: upstream.status, headers });
}

/**
 * Reads the whole answer. An origin that resets the connection midway has delivered nothing
 * usable: the lease is settled with nothing charged, and the client gets origin_error.
 */
async function readOrigin<T>(upstream: Response, lease: Lease, read: () => Promise<T>): Promise<T> {
  try {
    return await read();
  } catch (err) {
    await lease.settle(null);
    // The per-origin timeout covers the body too: an answer still arriving then is a timeout.
    const { error: name, message } = errorFields(err);
    if (name === "TimeoutError") throw new WardenError("origin_timeout", "The model's origin did not answer in time.", { cause: err });
    throw new WardenError("origin_error", "The model's origin broke off its answer.", { reason: `origin body read failed: ${message}`, cause: err });
  }
}

/**
 * A 2xx answer Warden cannot parse (not JSON, or Triton's binary tensors) would skip every output
 * protection: on a model that has one it is an origin_error, never passed on. Without output
 * protection it passes through untouched (an OIP model serving images as binary tensors).
 */
async function refuseUnreadable(input: ProtectInput): Promise<void> {
  if (!input.route.outputProtected?.(input.model)) return;
  await input.lease.settle(null);
  throw new WardenError("origin_error", "The model's origin sent an answer Warden cannot read.", {
    reason: `unparsable 2xx answer (${input.upstream.headers.get("content-type") ?? "no content-type"}) on a model with output protection`,
  });
}

async function receipt(c: Context<DataEnv>, keys: ProtectionKeys, model: Model, bodySha256: string): Promise<string> {
  return signReceipt(await keys.receipt(), {
    tenant: c.get("tenant").id,
    principal: c.get("principal").id,
    model: model.name,
    request_id: c.get("requestId"),
    body_sha256: bodySha256,
  });
}

/** Once per isolate and principal: the principal becomes a candidate for watermark attribution. */
const noted = new Set<string>();
function notePrincipal(c: Context<DataEnv>): void {
  const id = `${c.get("tenant").id}\u0000${c.get("principal").id}`;
  if (noted.has(id)) return;
  if (noted.size > 10_000) noted.clear();
  noted.add(id);
  c.executionCtx.waitUntil(tenantObject(c.env, c.get("tenant").id).notePrincipal(c.get("principal").id));
}

function storeRecords(c: Context<DataEnv>, records: WatermarkRecord[]): Promise<void> {
  return tenantObject(c.env, c.get("tenant").id).recordWatermarks(records);
}

/** A stream's lease outlives the client's last read by this much; heartbeats renew it while it reads. */
const STREAM_IDLE_MS = 30_000;
const HEARTBEAT_MS = 10_000;
const STREAM_LEASE_MS = STREAM_IDLE_MS + HEARTBEAT_MS;

/**
 * The stream, event by event, and its settlement: the origin's usage when the stream completes;
 * what passed through (streamCharge) when the client hangs up, stops reading for STREAM_IDLE_MS,
 * or the origin breaks off after sending text; nothing when the origin breaks off before any.
 */
function streamBody(c: Context<DataEnv>, input: ProtectInput, ctx: JsonProtectionContext): ReadableStream<Uint8Array> {
  const protector = input.route.streamProtector?.(ctx, input.injectedUsage) ?? new StreamProtector(ctx, input.injectedUsage);
  const tally = () => ({ finalUsage: protector.finalUsage, runningUsage: protector.runningUsage, promptTokens: input.prepared.promptTokens, completionTokens: protector.completionTokens });
  // Every caller hands the settlement to waitUntil, so it outlives the request it ends. (Holding
  // a waitUntil open for the whole stream would stall anything that awaits the request's
  // waitUntil before reading the body.)
  let settled: Promise<void> | null = null;
  const settleOnce = (tokens: Charge | null) => {
    clearInterval(heartbeat);
    settled ??= input.lease.settle(tokens);
    return settled;
  };
  const digest = input.model.protection.receipts ? createBodyDigest() : null;
  let digesting: Promise<void> = Promise.resolve();
  const transformed = input.upstream.body!.pipeThrough(
    sseTransform({
      // The output guard may end the stream: its refusal goes out as an `event: error` (CONTRACT §6).
      data: ctx.guard
        ? (data) =>
            protector.event(data).catch((err: unknown) => {
              if (!isGuardError(err)) throw err;
              return { event: "error", data: ctx.guard!.errorEvent(err), close: true } as const;
            })
        : (data) => protector.event(data),
      sent(bytes) {
        if (digest) digesting = digesting.then(() => digest.update(bytes));
      },
      async end() {
        ctx.guard?.finish();
        c.executionCtx.waitUntil(settleOnce(streamUsage(tally(), true)));
        if (!digest) return "";
        await digesting;
        return `: warden-receipt ${await receipt(c, ctx.keys, input.model, await digest.finish())}\n\n`;
      },
    }),
  );
  const reader = transformed.getReader();
  let out: ReadableStreamDefaultController<Uint8Array> | null = null;
  let lastRead = Date.now();
  let reading = false;
  const hangUp = (reason: string) => {
    ctx.guard?.finish();
    c.executionCtx.waitUntil(settleOnce(streamUsage(tally(), false)));
    void reader.cancel(reason).catch(() => {});
  };
  // While the client reads, the lease is renewed; a client that stopped reading (its connection
  // dead without the runtime noticing) is hung up on, so its slot does not wait for the lease.
  const heartbeat = setInterval(() => {
    if (!reading && Date.now() - lastRead > STREAM_IDLE_MS) {
      hangUp("client stopped reading");
      try {
        out?.error(new Error("client stopped reading"));
      } catch {
        // Already closed.
      }
      return;
    }
    void input.lease.extend(STREAM_LEASE_MS);
  }, HEARTBEAT_MS);
  // From the first byte on, the lease lasts only as long as the heartbeats keep it: if this
  // request's context dies without a word (no abort, no cancel, no timers: seen under wrangler
  // dev), the slot comes back within STREAM_LEASE_MS instead of the origin worst case.
  c.executionCtx.waitUntil(input.lease.extend(STREAM_LEASE_MS));
  if (c.req.raw.signal.aborted) hangUp("client disconnected");
  else c.req.raw.signal.addEventListener("abort", () => hangUp("client disconnected"), { once: true });
  return new ReadableStream<Uint8Array>({
    start(controller) {
      out = controller;
    },
    async pull(controller) {
      reading = true;
      try {
        const { done, value } = await reader.read();
        if (done) controller.close();
        else controller.enqueue(value);
      } catch (err) {
        // The origin broke off: what already reached the client is charged, a stream that had
        // sent no text yet is an origin failure and costs nothing (CONTRACT §5).
        c.executionCtx.waitUntil(settleOnce(protector.completionTokens > 0 ? streamUsage(tally(), false) : null));
        // The answer's status is already sent, so no refusal is logged for it: this line is the operator's only trace.
        log("forward.origin_stream_broken", {
          request_id: c.get("requestId"),
          tenant: c.get("tenant").id,
          principal: c.get("principal").id,
          "gen_ai.request.model": input.model.name,
          cause: originFailureCause(err, "", false),
          completion_tokens_passed: protector.completionTokens,
          error: errorFields(err).error,
        });
        controller.error(err);
      } finally {
        reading = false;
        lastRead = Date.now();
      }
    },
    async cancel(reason) {
      hangUp(String(reason ?? "client disconnected"));
    },
  });
}
