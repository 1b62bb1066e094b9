import { describe, expect, it } from "vitest";
import { TenantSchema, parseStoredTenant } from "../../../worker/config/tenant";
import { PolicySchema } from "../../../worker/config/policy";
import { ModelSchema } from "../../../worker/config/model";

/** Defaults are written once, on their fields; an absent section is `prefault({})` (issue 11 #4). */
describe("schema defaults", () => {
  it("an absent section gets the same defaults as a section sent empty", () => {
    const absent = PolicySchema.parse({});
    const empty = PolicySchema.parse({ auth: {}, limits: {}, screening: {}, extraction: {} });
    expect(absent).toEqual(empty);
    expect(absent.screening).toEqual({ mode: "off", threshold: 0.9, allow: [], on_error: "closed", expose_score: true, system_prompts: "client" });
    expect(absent.extraction).toEqual({ mode: "on", degrade_at: 0.6, block_at: 0.9, cooldown_s: 900, text: "degrade" });
    expect(absent.auth).toEqual({ api_keys: true });
  });

  it("a section sent in part keeps the other fields' defaults", () => {
    expect(PolicySchema.parse({ screening: { mode: "block" } }).screening).toEqual({ mode: "block", threshold: 0.9, allow: [], on_error: "closed", expose_score: true, system_prompts: "client" });
    const model = ModelSchema.parse({ name: "m", protocol: "openai", origins: [{ url: "https://origin.example" }] });
    expect(model.protection.logprobs).toEqual({ max_top_logprobs: 5, allow_logit_bias: false });
    expect(model.origins[0]!.headers).toEqual({});
  });

  it("parsing a stored document is idempotent, and a document that no longer fits is refused", () => {
    const tenant = TenantSchema.parse({ id: "acme", name: "Acme", models: [{ name: "m", protocol: "openai", origins: [{ url: "https://origin.example" }] }] });
    expect(parseStoredTenant(JSON.stringify(tenant))).toEqual(tenant);
    expect(() => parseStoredTenant(JSON.stringify({ ...tenant, policy: { screening: { mode: "loud" } } }))).toThrow();
  });
});
