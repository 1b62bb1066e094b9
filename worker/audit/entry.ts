import { z } from "zod";
import { isObject } from "../json";

/**
 * What callers put in the audit log. Types in use: `admin` (an admin change), `block` (a request
 * refused: rate, quota, screening, extraction), `escalation` (a principal degraded or blocked).
 * The type is free text so new kinds need no migration; the sizes are capped so a hostile
 * request cannot bloat the log through the reason or detail it provokes.
 */
export const AuditEntrySchema = z
  .object({
    type: z.string().min(1).max(64),
    principal: z.string().max(512).nullable().default(null),
    reason: z.string().max(1000),
    detail: z.record(z.string(), z.unknown()).default({}),
    /**
     * Entries of one principal with the same `repeat_key` are written at most once per
     * REPEAT_INTERVAL_MS; the rest are counted and the count goes with the next written entry.
     * For refusals a client can provoke at will (screening blocks), so it cannot flood the log.
     */
    repeat_key: z.string().min(1).max(200).optional(),
  })
  .strict();
export type AuditEntry = z.input<typeof AuditEntrySchema>;

/** At most one entry per principal and `repeat_key` in this interval (as for budget blocks). */
export const REPEAT_INTERVAL_MS = 60_000;

/** Largest stored detail, as JSON text; larger details are replaced by a note saying so. */
export const MAX_DETAIL_CHARS = 8192;

export function detailText(detail: Record<string, unknown>): string {
  const text = JSON.stringify(detail);
  return text.length <= MAX_DETAIL_CHARS ? text : JSON.stringify({ truncated: true, chars: text.length });
}

/** How an entry is shown by the admin API. */
export interface AuditItem {
  seq: number;
  ts: string;
  type: string;
  principal: string | null;
  reason: string;
  detail: Record<string, unknown>;
  prev_hash: string;
  hash: string;
}

export interface AuditPage {
  items: AuditItem[];
  /** Pass back as `cursor` for older entries; null at the start of the log. */
  next_cursor: string | null;
  chain_valid: boolean;
  /** Seq and hash of the newest entry: anchor it elsewhere to detect a rewrite of the whole tail. */
  head: { seq: number; hash: string };
}

/**
 * A page as AuditObject.list hands it over RPC: each detail still the JSON text it was stored as.
 * A free-form detail (`Record<string, unknown>`) is not a type the RPC stubs can prove
 * serializable (they would type the call `never`, and callers cast); text is, and the Worker
 * parses it where it shows the page (worker/audit/record.ts).
 */
export type StoredAuditPage = Omit<AuditPage, "items"> & { items: Array<Omit<AuditItem, "detail"> & { detail: string }> };

/** The admin API's page from the object's: details parsed back from their stored JSON text. */
export function auditPage(stored: StoredAuditPage): AuditPage {
  return { ...stored, items: stored.items.map((item) => ({ ...item, detail: parseDetail(item.detail) })) };
}

function parseDetail(text: string): Record<string, unknown> {
  const value: unknown = JSON.parse(text);
  // Always an object: the schema above admits nothing else, and detailText writes JSON text of one.
  return isObject(value) ? value : {};
}
