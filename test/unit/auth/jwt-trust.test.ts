import { describe, expect, it } from "vitest";
import { separated, trustOf } from "../../../worker/auth/jwt-trust";
import { acceptableType, boundToTenant } from "../../../worker/auth/jwt";
import { TenantSchema } from "../../../worker/config/tenant";
import type { JwtPolicy } from "../../../worker/config/policy";

const tenant = (id: string, jwt: Record<string, unknown> | undefined) =>
  TenantSchema.parse({ id, name: "n", policy: { auth: { api_keys: true, ...(jwt ? { jwt: { issuer: "https://idp", audience: "a", secret: "s".repeat(32), algorithms: ["HS256"], ...jwt } } : {}) } } });

describe("trustOf", () => {
  it("lists each audience once and defaults the claim's value to the tenant id", () => {
    expect(trustOf(tenant("acme", { audience: ["a", "b", "a"], tenant_claim: { claim: "org" } }))).toEqual({ issuer: "https://idp", audiences: ["a", "b"], claim: "org", value: "acme" });
    expect(trustOf(tenant("acme", { tenant_claim: { claim: "org", value: "o-1" } }))?.value).toBe("o-1");
    expect(trustOf(tenant("acme", {}))).toMatchObject({ claim: null, value: null });
    expect(trustOf(tenant("acme", undefined))).toBeNull();
  });
});

describe("separated", () => {
  const unbound = { claim: null, value: null };
  it("keeps tokens apart only when both tenants demand a claim no single value satisfies", () => {
    expect(separated(unbound, unbound)).toBe(false);
    expect(separated(unbound, { claim: "org", value: "a" })).toBe(false);
    expect(separated({ claim: "org", value: "a" }, unbound)).toBe(false);
    expect(separated({ claim: "org", value: "a" }, { claim: "org", value: "a" })).toBe(false);
    expect(separated({ claim: "org", value: "a" }, { claim: "org", value: "b" })).toBe(true);
    expect(separated({ claim: "org", value: "a" }, { claim: "tid", value: "a" })).toBe(true);
  });
});

describe("acceptableType (RFC 8725 §3.11)", () => {
  it("accepts no typ, JWT and at+jwt in any case, with or without application/", () => {
    for (const typ of [undefined, "JWT", "jwt", "at+jwt", "AT+JWT", "application/at+jwt", "application/JWT"]) expect(acceptableType(typ), String(typ)).toBe(true);
  });
  it("refuses every other typ and non-strings", () => {
    for (const typ of ["dpop+jwt", "logout+jwt", "secevent+jwt", "JOSE", "JOSE+JSON", "", "text/jwt", "application/", null, 1, ["JWT"], {}]) {
      expect(acceptableType(typ), JSON.stringify(typ)).toBe(false);
    }
  });
});

describe("boundToTenant", () => {
  const policy = (tenant_claim?: { claim: string; value?: string }) => ({ tenant_claim }) as unknown as JwtPolicy;
  it("holds without a binding, and otherwise only for the exact own claim value", () => {
    expect(boundToTenant({}, policy(), "acme")).toBe(true);
    expect(boundToTenant({ org: "acme" }, policy({ claim: "org" }), "acme")).toBe(true);
    expect(boundToTenant({ org: "o-1" }, policy({ claim: "org", value: "o-1" }), "acme")).toBe(true);
    expect(boundToTenant({ org: "acme" }, policy({ claim: "org", value: "o-1" }), "acme")).toBe(false);
    expect(boundToTenant({ org: ["acme"] }, policy({ claim: "org" }), "acme")).toBe(false);
    expect(boundToTenant({}, policy({ claim: "org" }), "acme")).toBe(false);
    expect(boundToTenant({}, policy({ claim: "constructor", value: "Object" }), "acme")).toBe(false);
  });
});
