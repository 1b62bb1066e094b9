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

// Statement texts by table, columns and shape: built once per isolate (a handful of tables).
const statements = new Map<string, string>();
function statement(id: string, build: () => string): string {
  let s = statements.get(id);
  if (s === undefined) statements.set(id, (s = build()));
  return s;
}

/**
 * `INSERT OR REPLACE` of `rows` (each in `cols` order) into `table`; or, with `conflict`, an
 * upsert whose `ON CONFLICT …` clause is `conflict` (e.g. adding to a counter).
 */
export function insertRows(sql: SqlStorage, table: string, cols: readonly string[], rows: readonly SqlStorageValue[][], conflict?: string): void {
  if (rows.length === 0) return;
  if (rows.length === 1 && !conflict) {
    sql.exec(statement(`1 ${table} ${cols.join()}`, () => `INSERT OR REPLACE INTO ${table} (${cols.join(", ")}) VALUES (${cols.map(() => "?").join(", ")})`), ...rows[0]!);
    return;
  }
  const text = statement(`n ${table} ${cols.join()} ${conflict ?? ""}`, () => {
    const select = `SELECT ${columns(cols.length)} FROM json_each(?)`;
    // `WHERE true`: without it SQLite would read ON CONFLICT as part of the SELECT's join.
    return conflict
      ? `INSERT INTO ${table} (${cols.join(", ")}) ${select} WHERE true ${conflict}`
      : `INSERT OR REPLACE INTO ${table} (${cols.join(", ")}) ${select}`;
  });
  sql.exec(text, JSON.stringify(rows));
}

/** Deletes the rows of `table` whose `key` is one of `keys` (one statement). */
export function deleteRows(sql: SqlStorage, table: string, key: string, keys: readonly SqlStorageValue[]): void {
  if (keys.length === 0) return;
  if (keys.length === 1) sql.exec(`DELETE FROM ${table} WHERE ${key} = ?`, keys[0]!);
  else sql.exec(`DELETE FROM ${table} WHERE ${key} IN (SELECT value FROM json_each(?))`, JSON.stringify(keys));
}
