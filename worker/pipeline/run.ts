import type { Context } from "hono";
import type { AppEnv } from "../context";
import type { Model } from "../config/model";
import { WardenError } from "../errors";
import { parseMasterKey } from "../crypto/master-key";
import { openHeaders } from "../config/sealing";
import { allowedModel } from "./scopes";
import { forward } from "./forward";
import { protectResponse } from "./protect";
import { checkRequestProtection, upstreamBody } from "./request-protection";
import { checkInputs, type InferRequest } from "../protocols/oip";
import { screenStage, type ScreenOutcome } from "./screen";
import { budgetStage } from "./budget-stage";
import { extractionGate, observeExtraction } from "./extraction";
import type { ExtractionStanding } from "../../durable-objects/budget";

/** What a route's `prepare` learns from the request, for the stages after it. */
export interface Prepared {
  modelName: string;
  body: Record<string, unknown> | null;
  texts: string[];
  stream: boolean;
  /** Tokens to reserve before forwarding: completion maximum × choices + prompt bound (0 = a route that spends no tokens). */
  reserveTokens: number;
  /** Upper bound of the prompt's tokens (part of `reserveTokens`), charged for a stream cut short. */
  promptTokens: number;
  /** Completion maximum per choice, sent upstream; null for routes that generate no text. */
  maxTokens: number | null;
}

export interface RouteSpec {
  method: "get" | "post";
  path: string;
  protocol: Model["protocol"];
  kind: "chat" | "completion" | "responses" | "messages" | "embedding" | "infer" | "metadata" | "ready";
  prepare(c: Context<AppEnv>): Promise<Prepared>;
}

/**
 * The forwarded request, stage by stage: validate → budget → screen → origin → protect (auth ran
 * as middleware). Budget comes before screening on purpose: a client over its rate or concurrency
 * limit is refused by one object round trip, before the model scores its text or a screening
 * block reaches the audit log. Each stage is timed for Server-Timing. Once budget has admitted
 * the request, every path out — screening refusal, origin failure, client abort, success —
 * settles the lease exactly once.
 */
export async function runForwarded(c: Context<AppEnv>, route: RouteSpec): Promise<Response> {
  const { timing, tenant, principal } = c.var;

  const { prepared, model } = await timing.measure("validate", async () => {
    const prepared = await route.prepare(c);
    const model = tenant.models.find((m) => m.name === prepared.modelName && m.protocol === route.protocol);
    if (!model) throw new WardenError("not_found", "No such model for this tenant.");
    if (!allowedModel(principal, model.name)) throw new WardenError("forbidden", "This credential may not use this model.");
    if (route.kind === "infer") checkInputs(prepared.body as InferRequest, model.inputs);
    if (prepared.body) checkRequestProtection(model, prepared.body);
    return { prepared, model };
  });
  c.set("model", model);

  // One round trip: the principal's budget object admits, and knows its extraction standing.
  const lease = await timing.measure("budget", () => budgetStage(c, prepared));
  let extraction: ExtractionStanding;
  try {
    extraction = extractionGate(c, lease);
  } catch (err) {
    await lease.settle(null);
    throw err;
  }
  observeExtraction(c, route, prepared, extraction);

  let screen: ScreenOutcome;
  try {
    screen = await timing.measure("screen", () => screenStage(c, prepared.texts, route.kind === "infer" ? (prepared.body as InferRequest) : null));
  } catch (err) {
    // Refused before anything reached the origin: the request counts, its tokens do not.
    await lease.settle(null);
    throw err;
  }

  const { body, injectedUsage } = upstreamBody(prepared, route, model);
  let upstream: Response;
  try {
    upstream = await timing.measure("origin", async () => {
      const master = parseMasterKey(c.env.MASTER_KEY)!;
      return forward({
        model,
        path: originPath(c),
        method: c.req.method,
        clientHeaders: c.req.raw.headers,
        body,
        requestId: c.var.requestId,
        tenantId: tenant.id,
        principalId: principal.id,
        originHeaders: (o) => openHeaders(master, tenant.id, o.headers),
        allowLoopback: c.env.ALLOW_LOOPBACK_ORIGINS === "true",
        clientSignal: c.req.raw.signal,
      });
    });
  } catch (err) {
    await lease.settle(null);
    throw err;
  }
  const response = await timing.measure("protect", () => protectResponse(c, { route, prepared, model, upstream, lease, injectedUsage, degraded: extraction.state === "degraded" }));
  for (const [name, value] of Object.entries(screen.headers)) response.headers.set(name, value);
  return response;
}

/** The origin's own path: the request path without the `/t/{tenant}` prefix, query kept. */
function originPath(c: Context<AppEnv>): string {
  // Cut the raw (still percent-encoded) first two segments: the origin gets exactly the rest.
  const url = new URL(c.req.url);
  return url.pathname.replace(/^\/t\/[^/]*/, "") + url.search;
}
