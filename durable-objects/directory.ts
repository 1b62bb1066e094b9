import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../worker/env";
import { migrate, type Migration } from "./migrations";
import { separated, type JwtTrust } from "../worker/auth/jwt-trust";

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
  [
    `CREATE TABLE jwt_trust (
       tenant TEXT NOT NULL,
       issuer TEXT NOT NULL,
       audience TEXT NOT NULL,            -- one row per audience the tenant accepts
       claim TEXT,                        -- policy.auth.jwt.tenant_claim.claim, or NULL (unbound)
       value TEXT,                        -- the value that claim must have, or NULL
       PRIMARY KEY (tenant, audience)
     )`,
    "CREATE INDEX jwt_trust_by_issuer ON jwt_trust (issuer, audience)",
  ],
];

/** Why a tenant cannot hold a trust: another tenant that would accept the same tokens. */
export type TrustClaim =
  | { ok: true }
  | { ok: false; reason: "taken" }
  | { ok: false; reason: "missing" }
  | { ok: false; reason: "conflict"; other: string };

export class DirectoryObject extends DurableObject<Bindings> {
  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    ctx.blockConcurrencyWhile(async () => migrate(ctx.storage.sql, MIGRATIONS));
  }

  /**
   * Claims a tenant id and its JWT trust in one step: "taken" when the id exists, "conflict" when
   * another tenant already trusts the same tokens (worker/auth/jwt-trust.ts).
   */
  reserve(id: string, trust: JwtTrust | null): TrustClaim {
    if (this.exists(id)) return { ok: false, reason: "taken" };
    const other = this.#conflict(id, trust);
    if (other !== null) return { ok: false, reason: "conflict", other };
    this.ctx.storage.sql.exec("INSERT INTO tenants (id, jwt_issuer, created_at) VALUES (?, ?, ?)", id, trust?.issuer ?? null, new Date().toISOString());
    this.#writeTrust(id, trust);
    return { ok: true };
  }

  /** Replaces a tenant's JWT trust, unless another tenant already trusts the same tokens. */
  setTrust(id: string, trust: JwtTrust | null): TrustClaim {
    if (!this.exists(id)) return { ok: false, reason: "missing" };
    const other = this.#conflict(id, trust);
    if (other !== null) return { ok: false, reason: "conflict", other };
    this.ctx.storage.sql.exec("UPDATE tenants SET jwt_issuer = ? WHERE id = ?", trust?.issuer ?? null, id);
    this.#writeTrust(id, trust);
    return { ok: true };
  }

  /**
   * Tenants with a JWT issuer but no trust rows: created before the trust table existed. The
   * admin plane records their trust (`track`) before it checks a new one against this issuer.
   */
  untracked(issuer: string): string[] {
    return this.ctx.storage.sql
      .exec<{ id: string }>("SELECT id FROM tenants WHERE jwt_issuer = ? AND id NOT IN (SELECT tenant FROM jwt_trust)", issuer)
      .toArray()
      .map((r) => r.id);
  }

  track(id: string, trust: JwtTrust | null): void {
    if (!this.exists(id)) return;
    this.ctx.storage.sql.exec("UPDATE tenants SET jwt_issuer = ? WHERE id = ?", trust?.issuer ?? null, id);
    this.#writeTrust(id, trust);
  }

  release(id: string): void {
    this.ctx.storage.sql.exec("DELETE FROM tenants WHERE id = ?", id);
    this.ctx.storage.sql.exec("DELETE FROM jwt_trust WHERE tenant = ?", id);
  }

  #conflict(id: string, trust: JwtTrust | null): string | null {
    if (!trust) return null;
    for (const audience of trust.audiences) {
      const rows = this.ctx.storage.sql
        .exec<{ tenant: string; claim: string | null; value: string | null }>(
          "SELECT tenant, claim, value FROM jwt_trust WHERE issuer = ? AND audience = ? AND tenant != ? ORDER BY tenant",
          trust.issuer, audience, id,
        )
        .toArray();
      const clash = rows.find((r) => !separated(trust, r));
      if (clash) return clash.tenant;
    }
    return null;
  }

  #writeTrust(id: string, trust: JwtTrust | null): void {
    this.ctx.storage.sql.exec("DELETE FROM jwt_trust WHERE tenant = ?", id);
    for (const audience of trust?.audiences ?? []) {
      this.ctx.storage.sql.exec(
        "INSERT INTO jwt_trust (tenant, issuer, audience, claim, value) VALUES (?, ?, ?, ?, ?)",
        id, trust!.issuer, audience, trust!.claim, trust!.value,
      );
    }
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

  /**
   * The tenants that may accept a token of this issuer for one of these audiences, with their
   * bindings: the candidates of the 403-for-another-tenant's-JWT check, each verified in full.
   */
  trustFor(issuer: string, audiences: string[]): Array<{ tenant: string; claim: string | null; value: string | null }> {
    const out = new Map<string, { tenant: string; claim: string | null; value: string | null }>();
    for (const audience of audiences.slice(0, 16)) {
      const rows = this.ctx.storage.sql
        .exec<{ tenant: string; claim: string | null; value: string | null }>(
          "SELECT tenant, claim, value FROM jwt_trust WHERE issuer = ? AND audience = ? LIMIT 1000", issuer, audience)
        .toArray();
      for (const r of rows) out.set(r.tenant, { tenant: r.tenant, claim: r.claim, value: r.value });
    }
    for (const tenant of this.untracked(issuer)) out.set(tenant, { tenant, claim: null, value: null });
    return [...out.values()];
  }
}
