import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { isDatabaseUrl } from './database-url.js';
import { JournalDamagedError, journalProblem } from './journal-check.js';
import { migrations as allMigrations, type Migration } from './migrations.js';
import { PgDb } from './pg-store.js';
import { translateSchema } from './pg-sql.js';
import { sqliteHandle, storeKind, type SqlDb } from './sql-port.js';

export type Db = SqlDb;

export interface OpenOptions {
  /** Defaults to the shipped migrations; tests pass a prefix to build an older schema. */
  migrations?: Migration[];
  /** Called before pending migrations run on an existing journal (e.g. to back it up). */
  beforeMigrate?: (db: Db, from: number, to: number) => void;
  /** Called after pending migrations ran (from 0 on a new journal); not called when none was pending. */
  onMigrated?: (from: number, to: number) => void;
  /** Run SQLite's quick_check before anything writes; a failure throws JournalDamagedError. */
  quickCheck?: boolean;
  /** Called with every statement run, its parameters filled in (tests read the query plans). */
  verbose?: (sql: string) => void;
}

/**
 * Opens the journal at `location`: a file path (SQLite, the default) or a `postgres://` URL,
 * then runs pending migrations forward.
 */
export function openDatabase(location: string, options: OpenOptions = {}): Db {
  if (!isDatabaseUrl(location)) return openSqlite(location, options);
  const db = new PgDb(location, options.verbose);
  try {
    migrate(db, options);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/**
 * SQLite: WAL (commits survive a killed process; durable ones fsync), foreign keys on. The
 * returned handle is better-sqlite3's own.
 */
function openSqlite(path: string, options: OpenOptions): Db {
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
    writeLockFirst(db);
    migrate(db, options);
  } catch (e) {
    db.close();
    throw e;
  }
  return db;
}

/**
 * Two connections write to the journal (the intake thread's and the engine's). A transaction that
 * reads and then writes must hold the write lock from its start: begun deferred, its first write
 * fails at once (SQLITE_BUSY_SNAPSHOT, no busy wait) when the other connection committed since it
 * read. So `transaction(fn)` begins IMMEDIATE (waiting on the lock up to busy_timeout); a read-only
 * one that may run long asks for `.deferred()` so it never holds the intake's writes up.
 */
function writeLockFirst(db: Database.Database): void {
  const transaction = db.transaction.bind(db);
  db.transaction = ((fn: (...args: never[]) => unknown) => {
    const t = transaction(fn);
    return Object.assign((...args: never[]) => t.immediate(...args), { default: t.immediate, deferred: t.deferred, immediate: t.immediate, exclusive: t.exclusive });
  }) as typeof db.transaction;
}

/** PostgreSQL keeps the version in a table (user_version is SQLite's). */
export const PG_VERSION_TABLE = 'pinebridge_schema';
/** Several nodes starting at once: one migrates, the others wait for it (a transaction-scoped advisory lock). */
const PG_MIGRATION_LOCK = 191_019;

export function schemaVersion(db: Db): number {
  const sqlite = sqliteHandle(db);
  if (sqlite) return sqlite.pragma('user_version', { simple: true }) as number;
  const exists = db.prepare(`SELECT to_regclass('${PG_VERSION_TABLE}') IS NOT NULL AS ok`).get() as { ok: number };
  if (!exists.ok) return 0;
  return (db.prepare(`SELECT max(version) AS v FROM ${PG_VERSION_TABLE}`).get() as { v: number | null }).v ?? 0;
}

/** The newest version `list` (default: the shipped migrations) knows. */
export function latestVersion(list: Migration[] = allMigrations): number {
  return list.at(-1)?.version ?? 0;
}

function migrate(db: Db, options: OpenOptions): void {
  const list = options.migrations ?? allMigrations;
  const current = schemaVersion(db);
  const latest = latestVersion(list);
  if (current > latest) {
    throw new Error(
      `The journal was written by a newer Pinebridge (schema ${current}, this version knows up to ${latest}). Upgrade Pinebridge.`,
    );
  }
  const pending = list.filter((m) => m.version > current);
  if (pending.length === 0) return;
  if (current > 0) options.beforeMigrate?.(db, current, latest);
  for (const m of pending) {
    if (storeKind(db) === 'postgres') migratePg(db, m);
    else
      db.transaction(() => {
        db.exec((m.sqliteBefore ?? '') + m.sql + (m.sqlite ?? ''));
        db.pragma(`user_version = ${m.version}`);
      })();
  }
  options.onMigrated?.(current, schemaVersion(db));
}

function migratePg(db: Db, m: Migration): void {
  db.transaction(() => {
    db.prepare(`SELECT pg_advisory_xact_lock(${PG_MIGRATION_LOCK})`).get();
    db.exec(`CREATE TABLE IF NOT EXISTS ${PG_VERSION_TABLE} (version BIGINT PRIMARY KEY, applied_at TIMESTAMPTZ NOT NULL DEFAULT now())`);
    // Another node may have applied it while this one waited for the lock.
    if (schemaVersion(db) >= m.version) return;
    db.exec(translateSchema(m.sql) + (m.postgres ?? ''));
    db.prepare(`INSERT INTO ${PG_VERSION_TABLE} (version) VALUES (?)`).run(m.version);
  })();
}
