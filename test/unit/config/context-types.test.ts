import { describe, expectTypeOf, it } from "vitest";
import { Hono } from "hono";
import { createMiddleware } from "hono/factory";
import type { AdminEnv, DataEnv, DataPlaneEnv, RootEnv } from "../../../worker/context";
import type { Model, Tenant } from "../../../worker/config/tenant";
import type { RouteKind } from "../../../worker/pipeline/route";

/**
 * The planes' context types (issue 11 #4): checked by `tsc --noEmit`, which compiles test/**.
 * A variable a plane's middleware guarantees is typed present; one it never sets is not there.
 */
describe("context types per plane", () => {
  it("data plane: the tenant authentication set is present", () => {
    expectTypeOf<DataEnv["Variables"]["tenant"]>().toEqualTypeOf<Tenant>();
    expectTypeOf<DataEnv["Variables"]["masterKey"]>().toEqualTypeOf<Uint8Array>();
    expectTypeOf<DataEnv["Variables"]>().not.toHaveProperty("adminPrincipal");
  });

  it("data plane: the model and route kind, known only after routing and validation, are typed as possibly missing", () => {
    // The stages get them as arguments (worker/pipeline/run.ts); the context carries them for metrics and the refusal log.
    expectTypeOf<DataEnv["Variables"]["model"]>().toEqualTypeOf<Model | undefined>();
    expectTypeOf<DataEnv["Variables"]["route"]>().toEqualTypeOf<RouteKind | undefined>();
    // A kind the route table does not define is refused at compile time.
    // @ts-expect-error: "chat-completions" is not a route kind.
    const unknownKind: DataEnv["Variables"]["route"] = "chat-completions";
    void unknownKind;
  });

  it("data plane: a route reads the tenant only behind a middleware typed DataEnv (as authenticate is)", () => {
    expectTypeOf<DataPlaneEnv["Variables"]>().not.toHaveProperty("tenant");
    const authenticate = createMiddleware<DataEnv>(async (_c, next) => next());
    const plane = new Hono<DataPlaneEnv>();
    // @ts-expect-error: without authentication in front, the route has no tenant to read.
    plane.get("/open", (c) => c.text(c.get("tenant").id));
    plane.get("/guarded", authenticate, (c) => c.text(c.get("tenant").id));
  });

  it("admin plane: an admin principal, and no tenant", () => {
    expectTypeOf<AdminEnv["Variables"]["adminPrincipal"]>().toEqualTypeOf<string>();
    expectTypeOf<AdminEnv["Variables"]>().not.toHaveProperty("tenant");
    expectTypeOf<AdminEnv["Variables"]>().not.toHaveProperty("principal");
  });

  it("root app (onError, metrics): a plane's variables may be missing", () => {
    expectTypeOf<RootEnv["Variables"]["tenant"]>().toEqualTypeOf<Tenant | undefined>();
    expectTypeOf<RootEnv["Variables"]["masterKey"]>().toEqualTypeOf<Uint8Array | undefined>();
    expectTypeOf<RootEnv["Variables"]["requestId"]>().toEqualTypeOf<string>();
  });
});
