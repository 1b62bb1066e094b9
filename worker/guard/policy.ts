import { z } from "zod";
import { isSupportedCountry } from "libphonenumber-js/min";
import type { Category } from "./detectors/types";

/**
 * `protection.output_guard` (CONTRACT §6), per model; a tenant's `policy.output_guard` is the
 * default for models without one. Each category is `off`, `monitor` (count only), `redact`
 * (`[REDACTED:<detector>]`) or `block` (403 `output_rejected`; a stream ends with `event: error`).
 */
export const GuardModeSchema = z.enum(["off", "monitor", "redact", "block"]);
export type GuardMode = z.infer<typeof GuardModeSchema>;

export const OutputGuardSchema = z
  .object({
    secrets: GuardModeSchema.default("off"),
    pii: GuardModeSchema.default("off"),
    prompt_leak: GuardModeSchema.default("off"),
    /** A detector that cannot run (or an answer it cannot read): refuse the answer (`closed`) or pass it unchecked (`open`). */
    on_error: z.enum(["closed", "open"]).default("closed"),
    /**
     * A run of this many consecutive words of the request's system message in the answer is a
     * leak (a shorter system message: all of its words, but never fewer than 8).
     */
    prompt_leak_min_words: z.number().int().min(8).max(1000).default(20),
    /** Regions whose national phone formats are recognised; international (+…) numbers always are. */
    phone_regions: z
      .array(z.string().refine((r) => /^[A-Z]{2}$/.test(r) && isSupportedCountry(r), { message: "must be an ISO 3166-1 alpha-2 region libphonenumber knows" }))
      .max(50)
      .default(["US"]),
  })
  .strict();
export type OutputGuardPolicy = z.infer<typeof OutputGuardSchema>;

/**
 * `input_guard`: personal data (and secrets) in the prompt replaced by `[REDACTED:<detector>]`
 * before the request reaches the origin. `monitor` counts only.
 */
export const InputGuardSchema = z
  .object({
    secrets: z.enum(["off", "monitor", "redact"]).default("off"),
    pii: z.enum(["off", "monitor", "redact"]).default("off"),
    phone_regions: OutputGuardSchema.shape.phone_regions,
  })
  .strict();
export type InputGuardPolicy = z.infer<typeof InputGuardSchema>;

export const CATEGORIES: readonly Category[] = ["secrets", "pii", "prompt_leak"];

/** The model's own guard, else the tenant's, else none. */
export function effectiveGuard<T>(modelGuard: T | undefined, tenantGuard: T | undefined): T | null {
  return modelGuard ?? tenantGuard ?? null;
}

/** Whether a category changes what the client gets (and so must hold text back on a stream). */
export const enforces = (mode: GuardMode): boolean => mode === "redact" || mode === "block";
