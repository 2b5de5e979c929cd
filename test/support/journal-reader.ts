/**
 * Reads a Pinebridge journal (SQLite) from outside the engine, read-only: also while a server
 * runs on it (WAL) or after it was killed.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

export interface JournalAlertRow {
  seq: number;
  id: string;
  status: string;
  http_status: number;
  reason_code: string | null;
  reason: string | null;
  body: string;
  source: string;
  duplicate_of: string | null;
}

export interface JournalIntentRow {
  client_order_id: string;
  alert_id: string;
  leg: number;
  status: string;
  attempts: number;
  exchange_order_id: string | null;
  error_code: string | null;
  error_message: string | null;
}

export interface TextCell {
  table: string;
  column: string;
  rowid: number;
  value: string;
}

export function journalPath(dataDir: string): string {
  return join(dataDir, 'journal.sqlite');
}

/** Runs `fn` on a read-only connection and closes it. */
export function withJournal<T>(dataDir: string, fn: (db: Database.Database) => T): T {
  const db = new Database(journalPath(dataDir), { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export const readAlerts = (dataDir: string): JournalAlertRow[] =>
  withJournal(dataDir, (db) => db.prepare('SELECT seq, id, status, http_status, reason_code, reason, body, source, duplicate_of FROM alerts ORDER BY seq').all() as JournalAlertRow[]);

export const readIntents = (dataDir: string): JournalIntentRow[] =>
  withJournal(
    dataDir,
    (db) =>
      db
        .prepare('SELECT client_order_id, alert_id, leg, status, attempts, exchange_order_id, error_code, error_message FROM order_intents ORDER BY created_at, leg')
        .all() as JournalIntentRow[],
  );

/** Every text value of every column of every table (whatever its declared type). */
export function dumpTextCells(dataDir: string): TextCell[] {
  return withJournal(dataDir, (db) => {
    const cells: TextCell[] = [];
    const tables = db.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).all() as { name: string }[];
    for (const { name } of tables) {
      const hasRowid = !(db.prepare(`SELECT sql FROM sqlite_master WHERE name = ?`).get(name) as { sql: string }).sql.match(/WITHOUT\s+ROWID/i);
      const rows = db.prepare(`SELECT ${hasRowid ? 'rowid AS __rowid, ' : ''}* FROM "${name.replace(/"/g, '""')}"`).all() as Record<string, unknown>[];
      rows.forEach((row, i) => {
        for (const [column, value] of Object.entries(row)) {
          if (column === '__rowid') continue;
          const text = typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString('utf8') : null;
          if (text !== null) cells.push({ table: name, column, rowid: typeof row.__rowid === 'number' ? row.__rowid : i, value: text });
        }
      });
    }
    return cells;
  });
}
