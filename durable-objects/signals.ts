import { DurableObject } from "cloudflare:workers";
import type { Bindings } from "../worker/env";
import { PROJECTION_VERSION } from "../worker/extraction/projection";
import type { TenantView } from "../worker/extraction/principal";
import { SignalsWrites, loadMeta, migrateSignals, wipeSignals } from "./signals-store";
import { PrincipalRole, RESET_AT, type ObserveBatchInput, type ObserveBatchResult, type RecordAnswerInput } from "./signals-principal";
import { TenantRole, type IngestInput, type PrincipalExtraction } from "./signals-tenant";
import { signalsHooks } from "./test-hooks";
import { tenantSignals, type SignalsStub } from "../worker/clients/signals";

export { FORWARD_BATCH, FORWARD_INTERVAL_MS, FORWARD_PENDING, FORWARD_ROWS } from "./signals-principal";
export type { ObserveBatchInput, ObserveBatchResult, ObserveInput, ObserveItem, ObserveResult, PrincipalStatus, RecordAnswerInput } from "./signals-principal";
export type { IngestInput, PrincipalExtraction, TenantStatus } from "./signals-tenant";

/**
 * Extraction signals (CONTRACT §5, docs/extraction.md). One class, two roles, told apart by the
 * method called and fixed by the first call:
 * - `signals:<tenant>:<principal>` — a principal's detector (durable-objects/signals-principal.ts);
 *   `observe`/`observeBatch` after admission, off the request's critical path, `recordAnswer` after the answer.
 * - `signals:<tenant>:*` — the tenant-wide view (durable-objects/signals-tenant.ts). Principal
 *   objects forward their queries to it, coalesced (`ingest`), and fold its answer into their next
 *   observation; it also keeps the latest score and state of every principal for the admin usage
 *   view (`principals`).
 * This class is the RPC surface and owns what both roles share: schema, meta and the rows written
 * behind (durable-objects/signals-store.ts). Tables and memory bounds: durable-objects/STORAGE.md.
 * Both names are made, and the objects addressed, in worker/clients/signals.ts.
 */
export class SignalsObject extends DurableObject<Bindings> {
  #sql: SqlStorage;
  /** Rows written behind; `meta` is the in-memory sig_meta. */
  #writes: SignalsWrites;
  #principal: PrincipalRole;
  #tenant: TenantRole;
  /** The tenant object's stub, built once: a name lookup per forwarded call showed in the profile. */
  #tenantStubCache: { tenant: string; stub: SignalsStub } | null = null;

  constructor(ctx: DurableObjectState, env: Bindings) {
    super(ctx, env);
    this.#sql = ctx.storage.sql;
    this.#writes = new SignalsWrites(this.#sql, {
      meta: () => (this.#tenant.signals ? this.#tenant.metaValues() : this.#principal.metaValues()),
      memory: () => {
        const t = this.#tenant.signals;
        if (t) return { memory: t.memory, owners: t.owners };
        const p = this.#principal.signals;
        return p ? { memory: p.memory } : null;
      },
      window: (name) => (name === "union" ? this.#tenant.signals?.distances : this.#principal.window(name)),
      volume: (minute) => this.#principal.signals?.volume.minutes.get(minute),
      track: (principal) => this.#tenant.signals?.tracks.get(principal),
    });
    this.#principal = new PrincipalRole({
      writes: this.#writes,
      bind: (tenant, principal) => this.#bind("principal", tenant, principal),
      ingest: (input) => this.#tenantStub(input.tenant).ingest(input),
    });
    this.#tenant = new TenantRole(this.#sql, this.#writes);
    signalsHooks.register(this, {
      flush: () => this.#flush(),
      principal: () => this.#principal.status(this.#writes.meta),
      tenant: () => this.#tenant.status(this.#writes.meta),
    });
    void ctx.blockConcurrencyWhile(async () => {
      migrateSignals(this.#sql);
      for (const [k, v] of loadMeta(this.#sql)) this.#writes.meta.set(k, v);
      const meta = this.#writes.meta;
      if (meta.has("projection") && meta.get("projection") !== PROJECTION_VERSION) this.#wipe();
      if (meta.get("role") === "principal") this.#principal.load(this.#sql, meta);
      if (meta.get("role") === "tenant") this.#tenant.load(meta);
    });
  }

  // ─── principal role ────────────────────────────────────────────────────────────────────────

  /** A principal's observations coalesced by one isolate (worker/extraction/observe-batch.ts), run in order as separate `observe` calls. */
  async observeBatch(input: ObserveBatchInput): Promise<ObserveBatchResult> {
    return this.#principal.observeBatch(input);
  }

  /** Boundary probing: margins of the answer the origin gave. Call after the answer (waitUntil). */
  async recordAnswer(input: RecordAnswerInput): Promise<void> {
    this.#principal.recordAnswer(input);
  }

  /** Clears a principal's signals, state and cooldown (admin reset), here and in the tenant view. */
  async reset(): Promise<void> {
    const meta = this.#writes.meta;
    const tenant = meta.get("tenant");
    const principal = meta.get("principal");
    const role = meta.get("role");
    await this.#flush();
    this.#wipe();
    // Observations of requests seen before this moment, still on their way, are dropped (signals-principal.ts atMs).
    this.#writes.setMeta({ [RESET_AT]: String(Date.now()) });
    this.#writes.flushNow();
    if (role === "principal" && tenant && principal) await this.#tenantStub(tenant).forget(principal);
  }

  // ─── tenant role ───────────────────────────────────────────────────────────────────────────

  /** Adds a principal's queries to the union and returns what that principal should fold in. */
  async ingest(input: IngestInput): Promise<TenantView> {
    this.#bind("tenant", input.tenant, null);
    return this.#tenant.ingest(input);
  }

  /** Every principal's latest extraction standing (CONTRACT §7 usage view), expired states lapsed. */
  async principals(): Promise<PrincipalExtraction[]> {
    return this.#tenant.principals();
  }

  /** Drops a principal from the tenant view (its admin reset). */
  async forget(principal: string): Promise<void> {
    this.#tenant.forget(principal);
  }

  // ─── both ──────────────────────────────────────────────────────────────────────────────────

  /** Sends what waits for the tenant object and writes what waits behind (reset; tests through test-hooks.ts). */
  async #flush(): Promise<void> {
    await this.#principal.flush();
    this.#writes.flushNow();
  }

  #bind(role: "principal" | "tenant", tenant: string, principal: string | null): void {
    const meta = this.#writes.meta;
    const current = meta.get("role");
    if (current && current !== role) throw new Error(`SignalsObject: a ${current} object was called as a ${role} object`);
    if (current && meta.get("tenant") !== tenant) throw new Error("SignalsObject: tenant mismatch");
    if (!current) {
      this.#writes.setMeta({ role, tenant, projection: PROJECTION_VERSION, ...(principal !== null ? { principal } : {}) });
      this.#writes.flushNow();
    }
  }

  #tenantStub(tenant: string): SignalsStub {
    if (this.#tenantStubCache?.tenant !== tenant) this.#tenantStubCache = { tenant, stub: tenantSignals(this.env, tenant) };
    return this.#tenantStubCache.stub;
  }

  #wipe(): void {
    wipeSignals(this.#sql);
    this.#writes.clear();
    this.#principal.reset();
    this.#tenant.reset();
  }
}
