import { afterEach, describe, expect, it, vi } from "vitest";
import { admin, call, createTenant } from "../helpers/warden";
import { captureLog } from "../helpers/operator-log";

/** What the operator's log says about refused admin changes (one JSON line per event). */

describe("operator log", () => {
  afterEach(() => vi.restoreAllMocks());

  it("says why an admin request was refused (400, 401, 409), without the secrets it carried", async () => {
    const { id } = await createTenant();
    const log = captureLog();
    expect((await admin("/tenants", "POST", { id, name: "again", models: [], policy: {} })).status).toBe(409);
    expect((await admin("/tenants", "POST", { id: "Bad Id", name: "x", models: [], policy: { auth: { jwt: { secret: "S3CRET-VALUE-that-is-32-bytes-long!!" } } } })).status).toBe(400);
    expect((await call("/admin/v1/tenants", { headers: { authorization: "Bearer WRONG-ADMIN-TOKEN" } })).status).toBe(401);
    const events = log.events().filter((e) => e.event === "request.refused");
    expect(events.map((e) => e.code)).toEqual(["conflict", "invalid_request", "unauthorized"]);
    for (const e of events) {
      expect(typeof e.detail).toBe("string");
      expect(e.path).toBe("/admin/v1/tenants");
    }
    expect(log.raw()).not.toContain("S3CRET-VALUE");
    expect(log.raw()).not.toContain("WRONG-ADMIN-TOKEN");
  });
});
