/**
 * The `shared_state` table (migration 11): named JSON documents the nodes on one PostgreSQL
 * journal share, each with a version that rises with every write.
 */
import type { SqlDb } from './sql-port.js';

export interface SharedRow {
  name: string;
  value: string;
  version: number;
  node: string;
}

export class SharedStateTable {
  constructor(private readonly db: SqlDb) {}

  /** A journal transaction is open on the connection: a write now would commit or roll back with it. */
  get inTransaction(): boolean {
    return this.db.inTransaction;
  }

  get(name: string): SharedRow | null {
    return (this.db.prepare('SELECT name, value, version, node FROM shared_state WHERE name = ?').get(name) as SharedRow | undefined) ?? null;
  }

  /** Rows whose name starts with `prefix` (a plain prefix: no LIKE wildcards in it). */
  list(prefix: string): SharedRow[] {
    return this.db.prepare('SELECT name, value, version, node FROM shared_state WHERE substr(name, 1, ?) = ? ORDER BY name').all(prefix.length, prefix) as SharedRow[];
  }

  /** Writes the document; its new version. */
  put(name: string, value: string, node: string, now: number): number {
    const row = this.db
      .prepare(
        `INSERT INTO shared_state (name, value, version, node, updated_at) VALUES (?, ?, 1, ?, ?)
         ON CONFLICT (name) DO UPDATE SET value = excluded.value, version = shared_state.version + 1, node = excluded.node, updated_at = excluded.updated_at
         RETURNING version`,
      )
      .get(name, value, node, now) as { version: number };
    return Number(row.version);
  }
}
