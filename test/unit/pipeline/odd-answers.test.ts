import { describe, expect, it } from "vitest";
import { ModelSchema } from "../../../worker/config/model";
import { TenantSchema } from "../../../worker/config/tenant";
import { ProtectionKeys } from "../../../worker/pipeline/protection-keys";
import { protectChatJson, protectEmbeddings, protectInfer, type JsonProtectionContext } from "../../../worker/pipeline/protect-json";

/**
 * Whole JSON answers of shapes no origin should send: each member Warden protects is read only
 * when it has the shape it protects, never cast. What it cannot read passes as it came (a null
 * choice or embedding item used to throw inside the protection: a 500 for the client).
 */
function ctx(protection: Record<string, unknown>, extra: Record<string, unknown> = {}): JsonProtectionContext {
  const model = ModelSchema.parse({ name: "m", protocol: "openai", origins: [{ url: "https://origin.example" }], protection, ...extra });
  const tenant = TenantSchema.parse({ id: "t-odd", name: "T", models: [model], policy: {} });
  return { model, request: null, infer: null, principal: "key:k", degraded: false, keys: new ProtectionKeys(new Uint8Array(32), tenant, model.name, "key:k"), records: [], margins: [], guard: null };
}

describe("odd JSON answers", () => {
  it("a null choice next to a real one: the real one is watermarked, the null one passes", async () => {
    const out = await protectChatJson({ choices: [null, { index: 1, message: { role: "assistant", content: "The sea is calm today and the wind is light." } }] }, ctx({ text_watermark: true }));
    const choices = out.choices as unknown[];
    expect(choices[0]).toBeNull();
    expect(choices[1]).toMatchObject({ index: 1, message: { role: "assistant" } });
  });

  it("a null embedding item next to a real one: the real one gets its noise, the null one passes", async () => {
    const out = await protectEmbeddings({ data: [null, { index: 1, embedding: [0.1, 0.2, 0.3, 0.4] }] }, ctx({ embeddings: { noise_ratio: 0.01, watermark: true } }));
    const data = out.data as unknown[];
    expect(data[0]).toBeNull();
    expect((data[1] as { embedding: number[] }).embedding).not.toEqual([0.1, 0.2, 0.3, 0.4]);
  });

  it("OIP outputs that are not objects, or not declared scored outputs, pass as they came", async () => {
    const c = ctx({ probabilities: { mode: "round", decimals: 1 } }, { protocol: "oip", outputs: [{ name: "probs", kind: "probabilities" }] });
    const out = await protectInfer({ outputs: [null, 7, { name: "other", shape: [1], data: [0.123] }, { name: "probs", datatype: "FP32", shape: [1, 2], data: [0.123, 0.877] }] }, c);
    const outputs = out.outputs as unknown[];
    expect(outputs.slice(0, 3)).toEqual([null, 7, { name: "other", shape: [1], data: [0.123] }]);
    expect(outputs[3]).toMatchObject({ name: "probs", shape: [1, 2] });
    // …and the declared one next to them is still protected (rounded to one decimal).
    expect((outputs[3] as { data: number[] }).data).toEqual([0.1, 0.9]);
  });

  it("a declared scored output that is not a numeric tensor is refused as the origin's error", async () => {
    const c = ctx({}, { protocol: "oip", outputs: [{ name: "probs", kind: "probabilities" }] });
    await expect(protectInfer({ outputs: [{ name: "probs", shape: [1, 2], data: ["a", "b"] }] }, c)).rejects.toMatchObject({ code: "origin_error" });
    await expect(protectInfer({ outputs: [{ name: "probs", shape: [1, 3], data: [0.5, 0.5] }] }, c)).rejects.toMatchObject({ code: "origin_error" });
  });
});
