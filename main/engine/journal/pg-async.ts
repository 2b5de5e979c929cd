/**
 * A second PostgreSQL connection, used through libpq's asynchronous calls: the event loop goes on
 * taking webhooks while a statement runs and PostgreSQL flushes its WAL for the commit. One
 * statement at a time, in the order asked, each outside a transaction: it is its own transaction
 * (synchronous_commit = on), and its answer comes once it is committed (libpq hands the result
 * over at ReadyForQuery, after the commit). The intake's alert batches go through it; everything
 * else keeps the synchronous store (pg-store.ts).
 */
import type Client from 'pg-native';
import { maskDatabaseUrl } from './database-url.js';
import { CONNECTION_LOST, endClient, newClient, RECONNECT_MS, scrubbedMessage, SESSION_SETTINGS, withConnectTimeout } from './pg-client.js';
import { JournalOutcomeUnknownError, JournalUnavailableError } from './sql-port.js';

export type PgRows = Record<string, unknown>[];

export class PgAsyncConnection {
  private client: Client | null = null;
  private retryAt = 0;
  private closed = false;
  /** The statements asked for, run one after the other. */
  private tail: Promise<unknown> = Promise.resolve();
  /** Fails the statement in flight: its socket went (pg-native then never calls it back). */
  private lost: ((e: Error) => void) | null = null;

  constructor(
    private readonly url: string,
    private readonly verbose?: (sql: string) => void,
    /** True while another connection to the same database is lost: this one, opening for the first time, then does not wait on its connect either. */
    private readonly lostElsewhere: () => boolean = () => false,
  ) {}

  /** Connected now: a statement goes at once, with no connect before it. */
  get connected(): boolean {
    return this.client !== null;
  }

  /** A connection was lost (or a connect failed) and no reconnect has succeeded since. */
  get isRecovering(): boolean {
    return this.recovering;
  }

  /** False while a lost connection waits out its retry pause (its next statement would be refused at once). */
  get available(): boolean {
    return this.client !== null || Date.now() >= this.retryAt;
  }

  private get name(): string {
    return maskDatabaseUrl(this.url);
  }

  /**
   * Runs one statement after those asked before it. Rejects with JournalUnavailableError when it
   * could not be sent (nothing written), JournalOutcomeUnknownError when the connection went after
   * it was sent, or PostgreSQL's own error (the statement rolled back).
   */
  query(text: string, values: (string | null)[]): Promise<PgRows> {
    const run = this.tail.then(() => this.run(text, values));
    this.tail = run.catch(() => undefined);
    return run;
  }

  private async run(text: string, values: (string | null)[]): Promise<PgRows> {
    const c = await this.connection();
    this.verbose?.(text);
    return new Promise<PgRows>((resolve, reject) => {
      let done = false;
      const finish = (err: Error | null, rows?: PgRows) => {
        if (done) return;
        done = true;
        this.lost = null;
        if (err) reject(err);
        else resolve(rows ?? []);
      };
      this.lost = (e) => finish(this.outcomeUnknown(e));
      c.query(text, values, (err, rows) => {
        if (!err) return finish(null, rows);
        if (c.pq.transactionStatus() !== CONNECTION_LOST) return finish(err);
        this.drop(c);
        finish(this.outcomeUnknown(err));
      });
    });
  }

  private outcomeUnknown(e: Error): JournalOutcomeUnknownError {
    return new JournalOutcomeUnknownError(`PostgreSQL ${this.name}: the connection was lost (${scrubbedMessage(e, this.url)}).`);
  }

  private connection(): Promise<Client> {
    if (this.closed) return Promise.reject(new Error('The journal is closed.'));
    if (this.client) return Promise.resolve(this.client);
    if (Date.now() < this.retryAt) return Promise.reject(new JournalUnavailableError(`PostgreSQL ${this.name} is unreachable (retrying).`));
    if (!this.recovering && !this.lostElsewhere()) return this.open();
    // After a loss, a statement never waits on a reconnect (a silent server holds a connect for its
    // whole timeout, and the webhook's 503 with it): the reconnect goes on in the background, the
    // statement is refused at once, and the ones after it succeeds use the new connection.
    if (!this.reconnecting) {
      this.reconnecting = this.open().then(
        () => {
          this.recovering = false;
        },
        () => undefined,
      );
      void this.reconnecting.finally(() => (this.reconnecting = null));
    }
    return Promise.reject(new JournalUnavailableError(`PostgreSQL ${this.name} is unreachable (reconnecting).`));
  }

  /** Since a connection was lost or a connect failed, until a reconnect succeeds. */
  private recovering = false;
  private reconnecting: Promise<void> | null = null;

  private open(): Promise<Client> {
    return new Promise<Client>((resolve, reject) => {
      const c = newClient();
      // Unhandled, pg-native's 'error' event would throw: a socket lost while idle just drops the client.
      c.on('error', (e) => {
        if (this.client !== c) return;
        this.drop(c);
        this.lost?.(e);
      });
      const refused = (e: Error) => {
        this.recovering = true;
        this.retryAt = Date.now() + RECONNECT_MS;
        endClient(c);
        reject(new JournalUnavailableError(`PostgreSQL ${this.name} is unreachable: ${scrubbedMessage(e, this.url)}`));
      };
      c.connect(withConnectTimeout(this.url), (err) => {
        if (err) return refused(err);
        c.query(SESSION_SETTINGS, (e) => {
          if (e) return refused(e);
          if (this.closed) {
            endClient(c);
            return reject(new Error('The journal is closed.'));
          }
          this.client = c;
          resolve(c);
        });
      });
    });
  }

  private drop(c: Client): void {
    if (this.client !== c) return;
    this.client = null;
    this.recovering = true;
    this.retryAt = Date.now() + RECONNECT_MS;
    endClient(c);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.lost?.(new Error('the journal was closed meanwhile'));
    if (this.client) this.drop(this.client);
  }
}
