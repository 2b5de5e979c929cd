/**
 * The PostgreSQL store of the SQL port: synchronous, over libpq (pg-native), so every store above
 * runs unchanged. Durability as on SQLite: a transaction is atomic and visible to every node when
 * it returns, and made durable by the next flush (its commit does not wait for the WAL's flush:
 * synchronous_commit off for it, and the WAL is flushed in order); Journal.durable (an intent
 * before its order goes out) flushes after it without blocking the event loop
 * (PgAlertBatches.flushWal). A statement outside a transaction is durable when it returns
 * (synchronous_commit on). A lost connection fails the statement with JournalUnavailableError and
 * is reopened in the background: a later statement outside a transaction starts an asynchronous
 * connect (libpq's connect runs on the thread pool), at most one attempt per RECONNECT_MS after
 * the last one failed, and statements fail at once meanwhile. A synchronous reconnect would hold
 * the event loop for the whole connect timeout while the server is cut off.
 */
import type Database from 'better-sqlite3';
import type Client from 'pg-native';
import { maskDatabaseUrl } from './database-url.js';
import { PgAsyncConnection } from './pg-async.js';
import { CONNECTION_LOST, endClient, newClient, scrubbedMessage, SESSION_SETTINGS, withConnectTimeout } from './pg-client.js';
import { translateStatement, type PgSql } from './pg-sql.js';
import { JournalUnavailableError, type SqlDb, type SqlRunResult, type SqlStatement } from './sql-port.js';

/** The store's reconnects (each one off the event loop) at least this far apart. */
const RECONNECT_MS = 1000;

function bindValue(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  if (typeof v === 'boolean') return v ? '1' : '0';
  if (Buffer.isBuffer(v)) return `\\x${v.toString('hex')}`;
  throw new TypeError(`cannot bind a ${typeof v} to a PostgreSQL parameter`);
}

export class PgDb implements SqlDb {
  readonly kind = 'postgres' as const;
  private client: Client | null = null;
  private depth = 0;
  private retryAt = 0;
  private closed = false;
  /** A background reconnect is under way. */
  private connecting = false;
  /** Why the last reconnect failed (said by the statements refused meanwhile). */
  private lastError = '';
  private readonly translated = new Map<string, PgSql>();

  constructor(
    private readonly url: string,
    private readonly verbose?: (sql: string) => void,
  ) {
    this.connect();
  }

  /** The URL with its password masked, for messages and logs. */
  get name(): string {
    return maskDatabaseUrl(this.url);
  }

  get inTransaction(): boolean {
    return this.depth > 0;
  }

  get open(): boolean {
    return !this.closed;
  }

  /** False while the database is unreachable (the next statement outside a transaction retries). */
  get connected(): boolean {
    return this.client !== null;
  }

  private connect(): Client {
    const c = newClient();
    try {
      c.connectSync(withConnectTimeout(this.url));
      c.querySync(SESSION_SETTINGS);
    } catch (e) {
      this.retryAt = Date.now() + RECONNECT_MS;
      throw new JournalUnavailableError(`PostgreSQL ${this.name} is unreachable: ${scrubbedMessage(e, this.url)}`);
    }
    this.client = c;
    return c;
  }

  /** Reconnects off the event loop; the statements after it succeeds use the new connection. */
  private reconnect(): void {
    this.connecting = true;
    const c = newClient();
    c.connect(withConnectTimeout(this.url), (err?: Error) => {
      this.connecting = false;
      let failed: unknown = err;
      if (!failed && !this.closed) {
        try {
          c.querySync(SESSION_SETTINGS);
          this.client = c;
          this.lastError = '';
          return;
        } catch (e) {
          failed = e;
        }
      }
      if (failed) this.lastError = scrubbedMessage(failed, this.url);
      this.retryAt = Date.now() + RECONNECT_MS;
      endClient(c);
    });
  }

  private connection(): Client {
    if (this.closed) throw new Error('The journal is closed.');
    if (this.client) return this.client;
    if (this.depth > 0) throw new JournalUnavailableError(`PostgreSQL ${this.name}: the connection was lost inside a transaction.`);
    if (!this.connecting && Date.now() >= this.retryAt) this.reconnect();
    throw new JournalUnavailableError(`PostgreSQL ${this.name} is unreachable (reconnecting${this.lastError ? `; last attempt: ${this.lastError}` : ''}).`);
  }

  /** Runs one statement (or several, without values); what PostgreSQL says on a lost connection becomes JournalUnavailableError. */
  query(text: string, values?: (string | null)[]): { rows: Record<string, unknown>[]; changes: number } {
    const c = this.connection();
    this.verbose?.(text);
    try {
      const rows = c.querySync(text, values);
      return { rows, changes: Number.parseInt(c.pq.cmdTuples(), 10) || 0 };
    } catch (e) {
      if (c.pq.transactionStatus() !== CONNECTION_LOST) throw e;
      this.drop();
      throw new JournalUnavailableError(`PostgreSQL ${this.name}: the connection was lost (${String((e as Error).message).trim()}).`);
    }
  }

  private drop(): void {
    const c = this.client;
    this.client = null;
    this.retryAt = Date.now() + RECONNECT_MS;
    if (c) endClient(c);
  }

  prepare(sql: string): SqlStatement {
    let t = this.translated.get(sql);
    if (!t) this.translated.set(sql, (t = translateStatement(sql)));
    return new PgStatement(this, t);
  }

  exec(sql: string): this {
    this.query(translateStatement(sql).text);
    return this;
  }

  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the port's bound (better-sqlite3's)
  transaction<F extends (...args: any[]) => unknown>(fn: F): Database.Transaction<F> {
    const run = (...args: Parameters<F>): ReturnType<F> => {
      const outer = this.depth === 0;
      const sp = `pb_sp${this.depth}`;
      this.query(outer ? 'BEGIN; SET LOCAL synchronous_commit = off' : `SAVEPOINT ${sp}`);
      this.depth++;
      let result: ReturnType<F>;
      try {
        result = fn(...args) as ReturnType<F>;
      } catch (e) {
        this.depth--;
        if (this.client) {
          try {
            this.query(outer ? 'ROLLBACK' : `ROLLBACK TO SAVEPOINT ${sp}; RELEASE SAVEPOINT ${sp}`);
          } catch {
            // The connection went meanwhile: the server rolled back.
          }
        }
        throw e;
      }
      this.depth--;
      if (!outer) this.query(`RELEASE SAVEPOINT ${sp}`);
      else this.query('COMMIT');
      return result;
    };
    // PostgreSQL's default isolation already takes locks as rows are written: one kind of transaction.
    return Object.assign(run, { default: run, deferred: run, immediate: run, exclusive: run }) as unknown as Database.Transaction<F>;
  }

  pragma(source: string): never {
    throw new Error(`PRAGMA ${source.split(/[\s=(]/)[0]} is SQLite's: not on PostgreSQL (use pg_dump / pg_restore and PostgreSQL's own checks).`);
  }

  private readonly asyncConns: PgAsyncConnection[] = [];

  /** Another connection to the same database, asynchronous (pg-async.ts), closed with this store; it connects on its first statement. */
  openAsync(): PgAsyncConnection {
    if (this.closed) throw new Error('The journal is closed.');
    const c: PgAsyncConnection = new PgAsyncConnection(this.url, this.verbose, (): boolean => !this.connected || this.asyncConns.some((o) => o !== c && o.isRecovering));
    this.asyncConns.push(c);
    return c;
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const c of this.asyncConns) c.close();
    this.drop();
  }
}

/** The PostgreSQL store behind the port; null on SQLite. */
export function pgStore(db: SqlDb): PgDb | null {
  return db instanceof PgDb ? db : null;
}

class PgStatement implements SqlStatement {
  constructor(
    private readonly db: PgDb,
    private readonly sql: PgSql,
  ) {}

  private values(params: unknown[]): (string | null)[] {
    if (this.sql.names) {
      const obj = (params[0] ?? {}) as Record<string, unknown>;
      return this.sql.names.map((n) => {
        if (!(n in obj)) throw new RangeError(`Missing named parameter "${n}"`);
        return bindValue(obj[n]);
      });
    }
    const flat = params.length === 1 && Array.isArray(params[0]) ? (params[0] as unknown[]) : params;
    return flat.map(bindValue);
  }

  run(...params: unknown[]): SqlRunResult {
    const r = this.db.query(this.sql.text, this.values(params));
    return { changes: r.changes, lastInsertRowid: 0 };
  }

  get(...params: unknown[]): unknown {
    return this.db.query(this.sql.text, this.values(params)).rows[0];
  }

  all(...params: unknown[]): unknown[] {
    return this.db.query(this.sql.text, this.values(params)).rows;
  }
}
