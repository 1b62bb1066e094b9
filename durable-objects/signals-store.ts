import { DIMS } from "../worker/extraction/projection";
import type { Ring } from "../worker/extraction/ring";
import type { PrincipalTrack } from "../worker/extraction/tenant";
import type { ExtractionState } from "../worker/extraction/state";
import { TENANT_MEMORY } from "../worker/extraction/tenant";
import { deleteKeys, writeRows } from "./sql-values";
import { migrate, type Migration } from "./migrations";

/**
 * SignalsObject's tables (durable-objects/STORAGE.md, "SignalsObject"), as ordered, append-only
 * migrations (durable-objects/migrations.ts): never edit or reorder a step, add one.
 */
export const SIGNALS_SCHEMA: readonly Migration[] = [
  [
    "CREATE TABLE sig_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    `CREATE TABLE sig_memory (slot INTEGER PRIMARY KEY CHECK (slot >= 0 AND slot < ${TENANT_MEMORY}), vec BLOB NOT NULL,
       principal TEXT NOT NULL DEFAULT '')`,
    "CREATE TABLE sig_windows (name TEXT PRIMARY KEY, data BLOB NOT NULL, count INTEGER NOT NULL CHECK (count >= 0))",
    "CREATE TABLE sig_buckets (bucket TEXT PRIMARY KEY, last_ms INTEGER NOT NULL)",
    "CREATE TABLE sig_volume (minute INTEGER PRIMARY KEY, queries INTEGER NOT NULL CHECK (queries >= 0))",
    `CREATE TABLE sig_tracks (principal TEXT PRIMARY KEY, dist BLOB NOT NULL, dist_count INTEGER NOT NULL, knn BLOB NOT NULL,
       knn_count INTEGER NOT NULL, seen INTEGER NOT NULL, last_ms INTEGER NOT NULL)`,
    `CREATE TABLE sig_principals (principal TEXT PRIMARY KEY, score REAL NOT NULL, state TEXT NOT NULL
       CHECK (state IN ('normal', 'degraded', 'blocked')), until_ms INTEGER, cooldown_s INTEGER NOT NULL, updated_ms INTEGER NOT NULL)`,
  ],
  // Issue 9: synthetic-row share, fingerprint moments (the self-built reference) and escalation per track.
  [
    "ALTER TABLE sig_tracks ADD COLUMN synthetic BLOB",
    "ALTER TABLE sig_tracks ADD COLUMN synthetic_count INTEGER NOT NULL DEFAULT 0",
    "ALTER TABLE sig_tracks ADD COLUMN moments TEXT",
    "ALTER TABLE sig_tracks ADD COLUMN escalated INTEGER NOT NULL DEFAULT 0",
  ],
];

const TABLES = ["sig_meta", "sig_memory", "sig_windows", "sig_buckets", "sig_volume", "sig_tracks", "sig_principals"] as const;

export function migrateSignals(sql: SqlStorage): void {
  migrate(sql, SIGNALS_SCHEMA);
}

/** Deletes every row of every table (projection change, reset). */
export function wipeSignals(sql: SqlStorage): void {
  for (const table of TABLES) sql.exec(`DELETE FROM ${table}`);
}

/** `sig_meta` as it is on disk. */
export function loadMeta(sql: SqlStorage): Array<[string, string]> {
  return [...sql.exec<{ key: string; value: string }>("SELECT key, value FROM sig_meta")].map((r) => [r.key, r.value]);
}

/** `sig_windows` by name. */
export function loadWindows(sql: SqlStorage): Map<string, { data: Uint8Array; count: number }> {
  const out = new Map<string, { data: Uint8Array; count: number }>();
  for (const r of sql.exec<{ name: string; data: ArrayBuffer; count: number }>("SELECT name, data, count FROM sig_windows")) {
    out.set(r.name, { data: new Uint8Array(r.data), count: r.count });
  }
  return out;
}

/** Fills a flat fingerprint memory (and, for the tenant role, each slot's owner) from `sig_memory`. */
export function loadMemory(sql: SqlStorage, memory: Float32Array, capacity: number, owners?: string[]): void {
  for (const r of sql.exec<{ slot: number; vec: ArrayBuffer; principal: string }>("SELECT slot, vec, principal FROM sig_memory")) {
    if (r.slot >= capacity || r.vec.byteLength !== DIMS * 4) continue;
    memory.set(new Float32Array(r.vec), r.slot * DIMS);
    if (owners) owners[r.slot] = r.principal;
  }
}

export function parseJson<T>(text: string | undefined): T | null {
  if (text === undefined) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}

/**
 * SignalsObject's writes, behind (issue 11). An observation used to write a dozen rows in the
 * request's own turn — meta, seven windows, fingerprint slots, buckets, volume — and that was
 * most of the object's CPU. The signals are advisory (the gate is the budget object's standing,
 * durable there), so rows are marked dirty here and written together at most WRITE_BEHIND_MS
 * later, in one turn; a row touched many times in between is written once. What must not wait —
 * a changed standing — is written at once by the caller (`flushNow`).
 *
 * What a crash can lose (docs/budgets.md): the observations of the last WRITE_BEHIND_MS of one
 * principal object (their fingerprints, window entries and volume), and the tenant view's ingests
 * of that span; never a standing change.
 */
export const WRITE_BEHIND_MS = 1_000;

const PRINCIPAL_COLS = ["principal", "score", "state", "until_ms", "cooldown_s", "updated_ms"] as const;

/** The usage index row of one principal in the tenant object. */
export interface PrincipalRow {
  score: number;
  state: ExtractionState;
  untilMs: number | null;
  cooldownS: number;
  updatedMs: number;
}

/** Where the dirty rows' current values live: the object's in-memory state. */
export interface SignalsSource {
  /** The role's meta values as of now (score, counts, standing…), read when `touchMeta()` marked them. */
  meta(): Record<string, string>;
  /** The fingerprint memory and, for the tenant role, each slot's owner. */
  memory(): { memory: Float32Array; owners?: readonly string[] } | null;
  /** The ring of a window by name (principal windows, or the tenant's "union"). */
  window(name: string): Ring | undefined;
  volume(minute: number): number | undefined;
  track(principal: string): PrincipalTrack | undefined;
}

export class SignalsWrites {
  readonly #sql: SqlStorage;
  readonly #source: SignalsSource;
  readonly meta = new Map<string, string>();
  #dirtyMeta = new Set<string>();
  /** The role's meta values changed: read them from the source at the next write, not per observation. */
  #metaTouched = false;
  #slots = new Set<number>();
  #windows = new Set<string>();
  /** Per window: the ring's count when last written (unchanged count and not cleared: nothing to write). */
  #savedCounts = new Map<string, number>();
  /** bucket → last use (ms), or null: delete it. */
  #buckets = new Map<string, number | null>();
  #minutes = new Set<number>();
  #volumeCutoff: number | null = null;
  /** The last cutoff deleted up to, since load. */
  #deletedCutoff: number | null = null;
  #tracks = new Set<string>();
  #principals = new Map<string, PrincipalRow>();
  /** Each principal's state as last given to principalRow (unknown after a load: the first row is a change). */
  #indexed = new Map<string, ExtractionState>();
  #dropped = new Set<string>();
  #timer: ReturnType<typeof setTimeout> | null = null;

  constructor(sql: SqlStorage, source: SignalsSource) {
    this.#sql = sql;
    this.#source = source;
  }

  /** Meta entries; unchanged values are not written. */
  setMeta(entries: Record<string, string>): void {
    for (const [k, v] of Object.entries(entries)) {
      if (this.meta.get(k) === v) continue;
      this.meta.set(k, v);
      this.#dirtyMeta.add(k);
    }
  }

  /** The role's own meta values (SignalsSource.meta) changed; they are read and compared when written. */
  touchMeta(): void {
    this.#metaTouched = true;
  }

  slot(slot: number): void {
    this.#slots.add(slot);
  }

  /** `force`: the ring was cleared (its count alone cannot tell it changed). */
  window(name: string, force = false): void {
    if (force) this.#savedCounts.delete(name);
    this.#windows.add(name);
  }

  bucket(bucket: string, lastMs: number | null): void {
    this.#buckets.set(bucket, lastMs);
  }

  /** A minute's query count changed; minutes up to `cutoff` are dropped. */
  volume(minute: number, cutoff: number): void {
    this.#minutes.add(minute);
    this.#volumeCutoff = Math.max(this.#volumeCutoff ?? cutoff, cutoff);
  }

  track(principal: string): void {
    this.#dropped.delete(principal);
    this.#tracks.add(principal);
  }

  /** Returns whether the principal's state differs from the one last indexed here (since load). */
  principalRow(principal: string, row: PrincipalRow): boolean {
    this.#dropped.delete(principal);
    this.#principals.set(principal, row);
    const changed = this.#indexed.get(principal) !== row.state;
    this.#indexed.set(principal, row.state);
    return changed;
  }

  /** A principal left the tenant view: its track and index row go (and nothing pending brings them back). */
  drop(principal: string): void {
    this.#indexed.delete(principal);
    this.#tracks.delete(principal);
    this.#principals.delete(principal);
    this.#dropped.add(principal);
  }

  /** Writes everything dirty within WRITE_BEHIND_MS (one timer at a time). */
  later(): void {
    this.#timer ??= setTimeout(() => {
      this.#timer = null;
      this.flushNow();
    }, WRITE_BEHIND_MS);
  }

  /** Writes everything dirty now, in this turn. */
  flushNow(): void {
    // A pending timer stays: it finds nothing to write (clearing timers costs more than that).
    const sql = this.#sql;
    if (this.#metaTouched) {
      this.#metaTouched = false;
      this.setMeta(this.#source.meta());
    }
    writeRows(sql, "sig_meta", ["key", "value"], [...this.#dirtyMeta].map((k) => [k, this.meta.get(k)!]));
    this.#dirtyMeta.clear();
    const mem = this.#source.memory();
    if (mem) {
      const rows = [...this.#slots].map((slot): SqlStorageValue[] => [slot, new Float32Array(mem.memory.subarray(slot * DIMS, (slot + 1) * DIMS)).buffer, mem.owners?.[slot] ?? ""]);
      writeRows(sql, "sig_memory", ["slot", "vec", "principal"], rows);
    }
    this.#slots.clear();
    const windows: SqlStorageValue[][] = [];
    for (const name of this.#windows) {
      const ring = this.#source.window(name);
      if (!ring || this.#savedCounts.get(name) === ring.count) continue;
      this.#savedCounts.set(name, ring.count);
      windows.push([name, ring.blob().buffer as ArrayBuffer, ring.count]);
    }
    writeRows(sql, "sig_windows", ["name", "data", "count"], windows);
    this.#windows.clear();
    const kept = [...this.#buckets].filter(([, ms]) => ms !== null) as Array<[string, number]>;
    writeRows(sql, "sig_buckets", ["bucket", "last_ms"], kept);
    deleteKeys(sql, "sig_buckets", "bucket", [...this.#buckets].filter(([, ms]) => ms === null).map(([b]) => b));
    this.#buckets.clear();
    writeRows(sql, "sig_volume", ["minute", "queries"], [...this.#minutes].map((m) => [m, this.#source.volume(m) ?? 0]));
    // The cutoff moves once a minute: deleting up to the same minute again finds nothing.
    if (this.#volumeCutoff !== null && this.#volumeCutoff !== this.#deletedCutoff) {
      sql.exec("DELETE FROM sig_volume WHERE minute <= ?", this.#volumeCutoff);
      this.#deletedCutoff = this.#volumeCutoff;
    }
    this.#minutes.clear();
    this.#volumeCutoff = null;
    const dropped = [...this.#dropped];
    deleteKeys(sql, "sig_tracks", "principal", dropped);
    deleteKeys(sql, "sig_principals", "principal", dropped);
    this.#dropped.clear();
    const tracks: SqlStorageValue[][] = [];
    for (const principal of this.#tracks) {
      const t = this.#source.track(principal);
      if (t) tracks.push(trackRow(principal, t));
    }
    writeRows(sql, "sig_tracks", TRACK_COLS, tracks);
    this.#tracks.clear();
    writeRows(sql, "sig_principals", PRINCIPAL_COLS, [...this.#principals].map(([p, r]) => [p, r.score, r.state, r.untilMs, r.cooldownS, r.updatedMs]));
    this.#principals.clear();
  }

  /** Forgets everything pending (the object's state was wiped). */
  clear(): void {
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = null;
    this.meta.clear();
    this.#dirtyMeta.clear();
    this.#metaTouched = false;
    this.#slots.clear();
    this.#windows.clear();
    this.#savedCounts.clear();
    this.#buckets.clear();
    this.#minutes.clear();
    this.#volumeCutoff = null;
    this.#deletedCutoff = null;
    this.#tracks.clear();
    this.#principals.clear();
    this.#indexed.clear();
    this.#dropped.clear();
  }
}

const TRACK_COLS = ["principal", "dist", "dist_count", "knn", "knn_count", "seen", "last_ms", "synthetic", "synthetic_count", "moments", "escalated"] as const;

function trackRow(principal: string, t: PrincipalTrack): SqlStorageValue[] {
  return [
    principal,
    t.dist.blob().buffer as ArrayBuffer,
    t.dist.count,
    t.knn.blob().buffer as ArrayBuffer,
    t.knn.count,
    t.seen,
    t.lastMs,
    t.synthetic.blob().buffer as ArrayBuffer,
    t.synthetic.count,
    JSON.stringify(t.moments.toJSON()),
    t.escalated ? 1 : 0,
  ];
}
