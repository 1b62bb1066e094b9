import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../worker/env";
import type { Tenant } from "../worker/config/tenant";
import type { Limits } from "../worker/config/policy";
import { migrate, type Migration } from "./migrations";

/**
 * One object per tenant (name `tenant:<id>`): the tenant's configuration and its API keys.
 * Every data-plane request asks this object once (`resolve`), so a revoked key fails on the very
 * next request: there is no cache window to wait out.
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
];

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

/** The object of one tenant: the only place its name format is written. */
export function tenantObject(env: Pick<Bindings, "TENANTS">, tenantId: string): DurableObjectStub<TenantObject> {
  return env.TENANTS.get(env.TENANTS.idFromName(`tenant:${tenantId}`));
}

export class TenantObject extends DurableObject<Bindings> {
  #tenant: Tenant | null = null;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => {
      migrate(ctx.storage.sql, MIGRATIONS);
      const row = ctx.storage.sql.exec<{ doc: string }>("SELECT doc FROM tenant LIMIT 1").toArray()[0];
      this.#tenant = row ? (JSON.parse(row.doc) as Tenant) : null;
    });
  }

  /** Creates the tenant; false when this object already holds one. */
  create(tenant: Tenant): boolean {
    if (this.#tenant) return false;
    const now = new Date().toISOString();
    this.ctx.storage.sql.exec("INSERT INTO tenant (id, doc, created_at, updated_at) VALUES (?, ?, ?, ?)", tenant.id, JSON.stringify(tenant), now, now);
    this.#tenant = tenant;
    return true;
  }

  get(): Tenant | null {
    return this.#tenant;
  }

  /** Replaces the stored document; false when there is no tenant (deleted meanwhile). */
  replace(tenant: Tenant): boolean {
    if (!this.#tenant) return false;
    this.ctx.storage.sql.exec("UPDATE tenant SET doc = ?, updated_at = ?", JSON.stringify(tenant), new Date().toISOString());
    this.#tenant = tenant;
    return true;
  }

  /** Deletes the tenant and all its keys. */
  async destroy(): Promise<void> {
    this.#tenant = null;
    await this.ctx.storage.deleteAll();
    migrate(this.ctx.storage.sql, MIGRATIONS);
  }

  issueKey(record: KeyWithHash): boolean {
    if (!this.#tenant) return false;
    this.ctx.storage.sql.exec(
      "INSERT INTO api_keys (id, name, secret_sha256, scopes, limits, expires_at, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, NULL)",
      record.id, record.name, record.secret_sha256, JSON.stringify(record.scopes),
      record.limits ? JSON.stringify(record.limits) : null, record.expires_at, record.created_at,
    );
    return true;
  }

  listKeys(): KeyRecord[] {
    return this.ctx.storage.sql
      .exec<KeyRow>("SELECT * FROM api_keys ORDER BY created_at, id")
      .toArray()
      .map((row) => publicKey(row));
  }

  /** Marks a key revoked; false when it does not exist or was revoked already. */
  revokeKey(id: string): boolean {
    const cursor = this.ctx.storage.sql.exec("UPDATE api_keys SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL", new Date().toISOString(), id);
    return cursor.rowsWritten > 0;
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
  resolve(keyId: string | null): { tenant: Tenant | null; key: KeyWithHash | null } {
    if (!this.#tenant) return { tenant: null, key: null };
    if (keyId === null) return { tenant: this.#tenant, key: null };
    const row = this.ctx.storage.sql.exec<KeyRow>("SELECT * FROM api_keys WHERE id = ?", keyId).toArray()[0];
    return { tenant: this.#tenant, key: row ? { ...publicKey(row), secret_sha256: row.secret_sha256 } : null };
  }
}

export interface WatermarkRecord {
  model: string;
  principal: string;
  input: string;
  label: number;
}

function publicKey(row: KeyRow): KeyRecord {
  return {
    id: row.id,
    name: row.name,
    scopes: JSON.parse(row.scopes) as string[],
    limits: row.limits ? (JSON.parse(row.limits) as Limits) : null,
    expires_at: row.expires_at,
    created_at: row.created_at,
    revoked_at: row.revoked_at,
  };
}
