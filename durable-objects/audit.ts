import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../worker/env";
import { migrate, type Migration } from "./migrations";
import { GENESIS, entryHash, verifyPage, type ChainCheck, type ChainEntry } from "../worker/audit/chain";
import { AuditEntrySchema, detailText, type AuditEntry, type StoredAuditPage } from "../worker/audit/entry";
import { RepeatGate } from "../worker/audit/repeats";

/**
 * A tenant's append-only, hash-chained audit log; one object per tenant, named by the tenant id.
 * Nothing here updates or deletes an entry (only `purge`, when the tenant itself is deleted).
 * Tables are described in durable-objects/STORAGE.md.
 */
const SCHEMA: readonly Migration[] = [
  [
    `CREATE TABLE audit_entries (seq INTEGER PRIMARY KEY CHECK (seq >= 1), ts TEXT NOT NULL, type TEXT NOT NULL,
       principal TEXT, reason TEXT NOT NULL, detail TEXT NOT NULL, prev TEXT NOT NULL, hash TEXT NOT NULL)`,
    "CREATE TABLE audit_head (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL, hash TEXT NOT NULL)",
  ],
];

const PAGE = 500;

type Row = { [K in keyof ChainEntry]: ChainEntry[K] };

export class AuditObject extends DurableObject<Bindings> {
  #sql: SqlStorage;
  /** Appends run one at a time: each needs the previous hash, and hashing awaits. */
  #tail: Promise<unknown> = Promise.resolve();
  #repeats = new RepeatGate();

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    void ctx.blockConcurrencyWhile(async () => migrate(this.#sql, SCHEMA));
  }

  /** Appends an entry; null when it repeats a recent one (`repeat_key`) and was only counted. */
  async append(entry: AuditEntry): Promise<{ seq: number; hash: string } | null> {
    const e = AuditEntrySchema.parse(entry);
    if (e.repeat_key !== undefined) {
      const gate = this.#repeats.admit(e.principal, e.repeat_key, Date.now());
      if (!gate.write) return null;
      if (gate.suppressed > 0) e.detail = { ...e.detail, refusals_not_logged_since_last_entry: gate.suppressed };
    }
    const run = this.#tail.then(async () => {
      const head = this.#head();
      const fields = {
        seq: head.seq + 1,
        ts: new Date().toISOString(),
        type: e.type,
        principal: e.principal,
        reason: e.reason,
        detail: detailText(e.detail),
        prev: head.hash,
      };
      const hash = await entryHash(fields);
      this.#sql.exec(
        "INSERT INTO audit_entries (seq, ts, type, principal, reason, detail, prev, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        fields.seq,
        fields.ts,
        fields.type,
        fields.principal,
        fields.reason,
        fields.detail,
        fields.prev,
        hash,
      );
      this.#sql.exec("INSERT OR REPLACE INTO audit_head (id, seq, hash) VALUES (1, ?, ?)", fields.seq, hash);
      return { seq: fields.seq, hash };
    });
    this.#tail = run.catch(() => undefined);
    return run;
  }

  /** Newest first; `cursor` is the `next_cursor` of the previous page. Details as stored (JSON text: see StoredAuditPage). */
  async list(opts: { limit?: number; cursor?: string | null } = {}): Promise<StoredAuditPage> {
    const limit = Math.min(Math.max(1, Math.floor(opts.limit ?? 100)), 1000);
    const before = opts.cursor && /^\d+$/.test(opts.cursor) ? Number(opts.cursor) : Number.MAX_SAFE_INTEGER;
    const rows = this.#sql
      .exec<Row>("SELECT * FROM audit_entries WHERE seq < ? ORDER BY seq DESC LIMIT ?", before, limit)
      .toArray();
    const items = rows.map((r) => ({
      seq: r.seq,
      ts: r.ts,
      type: r.type,
      principal: r.principal,
      reason: r.reason,
      detail: r.detail,
      prev_hash: r.prev,
      hash: r.hash,
    }));
    const last = rows[rows.length - 1];
    return {
      items,
      next_cursor: rows.length === limit && last && last.seq > 1 ? String(last.seq) : null,
      chain_valid: (await this.verify()).valid,
      head: this.#head(),
    };
  }

  /** Walks the whole chain from the first entry and compares its end with the stored head. */
  async verify(): Promise<ChainCheck> {
    let prev = GENESIS;
    let seq = 1;
    let checked = 0;
    for (;;) {
      const page = this.#sql.exec<Row>("SELECT * FROM audit_entries WHERE seq >= ? ORDER BY seq LIMIT ?", seq, PAGE).toArray();
      if (!page.length) break;
      const r = await verifyPage(page, prev, seq);
      if (!r.ok) return { valid: false, checked, firstBad: r.seq, problem: r.problem };
      checked += page.length;
      prev = r.prev;
      seq = r.nextSeq;
    }
    const head = this.#head();
    if (head.seq !== seq - 1 || head.hash !== prev) return { valid: false, checked, firstBad: Math.min(head.seq, seq), problem: "head_mismatch" };
    return { valid: true, checked };
  }

  /** Only for deleting the tenant itself. */
  async purge(): Promise<void> {
    await this.#tail;
    await this.ctx.storage.deleteAll();
    migrate(this.#sql, SCHEMA);
  }

  #head(): { seq: number; hash: string } {
    const row = this.#sql.exec<{ seq: number; hash: string }>("SELECT seq, hash FROM audit_head").toArray()[0];
    return row ?? { seq: 0, hash: GENESIS };
  }
}
