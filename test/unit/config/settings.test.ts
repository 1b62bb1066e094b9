import { describe, expect, it } from "vitest";
import { SettingsSchema, settingsOf } from "../../../worker/config/settings";
import type { Bindings } from "../../../worker/env";

describe("settings from the bindings", () => {
  it("gives every absent setting its default instead of failing (a deployment sets few vars)", () => {
    const s = settingsOf({} as Bindings);
    expect(s).toEqual({ masterKey: null, adminToken: undefined, adminJwt: null, allowLoopback: false, metricsFlushMs: 500, modelManifestPublicKey: undefined });
  });

  it("reads the master key, the loopback switch (exactly \"true\") and the flush delay (0..5000)", () => {
    const master = btoa(String.fromCharCode(...new Uint8Array(32).fill(7)));
    const s = settingsOf({ MASTER_KEY: master, ALLOW_LOOPBACK_ORIGINS: "true", METRICS_FLUSH_MS: "0" } as Bindings);
    expect(s.masterKey).toEqual(new Uint8Array(32).fill(7));
    expect(s.allowLoopback).toBe(true);
    expect(s.metricsFlushMs).toBe(0);
    expect(SettingsSchema.parse({ ALLOW_LOOPBACK_ORIGINS: "TRUE", METRICS_FLUSH_MS: "99999" })).toMatchObject({ ALLOW_LOOPBACK_ORIGINS: false, METRICS_FLUSH_MS: 5000 });
    expect(SettingsSchema.parse({ MASTER_KEY: "c2hvcnQ=", METRICS_FLUSH_MS: "-1" })).toMatchObject({ MASTER_KEY: null, METRICS_FLUSH_MS: 500 });
  });

  it("needs all three admin JWT settings for the admin JWT to count", () => {
    expect(settingsOf({ ADMIN_JWT_ISSUER: "https://idp.test", ADMIN_JWT_AUDIENCE: "warden" } as Bindings).adminJwt).toBeNull();
    const jwt = settingsOf({ ADMIN_JWT_ISSUER: "https://idp.test", ADMIN_JWT_AUDIENCE: "warden", ADMIN_JWKS_URL: "https://idp.test/jwks" } as Bindings).adminJwt;
    expect(jwt).toEqual({ issuer: "https://idp.test", audience: "warden", jwksUrl: "https://idp.test/jwks" });
  });
});
