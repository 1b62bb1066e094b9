/**
 * Ordered, append-only schema migrations for a Durable Object's SQLite storage.
 * Each object keeps the number of steps it has applied in `_schema`; on start it runs the
 * steps it has not run yet, inside `blockConcurrencyWhile` so no request sees a half schema.
 * Never edit or reorder a step that has shipped: add a new one.
 */
export type Migration = readonly string[];

export function migrate(sql: SqlStorage, steps: readonly Migration[]): void {
  sql.exec("CREATE TABLE IF NOT EXISTS _schema (version INTEGER NOT NULL)");
  const row = sql.exec<{ version: number }>("SELECT version FROM _schema").toArray()[0];
  let version = row?.version ?? 0;
  if (!row) sql.exec("INSERT INTO _schema (version) VALUES (0)");
  for (; version < steps.length; version++) {
    for (const statement of steps[version]!) sql.exec(statement);
    sql.exec("UPDATE _schema SET version = ?", version + 1);
  }
}
