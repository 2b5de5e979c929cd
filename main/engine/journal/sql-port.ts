/**
 * The journal's SQL port: the part of better-sqlite3 the code uses, so the journal runs on either
 * store. The SQLite store IS a better-sqlite3 Database (no wrapper on the hot path); the
 * PostgreSQL store (pg-store.ts) implements the same calls synchronously over libpq.
 */
import type Database from 'better-sqlite3';

export interface SqlRunResult {
  changes: number;
  lastInsertRowid: number | bigint;
}

export interface SqlStatement {
  run(...params: unknown[]): SqlRunResult;
  get(...params: unknown[]): unknown;
  all(...params: unknown[]): unknown[];
}

export type StoreKind = 'sqlite' | 'postgres';

export interface SqlDb {
  prepare(sql: string): SqlStatement;
  /** Wraps `fn` in a transaction; a call inside another transaction is a savepoint. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- better-sqlite3's own bound, so its Database is an SqlDb
  transaction<F extends (...args: any[]) => unknown>(fn: F): Database.Transaction<F>;
  exec(sql: string): unknown;
  /** SQLite only (backup, quick_check, WAL): the PostgreSQL store throws a message naming its equivalent. */
  pragma(source: string, options?: { simple?: boolean }): unknown;
  readonly open: boolean;
  readonly inTransaction: boolean;
  close(): unknown;
}

/** A store that is not SQLite says so (`kind`); a better-sqlite3 Database has no such field. */
export function storeKind(db: SqlDb): StoreKind {
  return (db as { kind?: StoreKind }).kind ?? 'sqlite';
}

/** The SQLite store's own handle, for what only SQLite has (backup API, pragmas); null on PostgreSQL. */
export function sqliteHandle(db: SqlDb): Database.Database | null {
  return storeKind(db) === 'sqlite' ? (db as unknown as Database.Database) : null;
}

/** The database could not be reached: nothing was written. Webhooks answer 503 with Retry-After. */
export class JournalUnavailableError extends Error {
  readonly code = 'journal_unavailable';
}

/**
 * The connection was lost after a statement was sent, before its answer: it may have committed.
 * Whoever sent it decides what a write that perhaps happened means (the intake marks its alerts
 * rejected, so an alert its sender was told was not taken is never executed).
 */
export class JournalOutcomeUnknownError extends JournalUnavailableError {}
