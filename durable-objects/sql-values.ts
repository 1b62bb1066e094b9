/**
 * Many rows in few statements, with bound values: `INSERT OR REPLACE INTO t (a, b) VALUES (?, ?),
 * (?, ?), …`. Each `sql.exec` has a fixed cost (a crossing into the runtime, a statement lookup,
 * trace spans, a result cursor: durable-objects/sql-batch.ts), so a flush that writes a few rows
 * to each of several tables pays it once per table rather than once per row. Bound, not JSON
 * (sql-batch.ts `many`): exact doubles and BLOBs go as they are. The statement text depends only
 * on the table and the row count, so each is prepared once per object.
 */

/** A Durable Object's SQLite takes at most this many bound parameters per statement. */
const MAX_PARAMS = 100;
const texts = new Map<string, string>();

function statement(key: string, build: () => string): string {
  let text = texts.get(key);
  if (text === undefined) texts.set(key, (text = build()));
  return text;
}

/** `INSERT OR REPLACE` of `rows` (each in `cols` order) into `table`, as few statements as the parameter limit allows. */
export function writeRows(sql: SqlStorage, table: string, cols: readonly string[], rows: readonly SqlStorageValue[][]): void {
  const per = Math.max(1, Math.floor(MAX_PARAMS / cols.length));
  for (let start = 0; start < rows.length; start += per) {
    const chunk = rows.length <= per ? rows : rows.slice(start, start + per);
    const text = statement(`w|${table}|${cols.join(",")}|${chunk.length}`, () => {
      const row = `(${cols.map(() => "?").join(", ")})`;
      return `INSERT OR REPLACE INTO ${table} (${cols.join(", ")}) VALUES ${Array.from({ length: chunk.length }, () => row).join(", ")}`;
    });
    sql.exec(text, ...chunk.flat());
  }
}

/** Deletes the rows of `table` whose `key` is one of `keys`, as few statements as the parameter limit allows. */
export function deleteKeys(sql: SqlStorage, table: string, key: string, keys: readonly SqlStorageValue[]): void {
  for (let start = 0; start < keys.length; start += MAX_PARAMS) {
    const chunk = keys.length <= MAX_PARAMS ? keys : keys.slice(start, start + MAX_PARAMS);
    const text = statement(`d|${table}|${key}|${chunk.length}`, () => `DELETE FROM ${table} WHERE ${key} IN (${chunk.map(() => "?").join(", ")})`);
    sql.exec(text, ...chunk);
  }
}
