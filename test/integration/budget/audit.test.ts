import { abortAllDurableObjects, createExecutionContext, runInDurableObject, waitOnExecutionContext } from "cloudflare:test";
import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import type { AuditObject } from "../../../durable-objects/audit";
import { readAudit, recordAudit, verifyAudit } from "../../../worker/audit/record";
import { freshTenant } from "./helpers";

const stub = (tenantId: string) => env.AUDIT.get(env.AUDIT.idFromName(tenantId));

async function seeded(n: number): Promise<string> {
  const tenantId = freshTenant("audit");
  // appended concurrently: the object must still build one unbroken chain
  await Promise.all(
    Array.from({ length: n }, (_, i) => stub(tenantId).append({ type: "block", principal: `key:k${i}`, reason: "rate_limited: principal rpm", detail: { i } })),
  );
  return tenantId;
}

const tamper = (tenantId: string, sql: string) =>
  runInDurableObject(stub(tenantId), (_, state) => {
    state.storage.sql.exec(sql);
  });

describe("audit log", () => {
  it("appends concurrently into one chain and lists newest first, page by page", async () => {
    const tenantId = await seeded(7);
    const first = await readAudit(env, tenantId, { limit: 3 });
    expect(first.chain_valid).toBe(true);
    expect(first.items.map((e) => e.seq)).toEqual([7, 6, 5]);
    expect(first.items[0]!.prev_hash).toBe(first.items[1]!.hash);
    expect(first.head).toEqual({ seq: 7, hash: first.items[0]!.hash });
    expect(first.items[0]!.ts).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    const second = await readAudit(env, tenantId, { limit: 3, cursor: first.next_cursor });
    expect(second.items.map((e) => e.seq)).toEqual([4, 3, 2]);
    const third = await readAudit(env, tenantId, { limit: 3, cursor: second.next_cursor });
    expect(third.items.map((e) => e.seq)).toEqual([1]);
    expect(third.next_cursor).toBeNull();
    expect(new Set([...first.items, ...second.items, ...third.items].map((e) => (e.detail as { i: number }).i)).size).toBe(7);
  });

  it("detects an edited entry", async () => {
    const tenantId = await seeded(5);
    await tamper(tenantId, "UPDATE audit_entries SET reason = 'nothing to see' WHERE seq = 3");
    expect((await readAudit(env, tenantId)).chain_valid).toBe(false);
    expect(await verifyAudit(env, tenantId)).toMatchObject({ valid: false, firstBad: 3, problem: "hash_mismatch" });
  });

  it("detects an entry edited together with its own hash", async () => {
    const tenantId = await seeded(5);
    const row = await runInDurableObject(stub(tenantId), (_, state) =>
      state.storage.sql.exec<{ hash: string }>("SELECT hash FROM audit_entries WHERE seq = 2").one(),
    );
    await tamper(tenantId, `UPDATE audit_entries SET principal = 'key:someone-else', hash = '${"a".repeat(64)}' WHERE seq = 2`);
    expect(row.hash).not.toBe("a".repeat(64));
    expect(await verifyAudit(env, tenantId)).toMatchObject({ valid: false, firstBad: 2 });
  });

  it("detects a deleted entry in the middle, at the start and at the end", async () => {
    for (const [seq, problem] of [
      [3, "missing_entry"],
      [1, "missing_entry"],
      [5, "head_mismatch"],
    ] as const) {
      const tenantId = await seeded(5);
      await tamper(tenantId, `DELETE FROM audit_entries WHERE seq = ${seq}`);
      expect(await verifyAudit(env, tenantId)).toMatchObject({ valid: false, problem });
      expect((await readAudit(env, tenantId)).chain_valid).toBe(false);
    }
  });

  it("survives eviction and keeps chaining after it", async () => {
    const tenantId = await seeded(2);
    await abortAllDurableObjects();
    await stub(tenantId).append({ type: "admin", principal: null, reason: "policy changed" });
    const page = await readAudit(env, tenantId);
    expect(page.chain_valid).toBe(true);
    expect(page.items.map((e) => e.seq)).toEqual([3, 2, 1]);
  });

  it("recordAudit writes inside waitUntil, off the response path", async () => {
    const tenantId = freshTenant("audit");
    const ctx = createExecutionContext();
    const returned = recordAudit(env, ctx, tenantId, { type: "block", principal: "sub:eve", reason: "input_rejected", detail: { score: 0.97 } });
    expect(returned).toBeUndefined();
    await waitOnExecutionContext(ctx);
    const page = await readAudit(env, tenantId);
    expect(page.items).toMatchObject([{ seq: 1, type: "block", principal: "sub:eve", reason: "input_rejected", detail: { score: 0.97 } }]);
  });

  it("rejects malformed entries", async () => {
    const tenantId = freshTenant("audit");
    // inside the object: a rejecting RPC through a stub leaks an unhandled rejection in the
    // vitest pool (cloudflare/workers-sdk#14736), so the method is called on the instance
    const error = await runInDurableObject(stub(tenantId), (instance) =>
      (instance as unknown as AuditObject).append({ type: "", principal: null, reason: "x" }).then(
        () => null,
        (err: unknown) => String(err),
      ),
    );
    expect(error).toMatch(/ZodError|Too small/);
    expect((await readAudit(env, tenantId)).items).toEqual([]);
  });
});
