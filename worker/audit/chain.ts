/**
 * The audit log's hash chain. Each entry's hash covers its own fields and the hash of the entry
 * before it, so editing an entry breaks its own hash, and deleting or reordering one breaks the
 * link of the next. The object also keeps the head (last seq and hash) apart from the entries,
 * so cutting entries off the end is caught too. What the chain cannot catch is someone who
 * rewrites the whole suffix *and* the head: anchor the head elsewhere (docs/budgets.md, Audit).
 */

export const GENESIS = "0".repeat(64);

export interface ChainFields {
  seq: number;
  /** RFC 3339. */
  ts: string;
  type: string;
  principal: string | null;
  reason: string;
  /** The detail object as stored: JSON text, hashed byte for byte (no re-serialisation). */
  detail: string;
  prev: string;
}

export interface ChainEntry extends ChainFields {
  hash: string;
}

function hex(buf: ArrayBuffer): string {
  return [...new Uint8Array(buf)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** SHA-256 over a JSON array of the fields in a fixed order: unambiguous, no canonicalisation needed. */
export async function entryHash(f: ChainFields): Promise<string> {
  const text = JSON.stringify([f.seq, f.ts, f.type, f.principal, f.reason, f.detail, f.prev]);
  return hex(await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)));
}

export type ChainProblem = "hash_mismatch" | "broken_link" | "missing_entry" | "head_mismatch";

export interface ChainCheck {
  valid: boolean;
  checked: number;
  /** First entry (by seq) where the chain breaks. */
  firstBad?: number;
  problem?: ChainProblem;
}

/**
 * Verifies one page of entries in ascending seq order, continuing from `prev` (the hash of the
 * entry before the page, GENESIS at the start) and `expectSeq` (its seq + 1).
 */
export async function verifyPage(
  entries: readonly ChainEntry[],
  prev: string,
  expectSeq: number,
): Promise<{ ok: true; prev: string; nextSeq: number } | { ok: false; seq: number; problem: ChainProblem }> {
  for (const e of entries) {
    if (e.seq !== expectSeq) return { ok: false, seq: expectSeq, problem: "missing_entry" };
    if (e.prev !== prev) return { ok: false, seq: e.seq, problem: "broken_link" };
    if ((await entryHash(e)) !== e.hash) return { ok: false, seq: e.seq, problem: "hash_mismatch" };
    prev = e.hash;
    expectSeq++;
  }
  return { ok: true, prev, nextSeq: expectSeq };
}
