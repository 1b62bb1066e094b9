import { describe, expect, it } from "vitest";
import { GENESIS, entryHash, verifyPage, type ChainEntry } from "../../../worker/audit/chain";
import { detailText, MAX_DETAIL_CHARS } from "../../../worker/audit/entry";

async function chain(n: number): Promise<ChainEntry[]> {
  const out: ChainEntry[] = [];
  let prev = GENESIS;
  for (let seq = 1; seq <= n; seq++) {
    const f = { seq, ts: `2026-05-01T00:00:0${seq}Z`, type: "block", principal: `key:k${seq}`, reason: "rate_limited", detail: "{}", prev };
    const hash = await entryHash(f);
    out.push({ ...f, hash });
    prev = hash;
  }
  return out;
}

describe("audit hash chain", () => {
  it("hashes with SHA-256 (hex) and depends on every field", async () => {
    const [e] = await chain(1);
    expect(e!.hash).toMatch(/^[0-9a-f]{64}$/);
    for (const change of [{ seq: 2 }, { ts: "x" }, { type: "admin" }, { principal: null }, { reason: "x" }, { detail: '{"a":1}' }, { prev: "1".repeat(64) }])
      expect(await entryHash({ ...e!, ...change })).not.toBe(e!.hash);
  });

  it("verifies an intact chain", async () => {
    const c = await chain(5);
    expect(await verifyPage(c, GENESIS, 1)).toEqual({ ok: true, prev: c[4]!.hash, nextSeq: 6 });
  });

  it("detects an edit, a deletion and a reordering", async () => {
    const c = await chain(5);
    const edited = c.map((e) => (e.seq === 3 ? { ...e, reason: "nothing happened" } : e));
    expect(await verifyPage(edited, GENESIS, 1)).toMatchObject({ ok: false, seq: 3, problem: "hash_mismatch" });
    const deleted = c.filter((e) => e.seq !== 2);
    expect(await verifyPage(deleted, GENESIS, 1)).toMatchObject({ ok: false, seq: 2, problem: "missing_entry" });
    const renumbered = deleted.map((e, i) => ({ ...e, seq: i + 1 }));
    expect(await verifyPage(renumbered, GENESIS, 1)).toMatchObject({ ok: false });
  });

  it("caps the stored detail", () => {
    expect(detailText({ a: 1 })).toBe('{"a":1}');
    expect(JSON.parse(detailText({ a: "x".repeat(MAX_DETAIL_CHARS) }))).toEqual({ truncated: true, chars: MAX_DETAIL_CHARS + 8 });
  });
});
