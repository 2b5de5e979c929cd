import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { JournalDamagedError, journalProblem } from './journal-check.js';
import { migrations as allMigrations, type Migration } from './migrations.js';

export type Db = Database.Database;

export interface OpenOptions {
  /** Defaults to the shipped migrations; tests pass a prefix to build an older schema. */
  migrations?: Migration[];
  /** Called before pending migrations run on an existing journal (e.g. to back it up). */
  beforeMigrate?: (db: Db, from: number, to: number) => void;
  /** Run SQLite's quick_check before anything writes; a failure throws JournalDamagedError. */
  quickCheck?: boolean;
  /** Called with every statement run, its parameters filled in (tests read the query plans). */
  verbose?: (sql: string) => void;
}

/**
 * Opens (creating if needed) the journal: WAL (commits survive a killed process; durable ones fsync)
 * foreign keys on, then runs pending migrations forward.
 */
export function openDatabase(path: string, options: OpenOptions = {}): Db {
  mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path, options.verbose ? { verbose: (sql) => options.verbose?.(String(sql)) } : {});
  try {
    // Before the first write (the WAL switch, a migration): a damaged journal is never changed.
    const problem = options.quickCheck ? journalProblem(db, 'quick_check') : null;
    if (problem) throw new JournalDamagedError(path, problem);
    db.pragma('journal_mode = WAL');
    // Commits are atomic and survive a killed process in WAL mode at NORMAL; the ones that must
    // also survive a power cut fsync the WAL, and so everything committed before, on the thread
    // pool (Journal.flush, a group sync): an alert before its answer, an intent before its order.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    db.pragma('busy_timeout = 5000');
    migrate(db, options);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

export function schemaVersion(db: Db): number {
  return db.pragma('user_version', { simple: true }) as number;
}

function migrate(db: Db, options: OpenOptions): void {
  const list = options.migrations ?? allMigrations;
  const current = schemaVersion(db);
  const latest = list.at(-1)?.version ?? 0;
  if (current > latest) {
    throw new Error(
      `The journal was written by a newer Pinebridge (schema ${current}, this version knows up to ${latest}). Upgrade Pinebridge.`,
    );
  }
  const pending = list.filter((m) => m.version > current);
  if (pending.length === 0) return;
  if (current > 0) options.beforeMigrate?.(db, current, latest);
  for (const m of pending) {
    db.transaction(() => {
      db.exec(m.sql);
      db.pragma(`user_version = ${m.version}`);
    })();
  }
}
