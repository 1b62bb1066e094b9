import { Hono, type Context } from "hono";
import type { DataEnv, DataPlaneEnv } from "./context";
import { WardenError } from "./errors";
import { authenticate, authenticateCached } from "./pipeline/auth";
import { runForwarded } from "./pipeline/run";
import { ROUTES } from "./protocols/routes";
import type { DataRoute } from "./pipeline/route";
import { SERVER_METADATA } from "./protocols/oip";
import { allowedModel } from "./pipeline/scopes";

/**
 * The data plane: `/t/{tenant}/{origin path}` (CONTRACT §4). Everything below authenticates first:
 * forwarded routes may admit from the isolate's cache (their budget admission checks the
 * configuration version); the others, which no budget object sees, read the tenant's object.
 */
export const dataPlane = new Hono<DataPlaneEnv>();

/** The OpenAI models this credential may use, as OpenAI's model objects (answered by Warden, not the origin). */
function visibleModels(c: Context<DataEnv>) {
  return c.get("tenant").models
    .filter((m) => m.protocol === "openai" && allowedModel(c.get("principal"), m.name))
    .map((m) => ({ id: m.name, object: "model", created: 0, owned_by: c.get("tenant").id }));
}

dataPlane.get("/v1/models", authenticate, (c) => c.json({ object: "list", data: visibleModels(c) }));

// A model out of the credential's scope is as absent as an unknown one: listing reveals neither.
dataPlane.get("/v1/models/:model{.+}", authenticate, (c) => {
  const model = visibleModels(c).find((m) => m.id === c.req.param("model"));
  if (!model) throw new WardenError("not_found", "No such model for this tenant.");
  return c.json(model);
});

// Server readiness is Warden's own: it is ready when it can serve this tenant's OIP models.
dataPlane.get("/v2/health/ready", authenticate, (c) => c.json({ ready: c.get("tenant").models.some((m) => m.protocol === "oip") }));
dataPlane.get("/v2/health/live", authenticate, (c) => c.json({ live: true }));
// So is the server's metadata: the tenant's OIP models may live on several origins.
dataPlane.get("/v2", authenticate, (c) => c.json(SERVER_METADATA));

function mount(method: "get" | "post", path: string, spec: DataRoute) {
  dataPlane[method](path, authenticateCached, async (c: Context<DataEnv>) => {
    c.set("route", spec.kind);
    const res = await runForwarded(c, spec);
    // Warden's own refusals are thrown: a 404/405 here is the origin's, for a route it does not serve.
    if (spec.unserved && (res.status === 404 || res.status === 405)) {
      const text = await res.text();
      const refusal = spec.unserved(c, { status: res.status, text });
      if (refusal) throw refusal;
      return new Response(text, res);
    }
    return res;
  });
}
for (const route of ROUTES) mount(route.method, route.path, route);

dataPlane.all("*", authenticate, () => {
  throw new WardenError("not_found", "No such route on the data plane.");
});
