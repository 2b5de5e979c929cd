/**
 * The PostgreSQL store of the SQL port: synchronous, over libpq (pg-native), so every store above
 * runs unchanged. Each commit is durable when it returns (synchronous_commit = on). A lost
 * connection fails the statement with JournalUnavailableError and is reopened in the background:
 * a later statement outside a transaction starts an asynchronous connect (libpq's connect runs on
 * the thread pool), at most one attempt per RECONNECT_MS after the last one failed, and statements
 * fail at once meanwhile. A synchronous reconnect would hold the event loop for the whole connect
 * timeout while the server is cut off (every webhook answer waiting seconds behind it).
 */
import type Database from 'better-sqlite3';
import { createRequire } from 'node:module';
import type Client from 'pg-native';
import pgTypes from 'pg-types';
import { maskDatabaseUrl } from './database-url.js';
import { translateStatement, type PgSql } from './pg-sql.js';
import { JournalUnavailableError, type SqlDb, type SqlRunResult, type SqlStatement } from './sql-port.js';

const RECONNECT_MS = 1000;
const SESSION_SETUP = `SET synchronous_commit = on; SET client_min_messages = warning; SET statement_timeout = 30000; SET lock_timeout = 5000`;

/**
 * libpq's binding is loaded on the first PostgreSQL connection only: a SQLite journal (the desktop
 * app, built for Electron's ABI) never loads it.
 */
let PgClient: typeof Client | null = null;
function clientClass(): typeof Client {
  PgClient ??= createRequire(import.meta.url)('pg-native') as typeof Client;
  return PgClient;
}
const CONNECTION_LOST = 4;

/** As better-sqlite3 answers: numbers for BIGINT, NUMERIC (sums, counts) and booleans. */
const types = {
  getTypeParser(oid: number, format?: string): (value: string) => unknown {
    if (oid === 20 || oid === 1700) return Number;
    if (oid === 16) return (v: string) => (v === 't' ? 1 : 0);
    return pgTypes.getTypeParser(oid, format as 'text');
  },
};

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
    const c = new (clientClass())({ types });
    try {
      c.connectSync(withConnectTimeout(this.url));
      c.querySync(SESSION_SETUP);
    } catch (e) {
      this.retryAt = Date.now() + RECONNECT_MS;
      throw new JournalUnavailableError(`PostgreSQL ${this.name} is unreachable: ${this.scrub(e)}`);
    }
    this.client = c;
    return c;
  }

  private scrub(e: unknown): string {
    return scrubUrl(String((e as Error)?.message ?? e), this.url).trim();
  }

  /** Reconnects off the event loop; the statements after it succeeds use the new connection. */
  private reconnect(): void {
    this.connecting = true;
    const c = new (clientClass())({ types });
    c.connect(withConnectTimeout(this.url), (err?: Error) => {
      this.connecting = false;
      let failed: unknown = err;
      if (!failed && !this.closed) {
        try {
          c.querySync(SESSION_SETUP);
          this.client = c;
          this.lastError = '';
          return;
        } catch (e) {
          failed = e;
        }
      }
      if (failed) this.lastError = this.scrub(failed);
      this.retryAt = Date.now() + RECONNECT_MS;
      try {
        c.end();
      } catch {
        // never connected
      }
      keepUntilClosed(c);
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
    if (!c) return;
    try {
      c.end();
    } catch {
      // already gone
    }
    keepUntilClosed(c);
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
      this.query(outer ? 'BEGIN' : `SAVEPOINT ${sp}`);
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
      this.query(outer ? 'COMMIT' : `RELEASE SAVEPOINT ${sp}`);
      return result;
    };
    // PostgreSQL's default isolation already takes locks as rows are written: one kind of transaction.
    return Object.assign(run, { default: run, deferred: run, immediate: run, exclusive: run }) as unknown as Database.Transaction<F>;
  }

  pragma(source: string): never {
    throw new Error(`PRAGMA ${source.split(/[\s=(]/)[0]} is SQLite's: not on PostgreSQL (use pg_dump / pg_restore and PostgreSQL's own checks).`);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.drop();
  }
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

/**
 * libpq's binding closes its socket watcher with uv_close and lets the connection be collected at
 * once: collected before libuv's close phase, the process aborts (uv__finish_close). Holding the
 * ended client until a timer of a later loop turn lets the close finish first.
 */
function keepUntilClosed(c: Client): void {
  setTimeout(() => void c, 20).unref();
}

function withConnectTimeout(url: string): string {
  if (/[?&]connect_timeout=/.test(url)) return url;
  return `${url}${url.includes('?') ? '&' : '?'}connect_timeout=3`;
}

function scrubUrl(message: string, url: string): string {
  return message.split(url).join(maskDatabaseUrl(url));
}
