/**
 * One versioned schema migration (journal/migrations.ts lists them in order), for both stores.
 * `sql` is portable: SQLite's DDL, run as it is on SQLite and translated on PostgreSQL
 * (pg-sql.ts: INTEGER -> BIGINT, REAL -> DOUBLE PRECISION, AUTOINCREMENT -> identity); a plain
 * CREATE / ALTER migration needs nothing else. What cannot be translated (triggers) goes in
 * `sqlite` and its counterpart in `postgres`, run after `sql` on their store.
 */
export interface Migration {
  version: number;
  name: string;
  sql: string;
  /** SQLite only, run before `sql`. */
  sqliteBefore?: string;
  sqlite?: string;
  postgres?: string;
}
