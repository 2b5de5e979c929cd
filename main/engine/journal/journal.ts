import { closeSync, fdatasync, fstat, openSync } from 'node:fs';
import { AlertStore } from './alerts.js';
import { BaselineStore } from './baselines.js';
import { openDatabase, type Db, type OpenOptions } from './database.js';
import { EventStore } from './events.js';
import { IntentStore, type FenceTarget } from './intents.js';
import { PaperStore } from './paper.js';
import { PgAlertBatches } from './pg-alert-batch.js';
import { pgStore } from './pg-store.js';
import { PositionStore } from './positions.js';
import { maskDatabaseUrl } from './database-url.js';
import { storeKind, type StoreKind } from './sql-port.js';

/**
 * The durable journal: one SQLite file in the data dir (WAL), or a PostgreSQL database shared by
 * several nodes. Stores hang off it by concept; a `durable` transaction groups writes so one
 * fsync covers them all. On PostgreSQL a commit does not wait for the WAL's flush (pg-store.ts);
 * the flush is a durable commit on an asynchronous connection (PgAlertBatches.flushWal), which
 * PostgreSQL answers once its WAL is flushed past every commit before it: the event loop goes on
 * meanwhile, as SQLite's fsync runs on libuv's thread pool.
 */
export class Journal {
  readonly alerts: AlertStore;
  readonly events: EventStore;
  readonly intents: IntentStore;
  readonly positions: PositionStore;
  readonly paper: PaperStore;
  readonly baselines: BaselineStore;
  /** PostgreSQL only: the intake's batches in one round trip each, off the event loop (pg-alert-batch.ts). */
  readonly alertBatches: PgAlertBatches | null;

  readonly kind: StoreKind;

  private constructor(
    readonly db: Db,
    /** The SQLite file, or the PostgreSQL URL with its password masked. */
    readonly path: string,
  ) {
    this.kind = storeKind(db);
    this.alerts = new AlertStore(db);
    this.events = new EventStore(db);
    this.intents = new IntentStore(db);
    this.positions = new PositionStore(db);
    this.paper = new PaperStore(db);
    this.baselines = new BaselineStore(db);
    const pg = pgStore(db);
    this.alertBatches = pg ? new PgAlertBatches(() => pg.openAsync()) : null;
  }

  /** `location`: a file path (SQLite) or a `postgres://` URL. */
  static open(location: string, options?: OpenOptions): Journal {
    const db = openDatabase(location, options);
    return new Journal(db, storeKind(db) === 'postgres' ? maskDatabaseUrl(location) : location);
  }

  /**
   * A write only the executing node may make (an alert's outcome): in the same transaction as the
   * intents' fence (IntentStore.fence), so a node that lost the executor lease writes nothing.
   */
  asExecutor<T>(of: FenceTarget, fn: () => T): T {
    const fence = this.intents.fence;
    if (!fence) return fn();
    return this.transaction(() => {
      fence(of);
      return fn();
    });
  }

  /** Atomic, and survives a killed process; made durable against power loss by the next durable commit. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  /**
   * Atomic and durable: resolves once the commit is on disk (a group fsync, see `flush`), for
   * what must be there before the outside world hears of it: an order intent before the order
   * is sent. The event loop does not wait on the disk meanwhile.
   */
  async durable<T>(fn: () => T): Promise<T> {
    const result = this.transaction(fn);
    await this.flush();
    return result;
  }

  /** The fsync running now, and the one queued to start after it (shared by everyone who asks meanwhile). */
  private syncing: Promise<void> | null = null;
  private queuedSync: Promise<void> | null = null;

  /**
   * Group sync: resolves once an fsync of the WAL that began after this call has finished, so
   * every commit made before the call is durable. Calls made while an fsync runs share the next
   * one, so the intake's batches and execution's intents share the disk's flushes.
   */
  flush(): Promise<void> {
    if (this.queuedSync) return this.queuedSync;
    if (!this.syncing) return this.startSync();
    const after = this.syncing.then(
      () => undefined,
      () => undefined,
    );
    this.queuedSync = after.then(() => {
      this.queuedSync = null;
      return this.startSync();
    });
    return this.queuedSync;
  }

  private startSync(): Promise<void> {
    const p = this.alertBatches ? this.alertBatches.flushWal() : this.syncWal();
    this.syncing = p;
    const clear = () => {
      if (this.syncing === p) this.syncing = null;
    };
    p.then(clear, clear);
    return p;
  }

  private wal: { fd: number } | null = null;
  private syncsInFlight = 0;
  private closeWalWhenIdle = false;
  /** Descriptors of WAL files SQLite deleted, closed once no sync runs on them. */
  private retiredWalFds: number[] = [];

  /**
   * Makes every commit so far durable (fdatasync of the WAL, as `synchronous = FULL` does at each
   * commit) on libuv's thread pool, so the event loop keeps taking requests while the disk works.
   * The WAL holds every committed frame not yet checkpointed, and a checkpoint syncs the WAL and
   * the database file before it recycles the WAL, so syncing the WAL covers all earlier commits.
   */
  syncWal(): Promise<void> {
    return new Promise((resolve, reject) => {
      let fd: number;
      try {
        fd = this.walFd();
      } catch (e) {
        reject(e);
        return;
      }
      this.syncsInFlight++;
      const settle = (err: Error | null, replaced: boolean) => {
        this.syncsInFlight--;
        if (this.syncsInFlight === 0) {
          this.closeFds(this.retiredWalFds.splice(0));
          if (this.closeWalWhenIdle) this.closeWal();
        }
        if (err) reject(err);
        // The file synced was no longer SQLite's WAL: sync the one that replaced it.
        else if (replaced && this.isOpen) this.syncWal().then(resolve, reject);
        else resolve();
      };
      fdatasync(fd, (err) => {
        if (err) return settle(err, false);
        // Checked on the thread pool after the sync, not with a stat on the event loop per flush.
        fstat(fd, (statErr, st) => {
          const replaced = !statErr && st.nlink === 0;
          if (replaced) this.retire(fd);
          settle(null, replaced);
        });
      });
    });
  }

  /**
   * The WAL file's descriptor, opened at the first sync and kept until SQLite deletes that file
   * (a journal-mode switch; a checkpoint rewinds or truncates the same file): each sync then
   * checks, off the event loop, that the file it synced is still linked.
   */
  private walFd(): number {
    if (this.wal) return this.wal.fd;
    const fd = openSync(`${this.path}-wal`, 'r');
    this.wal = { fd };
    return fd;
  }

  /** The WAL behind `fd` was deleted: the next sync opens the new one, `fd` closes once no sync uses it. */
  private retire(fd: number): void {
    if (this.wal?.fd !== fd) return;
    this.wal = null;
    this.retiredWalFds.push(fd);
  }

  private closeWal(): void {
    this.closeFds([...(this.wal ? [this.wal.fd] : []), ...this.retiredWalFds.splice(0)]);
    this.wal = null;
    this.closeWalWhenIdle = false;
  }

  private closeFds(fds: number[]): void {
    for (const fd of fds) {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    }
  }

  get isOpen(): boolean {
    return this.db.open;
  }

  close(): void {
    if (this.syncsInFlight === 0) this.closeWal();
    else this.closeWalWhenIdle = true;
    if (this.db.open) this.db.close();
  }
}
