import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../worker/env";
import { migrate, type Migration } from "./migrations";

/**
 * One global object (name `directory`): which tenant ids exist, and which JWT issuers each
 * tenant trusts. The data plane asks it whether a tenant exists the first time an isolate
 * meets the tenant id (then it is remembered), and for the 403-for-another-tenant's-JWT check.
 */
const MIGRATIONS: readonly Migration[] = [
  [
    `CREATE TABLE tenants (
       id TEXT PRIMARY KEY,
       jwt_issuer TEXT,                   -- policy.auth.jwt.issuer, to tell "another tenant's JWT" (403) from a bad one (401)
       created_at TEXT NOT NULL
     )`,
    "CREATE INDEX tenants_by_issuer ON tenants (jwt_issuer)",
  ],
];

/** The one directory object. */
export function directoryObject(env: Pick<Bindings, "DIRECTORY">): DurableObjectStub<DirectoryObject> {
  return env.DIRECTORY.get(env.DIRECTORY.idFromName("directory"));
}

export class DirectoryObject extends DurableObject<Bindings> {
  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage.sql, MIGRATIONS));
  }

  /** Claims a tenant id; false when it is taken. */
  reserve(id: string, jwtIssuer: string | null): boolean {
    const cursor = this.ctx.storage.sql.exec(
      "INSERT INTO tenants (id, jwt_issuer, created_at) VALUES (?, ?, ?) ON CONFLICT (id) DO NOTHING",
      id, jwtIssuer, new Date().toISOString(),
    );
    return cursor.rowsWritten > 0;
  }

  setIssuer(id: string, jwtIssuer: string | null): void {
    this.ctx.storage.sql.exec("UPDATE tenants SET jwt_issuer = ? WHERE id = ?", jwtIssuer, id);
  }

  release(id: string): void {
    this.ctx.storage.sql.exec("DELETE FROM tenants WHERE id = ?", id);
  }

  /** Asked by the data plane before it addresses a tenant's object (worker/auth/known-tenants.ts). */
  exists(id: string): boolean {
    return this.ctx.storage.sql.exec("SELECT 1 FROM tenants WHERE id = ?", id).toArray().length > 0;
  }

  /** Tenant ids in order, after `cursor`, at most `limit`. */
  list(cursor: string | null, limit: number): string[] {
    return this.ctx.storage.sql
      .exec<{ id: string }>("SELECT id FROM tenants WHERE id > ? ORDER BY id LIMIT ?", cursor ?? "", limit)
      .toArray()
      .map((r) => r.id);
  }

  tenantsTrustingIssuer(issuer: string): string[] {
    return this.ctx.storage.sql
      .exec<{ id: string }>("SELECT id FROM tenants WHERE jwt_issuer = ? LIMIT 8", issuer)
      .toArray()
      .map((r) => r.id);
  }
}
