import type { Context } from "hono";
import type { DataEnv } from "../context";
import type { Model } from "../config/model";
import { WardenError } from "../errors";
import { boundedMemo } from "../memo";
import { openHeaders } from "../config/sealing";
import { allowedModel } from "./scopes";
import { forward } from "../origin/forward";
import { protectResponse } from "./protect";
import { upstreamBody } from "./request-protection";
import type { PreparedOf, RouteKind, RouteSpec } from "./route";
import { screenStage, type ScreenOutcome } from "./screen";
import { budgetStage, type Lease } from "./budget-stage";
import { StaleConfig } from "./budget";
import { refreshIdentity } from "./auth";
import { extractionGate, observeExtraction } from "./extraction";
import type { ExtractionStanding } from "../../durable-objects/budget";

/**
 * The forwarded request, stage by stage: validate → budget → screen → origin → protect (auth ran
 * as middleware). Budget comes before screening on purpose: a client over its rate or concurrency
 * limit is refused by one object round trip, before the model scores its text or a screening
 * block reaches the audit log. Each stage is timed for Server-Timing. Once budget has admitted
 * the request, every path out — screening refusal, origin failure, client abort, success —
 * settles the lease exactly once.
 */
export async function runForwarded<K extends RouteKind>(c: Context<DataEnv>, route: RouteSpec<K>): Promise<Response> {
  const timing = c.get("timing");

  // Authentication may have admitted from the isolate's cache: the budget object knows the
  // current configuration version and answers stale when it moved on; then everything that read
  // the configuration runs again on a fresh read (a revoked key is refused there).
  let prepared: PreparedOf<K>;
  let model: Model;
  let lease: Lease;
  for (let attempt = 1; ; attempt++) {
    ({ prepared, model } = await timing.measure("validate", () => validate(c, route)));
    c.set("model", model);
    try {
      lease = await timing.measure("budget", () => budgetStage(c, prepared, model));
      break;
    } catch (err) {
      if (!(err instanceof StaleConfig) || attempt >= MAX_STALE) throw err;
      await refreshIdentity(c);
    }
  }
  let extraction: ExtractionStanding;
  try {
    extraction = extractionGate(c, lease);
  } catch (err) {
    await lease.settle(null);
    throw err;
  }
  observeExtraction(c, route, prepared, model, extraction);

  let screen: ScreenOutcome;
  try {
    screen = await timing.measure("screen", () => screenStage(c, model, prepared.texts, route.anomalyRows?.(prepared) ?? null, prepared.operatorTexts));
  } catch (err) {
    // Refused before anything reached the origin: the request counts, its tokens do not.
    await lease.settle(null);
    throw err;
  }

  const tenant = c.get("tenant");
  const principal = c.get("principal");
  const { body, injectedUsage } = upstreamBody(prepared, route, model);
  let upstream: Response;
  try {
    upstream = await timing.measure("origin", async () => {
      const master = c.get("masterKey");
      return forward({
        model,
        path: originPath(c),
        method: c.req.method,
        clientHeaders: c.req.raw.headers,
        body,
        requestId: c.get("requestId"),
        tenantId: tenant.id,
        principalId: principal.id,
        originHeaders: (o) => openHeaders(master, tenant.id, o.headers),
        allowLoopback: c.get("settings").allowLoopback,
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

/** Fresh reads racing configuration changes: after this many the request fails (500) rather than loop. */
const MAX_STALE = 3;

async function validate<K extends RouteKind>(c: Context<DataEnv>, route: RouteSpec<K>): Promise<{ prepared: PreparedOf<K>; model: Model }> {
  const tenant = c.get("tenant");
  const principal = c.get("principal");
  const prepared = await route.prepare(c);
  const model = tenant.models.find((m) => m.name === prepared.modelName && m.protocol === route.protocol);
  if (!model) throw new WardenError("not_found", "No such model for this tenant.");
  if (!allowedModel(principal, model.name)) throw new WardenError("forbidden", "This credential may not use this model.");
  if (prepared.body !== null) route.checkBody?.(prepared.body, model);
  return { prepared, model };
}

/** The origin's own path: the request path without the `/t/{tenant}` prefix, query kept. */
function originPath(c: Context<DataEnv>): string {
  // Cut the raw (still percent-encoded) first two segments: the origin gets exactly the rest.
  // A pure function of the URL string, and clients repeat the same few: parsed once per isolate.
  // Long URLs (unique query strings) are parsed each time rather than kept.
  const raw = c.req.url;
  return raw.length > MAX_MEMO_URL ? pathOf(raw) : originPaths(raw, () => pathOf(raw));
}

function pathOf(raw: string): string {
  const url = new URL(raw);
  return url.pathname.replace(/^\/t\/[^/]*/, "") + url.search;
}

const originPaths = boundedMemo<string, string>(256);
const MAX_MEMO_URL = 512;
