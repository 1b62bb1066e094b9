/**
 * Many rows in one statement. Each `sql.exec` costs a crossing into the runtime, a statement
 * lookup, trace spans and a result cursor: for a batch of dozens of rows (a metrics flush) that
 * fixed cost was most of the object's CPU. So a larger batch goes in as one JSON array parameter,
 * unpacked by SQLite's `json_each`: one call, any number of rows, the same statement text every
 * time (prepared once per object). A few rows stay bound statements (BOUND_ROWS_MAX).
 *
 * Only for TEXT, INTEGER and REAL columns: JSON has no BLOB. `->>` gives SQL values (a JSON
 * integer an INTEGER, a string TEXT), so the table's types and CHECKs apply as with `?` bindings.
 */

/** `value ->> 0, value ->> 1, …` for `n` columns. */
function columns(n: number): string {
  return Array.from({ length: n }, (_, i) => `value ->> ${i}`).join(", ");
}

/** A table's row-writing statements, built once (module level) by `rowsInto`. */
export interface RowsStatement {
  /** One row, bound parameters (exact doubles; no JSON). */
  readonly one: string;
  /** Any number of rows as one JSON parameter. */
  readonly many: string;
}

/**
 * Up to this many rows go as bound statements, one per row. Measured (bench/RESULTS.md, "one
 * statement per table"): a `json_each` statement of three rows cost more CPU than three bound
 * ones (the budget ledger's counters), while a metrics flush of dozens of rows in one statement
 * cost a fraction of one statement per row. So JSON only pays for larger batches.
 */
export const BOUND_ROWS_MAX = 8;

/**
 * The statements that write rows (each in `cols` order) into `table`: `INSERT OR REPLACE`, or,
 * with `conflict`, an upsert whose `ON CONFLICT …` clause is `conflict` (e.g. adding to a counter).
 */
export function rowsInto(table: string, cols: readonly string[], conflict?: string): RowsStatement {
  const into = `INTO ${table} (${cols.join(", ")})`;
  const select = `SELECT ${columns(cols.length)} FROM json_each(?)`;
  const values = `VALUES (${cols.map(() => "?").join(", ")})`;
  return conflict
    ? // `WHERE true`: without it SQLite would read ON CONFLICT as part of the SELECT's join.
      { one: `INSERT ${into} ${values} ${conflict}`, many: `INSERT ${into} ${select} WHERE true ${conflict}` }
    : { one: `INSERT OR REPLACE ${into} ${values}`, many: `INSERT OR REPLACE ${into} ${select}` };
}

/** Writes `rows` with `statement` (rowsInto): bound, one `exec` per row, up to BOUND_ROWS_MAX; else one `exec` for all. */
export function insertRows(sql: SqlStorage, statement: RowsStatement, rows: readonly SqlStorageValue[][]): void {
  if (rows.length === 0) return;
  if (rows.length <= BOUND_ROWS_MAX) for (const row of rows) sql.exec(statement.one, ...row);
  else sql.exec(statement.many, JSON.stringify(rows));
}

/** Deletes the rows of `table` whose `key` is one of `keys` (one statement). */
export function deleteRows(sql: SqlStorage, table: string, key: string, keys: readonly SqlStorageValue[]): void {
  if (keys.length === 0) return;
  if (keys.length <= BOUND_ROWS_MAX) for (const k of keys) sql.exec(`DELETE FROM ${table} WHERE ${key} = ?`, k);
  else sql.exec(`DELETE FROM ${table} WHERE ${key} IN (SELECT value FROM json_each(?))`, JSON.stringify(keys));
}
