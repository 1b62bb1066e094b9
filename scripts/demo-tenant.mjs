/**
 * The demo tenant `npm start` creates: the demo origin's three models behind Warden, with the
 * protections switched on that show what Warden adds, screening in monitor mode and modest
 * limits. Tests and benchmarks may reuse it.
 */
export const DEMO_TENANT_ID = "demo";

export const DIGITS_INPUT = { name: "input-0", datatype: "FP32", shape: [-1, 64], min: 0, max: 16 };

/** The tenant document for POST /admin/v1/tenants (CONTRACT §7). */
export function demoTenant(originUrl) {
  const origins = [{ url: originUrl, weight: 1 }];
  return {
    id: DEMO_TENANT_ID,
    name: "Demo tenant (npm start)",
    models: [
      { name: "demo-chat", protocol: "openai", origins, timeout_ms: 30_000, protection: { text_watermark: true, receipts: true, logprobs: { max_top_logprobs: 5 } } },
      { name: "demo-embed", protocol: "openai", origins, timeout_ms: 30_000, protection: { embeddings: { noise_ratio: 0.01, watermark: true }, receipts: true } },
      {
        name: "digits",
        protocol: "oip",
        origins,
        timeout_ms: 30_000,
        inputs: [DIGITS_INPUT],
        outputs: [{ name: "probabilities", kind: "probabilities" }],
        protection: { probabilities: { mode: "round", decimals: 4 }, label_watermark: { rate: 0.005 }, receipts: true },
      },
    ],
    policy: {
      auth: { api_keys: true },
      limits: { requests_per_minute: 120, burst: 30, requests_per_day: 20_000, tokens_per_day: 1_000_000, max_concurrency: 8, default_reserve_tokens: 256 },
      screening: { mode: "monitor", threshold: 0.9 },
    },
  };
}
