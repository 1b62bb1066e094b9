import { Hono } from "hono";
import type { RootEnv } from "./context";
import { ERROR_DESCRIPTIONS, ERROR_TABLE, WardenError, problemResponse, type ErrorCode } from "./errors";
import { Timing } from "./timing";
import { settingsOf } from "./config/settings";
import { admin } from "./admin";
import { consoleRoutes } from "./console";
import { dataPlane } from "./dataplane";
import { log } from "./log";
import { dialectFor } from "./protocols/error-dialects";
import { recordMetrics } from "./metrics/record";
import { jwks } from "./protect/receipts";

/**
 * The Warden app: request id and Server-Timing on every response, the public routes, then the
 * admin and data planes. Every error — ours, a bug, an unknown route — leaves through
 * `onError`/`notFound` as problem+json.
 */
export const app = new Hono<RootEnv>();

app.use("*", async function requestContext(c, next) {
  c.set("requestId", crypto.randomUUID());
  c.set("settings", settingsOf(c.env));
  c.set("timing", new Timing());
  const start = performance.now();
  await next();
  recordMetrics(c, performance.now() - start);
  c.res.headers.set("x-request-id", c.get("requestId"));
  // One entry per pipeline stage that ran; a route with no stages (admin, public) reports its total.
  c.res.headers.set("server-timing", c.get("timing").header() || `total;dur=${(performance.now() - start).toFixed(2)}`);
});

app.get("/healthz", (c) => {
  const missing: string[] = [];
  const { settings } = c.var;
  if (!settings.masterKey) missing.push("MASTER_KEY (32 random bytes, base64)");
  if (!settings.adminToken && !settings.adminJwt) {
    missing.push("ADMIN_TOKEN or ADMIN_JWT_ISSUER + ADMIN_JWT_AUDIENCE + ADMIN_JWKS_URL");
  }
  if (!settings.masterKey) return c.json({ status: "not_configured", missing }, 503);
  return c.json(missing.length ? { status: "ok", missing } : { status: "ok" });
});

// Public keys that verify response receipts (CONTRACT §6): this month's and last month's.
app.get("/.well-known/jwks.json", async (c) => {
  const master = c.get("settings").masterKey;
  if (!master) throw new WardenError("not_configured", "Warden is not configured: MASTER_KEY is missing or not 32 bytes of base64.");
  c.header("cache-control", "public, max-age=3600");
  return c.json(await jwks(master));
});

// Without a usable MASTER_KEY nothing that stores or reads secrets may run: fail closed.
app.use("*", async function requireConfigured(c, next) {
  const master = c.get("settings").masterKey;
  if (!master) {
    throw new WardenError("not_configured", "Warden is not configured: MASTER_KEY is missing or not 32 bytes of base64.");
  }
  c.set("masterKey", master);
  await next();
});

// A problem's `type` is `/errors/<code>`: dereferencing it explains the code.
app.get("/errors/:code", (c) => {
  const code = c.req.param("code");
  if (!Object.hasOwn(ERROR_TABLE, code)) throw new WardenError("not_found", "No such error code.");
  const { status, title } = ERROR_TABLE[code as ErrorCode];
  return c.json({ code, status, title, description: ERROR_DESCRIPTIONS[code as ErrorCode] });
});
app.route("/admin/v1", admin);
app.route("/", consoleRoutes);
app.route("/t/:tenant", dataPlane);

app.notFound(() => {
  throw new WardenError("not_found", "No such route.");
});

app.onError((err, c) => {
  const requestId = c.get("requestId") ?? crypto.randomUUID();
  const dialect = dialectFor(c.req.path);
  c.set("errorCode", err instanceof WardenError ? err.code : "internal");
  c.set("errorReason", err instanceof WardenError ? err.reason : undefined);
  if (err instanceof WardenError) {
    // A refusal may come before a plane set any of these (an unknown tenant, a bad admin token).
    const tenant = c.get("tenant"), principal = c.get("principal"), model = c.get("model");
    // Every refusal, with its reason (the operator-only one, else what the client was told),
    // under OpenTelemetry's names where they apply (error.type, gen_ai.request.model).
    log("request.refused", {
      request_id: requestId,
      method: c.req.method,
      path: c.req.path,
      code: err.code,
      "error.type": err.code,
      "http.response.status_code": err.status,
      ...(tenant ? { tenant: tenant.id } : {}),
      ...(principal ? { principal: principal.id } : {}),
      ...(model ? { "gen_ai.request.model": model.name } : {}),
      detail: err.message,
      reason: err.reason ?? err.message,
    });
    return problemResponse(err, requestId, {}, dialect);
  }
  // A bug: log what it was for the operator; the client learns only that it happened.
  log("request.internal_error", { request_id: requestId, error: err.name, message: err.message, stack: err.stack });
  return problemResponse(new WardenError("internal", "Something went wrong inside Warden."), requestId, {}, dialect);
});
