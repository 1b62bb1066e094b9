import { describe, expect, it } from "vitest";
import { env } from "cloudflare:test";
import { admin, bearer, call, chatModel, createTenant, issueKey, json, problem, uniqueTenantId } from "../../helpers/warden";
import { tenantObject } from "../../../worker/clients/tenant";

/**
 * Issue 8, item 12: origins and JWKS URLs that spell a special-purpose address or an internal
 * name are refused when stored (admin 400) and when Warden would connect (a document stored
 * before the rule existed). The tests run with ALLOW_LOOPBACK_ORIGINS="true": plain loopback is
 * allowed here, its disguises are not.
 */
const port = new URL(env.ORIGIN_URL).port;
const DISGUISED = [
  "https://metadata.google.internal./computeMetadata/v1/",
  "https://metadata/",
  "https://instance-data/latest/meta-data/",
  "https://localhost.localdomain/",
  `http://[::ffff:7f00:1]:${port}/`,
  "https://[64:ff9b::a9fe:a9fe]/",
  "https://[2002:a9fe:a9fe::]/",
  "https://[fec0::1]/",
  "https://2852039166/latest/meta-data/",
  "https://0xa9.0xfe.0xa9.0xfe/",
  "https://169.254.169.254.nip.io/",
];

describe("outbound URL rules through the admin API", () => {
  it.each(DISGUISED)("refuses the origin %s with a 400 naming the field", async (url) => {
    const res = await admin("/tenants", "POST", { id: uniqueTenantId(), name: "t", models: [chatModel("chat", "", { origins: [{ url }] })] });
    expect(res.status).toBe(400);
    const p = (await problem(res)) as unknown as { code: string; errors: Array<{ path: string }> };
    expect(p.code).toBe("invalid_request");
    expect(p.errors.map((e) => e.path)).toContain("models.0.origins.0.url");
  });

  it("refuses a JWKS URL on an internal name", async () => {
    const jwt = { issuer: "https://issuer.example", audience: "warden", jwks_url: "https://metadata.google.internal./jwks", algorithms: ["ES256"] };
    const res = await admin("/tenants", "POST", { id: uniqueTenantId(), name: "t", models: [chatModel()], policy: { auth: { jwt } } });
    expect(res.status).toBe(400);
    const p = (await problem(res)) as unknown as { errors: Array<{ path: string }> };
    expect(p.errors.map((e) => e.path)).toContain("policy.auth.jwt.jwks_url");
  });

  it("still accepts plain loopback origins when ALLOW_LOOPBACK_ORIGINS is true", async () => {
    await createTenant({ models: [chatModel("chat", "", { origins: [{ url: `http://localhost:${port}/` }] })] });
  });
});

describe("outbound URL rules when connecting", () => {
  it.each(["https://metadata.google.internal.", "https://instance-data", "https://10-0-0-1.sslip.io", "https://[64:ff9b::a9fe:a9fe]"])(
    "does not connect to %s from a document stored before the rule (503 no_origin, nothing tried)",
    async (url) => {
      const { id } = await createTenant({ models: [chatModel("chat")] });
      const { key } = await issueKey(id);
      const stub = tenantObject(env, id);
      const doc = (await stub.get())!;
      const models = doc.models.map((m) => ({ ...m, origins: [{ url, weight: 1, headers: {} }] }));
      expect(await stub.replace({ ...doc, models })).toBe(true);
      const res = await call(`/t/${id}/v1/chat/completions`, json({ model: "chat", messages: [{ role: "user", content: "hi" }], max_tokens: 4 }, bearer(key)));
      expect(res.status).toBe(503);
      const p = await problem(res);
      expect(p.code).toBe("no_origin");
      // "is available" = every origin refused before any connection; "could be reached" = a connection was tried.
      expect(p.detail).toBe("No origin is available for this model.");
    },
  );
});
