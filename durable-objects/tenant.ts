import { DurableObject } from "cloudflare:workers";
import { z } from "zod";
import type { Bindings } from "../worker/env";
import { parseStoredTenant, type Tenant } from "../worker/config/tenant";
import { log } from "../worker/log";
import { LimitsSchema, type Limits } from "../worker/config/policy";
import { migrate, type Migration } from "./migrations";
import { tenantBudget } from "../worker/clients/budget";

/**
 * One object per tenant (name `tenant:<id>`): the tenant's configuration and its API keys.
 * Isolates cache what `resolve` answers (worker/auth/tenant-cache.ts) under the configuration
 * version; every change (document, key issued or revoked, deletion) raises the version and,
 * before the change is acknowledged, tells it to every budget object of the tenant's principals
 * (BudgetObject.setConfigVersion). The next admission of a request checked against an older
 * version is refused as stale and re-read here: a revoked key fails on the very next request.
 * Tables: see durable-objects/STORAGE.md.
 */
const MIGRATIONS: readonly Migration[] = [
  [
    `CREATE TABLE tenant (
       id TEXT PRIMARY KEY,
       doc TEXT NOT NULL,                 -- the Tenant as JSON; secret slots are enc:v1:… ciphertexts
       created_at TEXT NOT NULL,
       updated_at TEXT NOT NULL
     )`,
    `CREATE TABLE api_keys (
       id TEXT PRIMARY KEY,               -- public key id, also embedded in the key itself
       name TEXT NOT NULL,
       secret_sha256 TEXT NOT NULL,       -- hex SHA-256 of the key's secret part; the key itself is never stored
       scopes TEXT NOT NULL,              -- JSON array of model names, ["*"] = all
       limits TEXT,                       -- JSON Limits or NULL
       expires_at TEXT,                   -- RFC 3339 or NULL
       created_at TEXT NOT NULL,
       revoked_at TEXT
     )`,
  ],
  [
    `CREATE TABLE watermark_records (
       model TEXT NOT NULL,
       principal TEXT NOT NULL,           -- key:<id> or sub:<subject>
       input TEXT NOT NULL,               -- canonical JSON of the input row that got a substitute label
       label INTEGER NOT NULL,            -- the substitute label returned
       created_at TEXT NOT NULL,
       PRIMARY KEY (model, principal, input)
     )`,
  ],
  [
    `CREATE TABLE marked_principals (
       principal TEXT PRIMARY KEY,        -- a principal that received watermarked text or embeddings
       first_seen TEXT NOT NULL
     )`,
  ],
  [
    // Configuration version (worker/auth/tenant-cache.ts): rises with every change of the document or the keys.
    "ALTER TABLE tenant ADD COLUMN version INTEGER NOT NULL DEFAULT 0",
    // 1 while the principals' budget objects have not yet been told the current version.
    "ALTER TABLE tenant ADD COLUMN unannounced INTEGER NOT NULL DEFAULT 0",
  ],
];

/** How soon an announcement that failed is tried again (alarm). */
const ANNOUNCE_RETRY_MS = 1_000;

export interface KeyRecord {
  id: string;
  name: string;
  scopes: string[];
  limits: Limits | null;
  expires_at: string | null;
  created_at: string;
  revoked_at: string | null;
}

export interface KeyWithHash extends KeyRecord {
  secret_sha256: string;
}

interface KeyRow extends Record<string, SqlStorageValue> {
  id: string;
  name: string;
  secret_sha256: string;
  scopes: string;
  limits: string | null;
  expires_at: string | null;
  created_at: string;
  revoked_at: string | null;
}

export class TenantObject extends DurableObject<Bindings> {
  #tenant: Tenant | null = null;
  /** The stored document failed the schema on load: reads fail (500) until the tenant is deleted. */
  #unreadable = false;
  #version = 0;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage.sql, MIGRATIONS);
      const row = ctx.storage.sql.exec<{ doc: string; version: number }>("SELECT doc, version FROM tenant LIMIT 1").toArray()[0];
      this.#tenant = row ? loadTenant(row.doc) : null;
      this.#unreadable = row !== undefined && this.#tenant === null;
      this.#version = row?.version ?? 0;
    });
  }

  /** Creates the tenant; false when this object already holds one. */
  async create(tenant: Tenant): Promise<boolean> {
    if (this.#tenant || this.#unreadable) return false;
    const now = new Date().toISOString();
    this.ctx.storage.sql.exec("INSERT INTO tenant (id, doc, created_at, updated_at) VALUES (?, ?, ?, ?)", tenant.id, JSON.stringify(tenant), now, now);
    this.#tenant = tenant;
    await this.#changed();
    return true;
  }

  get(): Tenant | null {
    return this.#document();
  }

  #document(): Tenant | null {
    if (this.#unreadable) throw new Error("the stored tenant document does not fit the schema (see tenant.stored_invalid)");
    return this.#tenant;
  }

  /** Replaces the stored document; false when there is no tenant (deleted meanwhile). */
  async replace(tenant: Tenant): Promise<boolean> {
    if (!this.#tenant) return false;
    this.ctx.storage.sql.exec("UPDATE tenant SET doc = ?, updated_at = ?", JSON.stringify(tenant), new Date().toISOString());
    this.#tenant = tenant;
    await this.#changed();
    return true;
  }

  /** Deletes the tenant and all its keys; cached copies are told first, so none admits again. */
  async destroy(): Promise<void> {
    if (this.#tenant) await this.#changed();
    this.#tenant = null;
    this.#unreadable = false;
    await this.ctx.storage.deleteAll();
    migrate(this.ctx.storage.sql, MIGRATIONS);
  }

  async issueKey(record: KeyWithHash): Promise<boolean> {
    if (!this.#tenant) return false;
    this.ctx.storage.sql.exec(
      "INSERT INTO api_keys (id, name, secret_sha256, scopes, limits, expires_at, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
      record.id, record.name, record.secret_sha256, JSON.stringify(record.scopes),
      record.limits ? JSON.stringify(record.limits) : null, record.expires_at, record.created_at,
    );
    await this.#changed();
    return true;
  }

  /**
   * A new version (above every earlier one, across a deletion too: it is clock-based), stored
   * with the change, then announced to the tenant's budget objects before the change is
   * acknowledged. An announcement that fails is retried by the alarm until it gets through.
   */
  async #changed(): Promise<void> {
    this.#version = Math.max(this.#version + 1, Date.now() * 1000);
    this.ctx.storage.sql.exec("UPDATE tenant SET version = ?, unannounced = 1", this.#version);
    await this.#announce();
  }

  async #announce(): Promise<void> {
    const tenantId = this.#tenant?.id;
    if (!tenantId) return;
    const version = this.#version;
    try {
      await tenantBudget(this.env, tenantId).setConfigVersion(tenantId, version);
      if (this.#version === version) this.ctx.storage.sql.exec("UPDATE tenant SET unannounced = 0");
    } catch (err) {
      await this.ctx.storage.setAlarm(Date.now() + ANNOUNCE_RETRY_MS);
      throw err;
    }
  }

  override async alarm(): Promise<void> {
    const row = this.ctx.storage.sql.exec<{ unannounced: number }>("SELECT unannounced FROM tenant LIMIT 1").toArray()[0];
    if (row?.unannounced) await this.#announce();
  }

  listKeys(): KeyRecord[] {
    return this.ctx.storage.sql
      .exec<KeyRow>("SELECT * FROM api_keys ORDER BY created_at, id")
      .toArray()
      .map((row) => publicKey(row));
  }

  /** Marks a key revoked; false when it does not exist or was revoked already. */
  async revokeKey(id: string): Promise<boolean> {
    const cursor = this.ctx.storage.sql.exec("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", new Date().toISOString(), id);
    if (cursor.rowsWritten === 0) return false;
    await this.#changed();
    return true;
  }

  /** Label-watermark records: the proof kept for later (CONTRACT §6). Same input, same answer: kept once. */
  recordWatermarks(records: WatermarkRecord[]): void {
    if (!this.#tenant) return;
    const now = new Date().toISOString();
    for (const r of records) {
      this.ctx.storage.sql.exec(
        "INSERT INTO watermark_records (model, principal, input, label, created_at) VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
        r.model, r.principal, r.input, r.label, now,
      );
    }
  }

  watermarkRecords(model: string, principal: string | null, limit: number): WatermarkRecord[] {
    const rows = principal === null
      ? this.ctx.storage.sql.exec<WatermarkRecord & Record<string, SqlStorageValue>>(
          "SELECT model, principal, input, label FROM watermark_records WHERE model = ? ORDER BY created_at, input LIMIT ?", model, limit)
      : this.ctx.storage.sql.exec<WatermarkRecord & Record<string, SqlStorageValue>>(
          "SELECT model, principal, input, label FROM watermark_records WHERE model = ? AND principal = ? ORDER BY created_at, input LIMIT ?", model, principal, limit);
    return rows.toArray().map((r) => ({ model: r.model, principal: r.principal, input: r.input, label: r.label }));
  }

  /** Principals named in watermark records (JWT subjects among them): candidates for attribution. */
  knownPrincipals(): string[] {
    return this.ctx.storage.sql
      .exec<{ principal: string }>("SELECT principal FROM watermark_records UNION SELECT principal FROM marked_principals")
      .toArray()
      .map((r) => r.principal);
  }

  notePrincipal(principal: string): void {
    if (!this.#tenant) return;
    this.ctx.storage.sql.exec("INSERT INTO marked_principals (principal, first_seen) VALUES (?, ?) ON CONFLICT DO NOTHING", principal, new Date().toISOString());
  }

  /**
   * The hot path: the tenant and, when a key id is given, that key with its secret hash, in one
   * round trip. The caller compares hashes in constant time.
   */
  resolve(keyId: string | null): Resolved {
    const tenant = this.#document();
    if (!tenant) return { tenant: null, key: null, version: 0 };
    if (keyId === null) return { tenant, key: null, version: this.#version };
    const row = this.ctx.storage.sql.exec<KeyRow>("SELECT * FROM api_keys WHERE id = ?", keyId).toArray()[0];
    return { tenant, key: row ? { ...publicKey(row), secret_sha256: row.secret_sha256 } : null, version: this.#version };
  }
}

/** `version`: the configuration version the answer belongs to (0 without a tenant). */
export interface Resolved {
  tenant: Tenant | null;
  key: KeyWithHash | null;
  version: number;
}

export interface WatermarkRecord {
  model: string;
  principal: string;
  input: string;
  label: number;
}

/**
 * The stored document, parsed (worker/config/tenant.ts); null when it fails the schema: the
 * tenant is then refused rather than served from a document nothing checked. The log names the
 * failing paths only, never values (sealed secrets, origin addresses).
 */
function loadTenant(doc: string): Tenant | null {
  try {
    return parseStoredTenant(doc);
  } catch (err) {
    const issues = err instanceof z.ZodError ? err.issues.slice(0, 20).map((i) => `${i.path.join(".")}: ${i.code}`) : [(err as Error).name];
    log("tenant.stored_invalid", { issues });
    return null;
  }
}

/** A key row's JSON columns, written from a parsed key request (worker/admin/keys.ts), parsed back rather than cast. */
const StoredKeyFields = z.object({ scopes: z.array(z.string()), limits: LimitsSchema.nullable() });

/**
 * A key record from its row. Columns that no longer fit the schema make the read fail (500), as
 * a stored document does: the key is not served with limits nothing checked. Revoking it still
 * works (revokeKey reads no column). The log names the failing paths only, never values.
 */
function publicKey(row: KeyRow): KeyRecord {
  let fields: { scopes: string[]; limits: Limits | null };
  try {
    fields = StoredKeyFields.parse({ scopes: JSON.parse(row.scopes), limits: row.limits ? JSON.parse(row.limits) : null });
  } catch (err) {
    const issues = err instanceof z.ZodError ? err.issues.slice(0, 20).map((i) => `${i.path.join(".")}: ${i.code}`) : [errorName(err)];
    log("tenant.key_stored_invalid", { key: row.id, issues });
    throw new Error("a stored key record does not fit the schema (see tenant.key_stored_invalid)");
  }
  return {
    id: row.id,
    name: row.name,
    scopes: fields.scopes,
    limits: fields.limits,
    expires_at: row.expires_at,
    created_at: row.created_at,
    revoked_at: row.revoked_at,
  };
}

const errorName = (err: unknown): string => (err instanceof Error ? err.name : "error");
