import { createHash } from "node:crypto";

/**
 * Checks an audit log on this side of the wire, independently of Warden's own `chain_valid`:
 * every entry's SHA-256 over [seq, ts, type, principal, reason, detail JSON, prev] (as
 * worker/audit/chain.ts computes it), every link to the entry before, no gap from seq 1, and the
 * newest entry equal to the head Warden reports (and to an anchor the operator kept, if given).
 */
export const GENESIS = "0".repeat(64);

export function entryHash(e) {
  const text = JSON.stringify([e.seq, e.ts, e.type, e.principal, e.reason, JSON.stringify(e.detail), e.prev_hash]);
  return createHash("sha256").update(text).digest("hex");
}

/** @returns {{ valid: boolean, checked: number, problem?: string, seq?: number }} */
export function verifyChain(items, head, anchor) {
  const entries = [...items].sort((a, b) => a.seq - b.seq);
  let prev = GENESIS;
  let expect = 1;
  for (const e of entries) {
    if (e.seq !== expect) return { valid: false, checked: expect - 1, problem: "missing_entry", seq: expect };
    if (e.prev_hash !== prev) return { valid: false, checked: expect - 1, problem: "broken_link", seq: e.seq };
    if (entryHash(e) !== e.hash) return { valid: false, checked: expect - 1, problem: "hash_mismatch", seq: e.seq };
    prev = e.hash;
    expect++;
  }
  const last = entries[entries.length - 1];
  if (head && head.seq > 0 && (!last || last.seq !== head.seq || last.hash !== head.hash)) return { valid: false, checked: entries.length, problem: "head_mismatch", seq: head.seq };
  if (anchor) {
    const at = entries.find((e) => e.seq === anchor.seq);
    if (!at || at.hash !== anchor.hash) return { valid: false, checked: entries.length, problem: "anchor_mismatch", seq: anchor.seq };
  }
  return { valid: true, checked: entries.length };
}
