import { z } from "zod";
import { ModelSchema } from "./model";
import { PolicySchema } from "./policy";

export const TENANT_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** What an operator sends to create a tenant; the stored tenant is the parsed result. */
export const TenantSchema = z
  .object({
    id: z.string().regex(TENANT_ID, "must match ^[a-z0-9][a-z0-9-]{1,62}$"),
    name: z.string().min(1).max(200),
    models: z
      .array(ModelSchema)
      .max(256)
      .default([])
      .refine((ms) => new Set(ms.map((m) => m.name)).size === ms.length, "model names must be unique"),
    policy: PolicySchema.prefault({}),
  })
  .strict();
export type Tenant = z.infer<typeof TenantSchema>;

/**
 * A stored tenant document (durable-objects/tenant.ts), parsed with the schema once when its object
 * loads rather than cast: a document stored before a field with a default existed gets that
 * default, and one that no longer fits the schema is refused instead of served. Parsing is
 * idempotent on what the schema produced (sealed secrets are strings the schema accepts).
 */
export function parseStoredTenant(doc: string): Tenant {
  return TenantSchema.parse(JSON.parse(doc));
}
export type { Model } from "./model";
export type { Policy } from "./policy";
