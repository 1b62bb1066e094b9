import { z } from "zod";
import { usd } from "./model";
import { OutputGuardSchema } from "../guard/policy";

/** Positive whole numbers; limits are counts, never fractions. */
const count = z.number().int().positive();

export const LimitsSchema = z
  .object({
    requests_per_minute: count.optional(),
    burst: count.optional(),
    requests_per_day: count.optional(),
    tokens_per_day: count.optional(),
    tokens_per_month: count.optional(),
    max_concurrency: count.optional(),
    max_body_bytes: count.max(16 * 1024 * 1024).optional(),
    default_reserve_tokens: count.optional(),
    /** USD per UTC day / month, counted in µUSD (worker/budget/cost.ts) at the models' `pricing`. */
    cost_per_day: usd(1e9).refine((v) => v > 0, "must be positive").optional(),
    cost_per_month: usd(1e9).refine((v) => v > 0, "must be positive").optional(),
  })
  .strict();
export type Limits = z.infer<typeof LimitsSchema>;

/**
 * JWK members that hold private or symmetric key material (RFC 7518 §6.2.2, §6.3.2, §6.4.1;
 * RFC 8037 §2). An inline key set is public by nature: it is stored and shown by every read.
 */
export const PRIVATE_JWK_MEMBERS = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"] as const;

const PublicJwk = z
  .record(z.string(), z.unknown())
  .superRefine((jwk, ctx) => {
    for (const member of PRIVATE_JWK_MEMBERS) {
      if (Object.hasOwn(jwk, member)) {
        ctx.addIssue({ code: "custom", path: [member], message: "private key material is not accepted: inline jwks holds public keys only" });
      }
    }
  })
  .pipe(z.record(z.string(), z.union([z.string(), z.array(z.string()), z.number(), z.boolean()])));

const JwtAlgorithm = z.enum(["RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA", "HS256", "HS384", "HS512"]);

export const JwtPolicySchema = z
  .object({
    issuer: z.string().min(1),
    audience: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]),
    jwks_url: z.url({ protocol: /^https?$/ }).optional(),
    jwks: z.object({ keys: z.array(PublicJwk).min(1) }).optional(),
    /** Shared secret for HS* algorithms; stored encrypted, shown as "***". */
    secret: z.string().min(32).optional(),
    algorithms: z.array(JwtAlgorithm).min(1),
    clock_tolerance_s: z.number().int().min(0).max(60).default(30),
    /**
     * Binds tokens to this tenant: the claim `claim` must equal `value` (default: the tenant id).
     * Required of every tenant that shares an issuer and audience with another (issue 8 #9).
     */
    tenant_claim: z
      .object({ claim: z.string().min(1).max(256), value: z.string().min(1).max(256).optional() })
      .strict()
      .optional(),
  })
  .strict()
  .superRefine((jwt, ctx) => {
    const hmac = jwt.algorithms.some((a) => a.startsWith("HS"));
    const asymmetric = jwt.algorithms.some((a) => !a.startsWith("HS"));
    if (hmac && !jwt.secret) ctx.addIssue({ code: "custom", path: ["secret"], message: "HS* algorithms need a secret" });
    if (asymmetric && !jwt.jwks_url && !jwt.jwks)
      ctx.addIssue({ code: "custom", path: ["jwks_url"], message: "asymmetric algorithms need jwks_url or jwks" });
  });
export type JwtPolicy = z.infer<typeof JwtPolicySchema>;

export const ScreeningPolicySchema = z
  .object({
    mode: z.enum(["off", "monitor", "block"]).default("off"),
    threshold: z.number().min(0).max(1).default(0.9),
    /** Exact texts (after trimming) that are never scored, e.g. a tenant's own system prompt. */
    allow: z.array(z.string().max(100_000)).max(1000).default([]),
    on_error: z.enum(["closed", "open"]).default("closed"),
    /** False: clients see the verdict only; an exact score is an oracle for tuning evasions. */
    expose_score: z.boolean().default(true),
    /**
     * Who writes system and developer messages. `client` (default): whoever holds the key, so the
     * directive head reads them like any text. `operator`: the tenant's own application, so the head
     * reads a text only they say in the operator's voice (worker/screen/directives.ts `Voice`).
     */
    system_prompts: z.enum(["client", "operator"]).default("client"),
  })
  .strict();

export const ExtractionPolicySchema = z
  .object({
    mode: z.enum(["on", "off"]).default("on"),
    degrade_at: z.number().min(0).max(1).default(0.6),
    block_at: z.number().min(0).max(1).default(0.9),
    cooldown_s: z.number().int().min(0).max(30 * 86400).default(900),
    /** Text models (chat, completions, embeddings): degrade at most (default), or block as on OIP. */
    text: z.enum(["degrade", "block"]).default("degrade"),
  })
  .strict()
  .refine((e) => e.degrade_at <= e.block_at, { path: ["degrade_at"], message: "degrade_at must not exceed block_at" });

/**
 * Each default is written once, on its field: an absent section is `prefault({})`, which parses
 * `{}` through the section's schema and so gets the same field defaults as a section sent empty.
 */
export const PolicySchema = z
  .object({
    auth: z
      .object({ api_keys: z.boolean().default(true), jwt: JwtPolicySchema.optional() })
      .strict()
      .prefault({}),
    limits: LimitsSchema.extend({ per_subject: LimitsSchema.optional() }).strict().prefault({}),
    screening: ScreeningPolicySchema.prefault({}),
    extraction: ExtractionPolicySchema.prefault({}),
    /** Default `output_guard` of models that set none in `protection`. */
    output_guard: OutputGuardSchema.optional(),
  })
  .strict();
export type Policy = z.infer<typeof PolicySchema>;

export const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
export const DEFAULT_RESERVE_TOKENS = 1024;
