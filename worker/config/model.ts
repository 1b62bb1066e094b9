import { z } from "zod";
import { REFUSABLE_FIELDS } from "../protocols/openai-fields";
import { InputGuardSchema, OutputGuardSchema } from "../guard/policy";

export const MODEL_NAME = /^[A-Za-z0-9][A-Za-z0-9._:/-]{0,127}$/;

export const OriginSchema = z
  .object({
    url: z.url({ protocol: /^https?$/ }),
    weight: z.number().int().min(0).max(1000).default(1),
    /** Sent to the origin on every request; stored encrypted, returned as "***". */
    headers: z
      .record(
        z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, "must be an HTTP header name"),
        // RFC 9110 field values: visible ASCII, spaces and tabs; no CR, LF or NUL (header injection).
        z.string().max(8192).regex(/^[\t\x20-\x7e]*$/, "must be visible ASCII, spaces and tabs"),
      )
      .prefault({}),
  })
  .strict();
export type Origin = z.infer<typeof OriginSchema>;

const Datatype = z.enum(["BOOL", "UINT8", "UINT16", "UINT32", "UINT64", "INT8", "INT16", "INT32", "INT64", "FP16", "FP32", "FP64", "BYTES"]);
const Bound = z.union([z.number(), z.array(z.number()).min(1)]);

export const TensorSpecSchema = z
  .object({
    name: z.string().min(1).max(256),
    datatype: Datatype,
    /** -1 is a free dimension (the batch, usually). */
    shape: z.array(z.number().int().min(-1)).min(1).max(8),
    min: Bound.optional(),
    max: Bound.optional(),
  })
  .strict();
export type TensorSpec = z.infer<typeof TensorSpecSchema>;

export const OutputSpecSchema = z
  .object({ name: z.string().min(1).max(256), kind: z.enum(["probabilities", "logits", "labels", "other"]).default("other") })
  .strict();

const ProbabilityProtection = z
  .object({
    mode: z.enum(["none", "round", "top_k", "laplace", "gaussian", "reverse_sigmoid"]).default("none"),
    decimals: z.number().int().min(0).max(8).optional(),
    k: z.number().int().min(1).optional(),
    epsilon: z.number().positive().optional(),
    beta: z.number().positive().optional(),
    gamma: z.number().positive().optional(),
    keep_top1: z.boolean().default(true),
  })
  .strict();

export const ProtectionSchema = z
  .object({
    probabilities: ProbabilityProtection.optional(),
    label_watermark: z.object({ rate: z.number().min(0).max(0.5).default(0.005) }).strict().optional(),
    embeddings: z
      .object({ noise_ratio: z.number().min(0).max(1).default(0.01), watermark: z.boolean().default(true) })
      .strict()
      .optional(),
    text_watermark: z.boolean().default(false),
    receipts: z.boolean().default(false),
    logprobs: z
      .object({ max_top_logprobs: z.number().int().min(0).max(20).default(5), allow_logit_bias: z.boolean().default(false) })
      .strict()
      .prefault({}),
    /**
     * OpenAI-compatible request fields Warden refuses by default because they hand the origin
     * tensors to deserialize or reconfigure it for one request (openai-fields.ts); listed here,
     * they pass for this model.
     */
    allow_fields: z.array(z.enum(REFUSABLE_FIELDS)).max(REFUSABLE_FIELDS.length).default([]),
    /** Secrets, personal data and system-prompt leaks in answers (worker/guard/, docs/output-guard.md). */
    output_guard: OutputGuardSchema.optional(),
    /** Personal data and secrets masked in prompts before the origin. */
    input_guard: InputGuardSchema.optional(),
  })
  .strict();
export type Protection = z.infer<typeof ProtectionSchema>;

/**
 * Anomaly check for numeric OIP inputs: per-feature statistics of reference data the operator
 * uploads (POST …/models/{model}/reference). A row's score is its RMS z-score against them:
 * about 1 for rows like the reference, far above for rows unlike anything the model was built for.
 */
export const AnomalySchema = z
  .object({
    mode: z.enum(["off", "monitor", "block"]).default("off"),
    /** RMS z-score at or above which a row is flagged (monitor) or refused (block). */
    threshold: z.number().positive().default(4),
    reference: z
      .object({
        input: z.string().min(1),
        n: z.number().int().positive(),
        mean: z.array(z.number()).min(1).max(65_536),
        std: z.array(z.number().nonnegative()).min(1).max(65_536),
      })
      .strict()
      .refine((r) => r.mean.length === r.std.length, { message: "mean and std must have the same length" })
      .optional(),
  })
  .strict();
export type Anomaly = z.infer<typeof AnomalySchema>;

/**
 * An amount in USD that is a whole number of µUSD (worker/budget/cost.ts counts in µUSD so that
 * nothing drifts): at most six decimals, and small enough that every sum stays an exact integer.
 */
export const usd = (max: number) =>
  z
    .number()
    .min(0)
    .max(max)
    .refine((v) => Math.abs(v * 1e6 - Math.round(v * 1e6)) < 1e-6, { message: "at most six decimals (whole micro-USD)" });

/** What the model's requests cost, in USD; absent: they cost nothing (cost quotas never refuse them). */
export const PricingSchema = z
  .object({
    input_per_million: usd(10_000).default(0),
    output_per_million: usd(10_000).default(0),
    per_request: usd(1_000).default(0),
  })
  .strict();
export type Pricing = z.infer<typeof PricingSchema>;

export const ModelSchema = z
  .object({
    name: z.string().regex(MODEL_NAME),
    protocol: z.enum(["openai", "oip"]),
    origins: z.array(OriginSchema).min(1).max(16),
    timeout_ms: z.number().int().min(100).max(600_000).default(60_000),
    inputs: z.array(TensorSpecSchema).max(64).optional(),
    outputs: z.array(OutputSpecSchema).max(64).optional(),
    anomaly: AnomalySchema.optional(),
    protection: ProtectionSchema.prefault({}),
    pricing: PricingSchema.optional(),
  })
  .strict();
export type Model = z.infer<typeof ModelSchema>;
