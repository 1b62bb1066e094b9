/**
 * Many rows in one statement. Each `sql.exec` costs a crossing into the runtime, a statement
 * lookup and a result cursor — on the request path that fixed cost, not SQLite's row work, was
 * most of a Durable Object's CPU (bench/RESULTS.md, "one statement per table"). So rows of one
 * table go in as one JSON array parameter, unpacked by SQLite's `json_each`: one call, any number
 * of rows, the same statement text every time (prepared once per object).
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
  readonly one: string | null;
  /** Any number of rows as one JSON parameter. */
  readonly many: string;
}

/**
 * The statements that write rows (each in `cols` order) into `table`: `INSERT OR REPLACE`, or,
 * with `conflict`, an upsert whose `ON CONFLICT …` clause is `conflict` (e.g. adding to a counter).
 */
export function rowsInto(table: string, cols: readonly string[], conflict?: string): RowsStatement {
  const select = `SELECT ${columns(cols.length)} FROM json_each(?)`;
  return {
    one: conflict ? null : `INSERT OR REPLACE INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`,
    // `WHERE true`: without it SQLite would read ON CONFLICT as part of the SELECT's join.
    many: conflict ? `INSERT INTO ${table} (${cols.join(", ")}) ${select} WHERE true ${conflict}` : `INSERT OR REPLACE INTO ${table} (${cols.join(", ")}) ${select}`,
  };
}

/** Writes `rows` with `statement` (rowsInto): one `exec`, whatever their number. */
export function insertRows(sql: SqlStorage, statement: RowsStatement, rows: readonly SqlStorageValue[][]): void {
  if (rows.length === 0) return;
  if (rows.length === 1 && statement.one) sql.exec(statement.one, ...rows[0]!);
  else sql.exec(statement.many, JSON.stringify(rows));
}

/** Deletes the rows of `table` whose `key` is one of `keys` (one statement). */
export function deleteRows(sql: SqlStorage, table: string, key: string, keys: readonly SqlStorageValue[]): void {
  if (keys.length === 0) return;
  if (keys.length === 1) sql.exec(`DELETE FROM ${table} WHERE ${key} = ?`, keys[0]!);
  else sql.exec(`DELETE FROM ${table} WHERE ${key} IN (SELECT value FROM json_each(?))`, JSON.stringify(keys));
}
