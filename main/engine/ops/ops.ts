/**
 * Operations wiring for the engine: readiness, metrics, retention, the pre-upgrade backup and
 * the graceful drain. The engine creates one `Ops` and calls it at a few points; the rest of the
 * engine's parts report into `ops.readiness` and `ops.metrics`.
 */
import { sqliteHandle, storeKind } from '../journal/sql-port.js';
import type { Settings } from '../core/config.js';
import type { EventBus } from '../core/event-bus.js';
import type { Db } from '../journal/database.js';
import type { Logger } from '../core/logging/logger.js';
import type { DataPaths } from '../core/paths.js';
import { backupBeforeMigrate } from './backup.js';
import { DiskGuard } from '../core/disk-guard.js';
import { EngineMetrics, type BreakerState } from './metrics.js';
import { Readiness } from './readiness.js';
import { startRetention, type RetentionScheduler } from './retention.js';
import { RequestTracker, withDeadline, type Handler } from './request-tracker.js';

export interface OpsDeps {
  paths: DataPaths;
  settings: Settings;
  logger: Logger;
  /** Order and breaker events feed the metrics (the engine gives the tunnel's status source). */
  events?: EventBus;
  now: () => number;
  version: string;
  /** The open journal's connection, or null. */
  db: () => Db | null;
}

/** A step that must finish before the journal closes (e.g. the execution worker settling its orders). */
export type StopStep = () => Promise<void>;

export class Ops {
  readonly readiness: Readiness;
  readonly metrics: EngineMetrics;
  /** The data dir's disk: full (a write failed, or below the reserve) refuses new alerts. */
  readonly disk: DiskGuard;
  private retention: RetentionScheduler | null = null;
  private readonly requests = new RequestTracker();
  private readonly stopSteps: { name: string; fn: StopStep }[] = [];
  private closing = false;

  constructor(private readonly deps: OpsDeps) {
    this.readiness = new Readiness(deps.now);
    this.readiness.require('journal', 'not open');
    this.readiness.require('worker', 'not running');
    this.readiness.require('venue', 'has not answered yet');
    this.metrics = new EngineMetrics({
      db: deps.db,
      journalPath: deps.paths.journal,
      readiness: this.readiness,
      version: deps.version,
      mode: deps.settings.mode,
      now: deps.now,
    });
    this.disk = new DiskGuard({
      dir: deps.paths.dataDir,
      floorBytes: deps.settings.disk.minFreeMb * 1024 * 1024,
      // SQLite's WAL back into the file; PostgreSQL manages its own WAL.
      reclaim: () => {
        const db = deps.db();
        if (db) sqliteHandle(db)?.pragma('wal_checkpoint(TRUNCATE)');
      },
      onChange: (d) => {
        this.readiness.set('disk', !d.full, d.problem);
        // At error level: it notifies (desktop, Telegram, Discord) like any error not about one alert.
        if (d.full) deps.logger.error({ freeBytes: d.freeBytes }, `${d.problem}: new alerts are refused (503) until it is fixed; orders already taken wait and resume by themselves`);
        else {
          deps.logger.info({ freeBytes: d.freeBytes }, 'disk writable again: taking alerts, resuming what waited');
          // SQLite's write failures are the disk's: writable again, the journal is ready again (a
          // load balancer routing by /readyz would otherwise never send the alert that shows it).
          const db = deps.db();
          if (db && storeKind(db) !== 'postgres') this.readiness.set('journal', true);
        }
      },
    });
    this.readiness.set('disk', true);
    deps.events?.subscribe((e) => this.onEvent(e));
    this.readiness.onChange((part, state, previous) => {
      if (this.closing) return;
      if (state.ok && previous && !previous.ok) deps.logger.info({ part }, `${part} ready`);
      else if (!state.ok && previous?.ok) deps.logger.warn({ part, detail: state.detail }, `${part} not ready: ${state.detail ?? 'unknown'}`);
    });
  }

  /** For `openDatabase`: back the journal up before migrations upgrade it. */
  readonly beforeMigrate = (db: Db, from: number, to: number): void => {
    if (storeKind(db) === 'postgres') {
      this.deps.logger.info({ from, to }, `upgrading the journal from schema v${from} to v${to}, one transaction per version (back PostgreSQL up with pg_dump beforehand)`);
      return;
    }
    const file = backupBeforeMigrate(db, this.deps.paths.backups, from, new Date(this.deps.now()));
    this.deps.logger.info({ from, to, backup: file }, `upgrading the journal from schema v${from} to v${to}; backup at ${file}`);
  };

  /** The journal is open: report it, start reading metrics from it, prune it now and daily. */
  journalOpened(): void {
    const db = this.deps.db();
    if (!db) return;
    this.readiness.set('journal', true);
    this.disk.start();
    this.metrics.startFeed(db);
    const days = this.deps.settings.retention.days;
    this.retention = startRetention({
      db: this.deps.db,
      days,
      now: this.deps.now,
      onPruned: (r, cutoff) => {
        if (r.alerts || r.events) {
          this.deps.logger.info({ ...r, before: new Date(cutoff).toISOString(), days }, `pruned ${r.alerts} alerts and ${r.events} events older than ${days} days`);
        }
      },
      onError: (e) => this.deps.logger.error({ err: String(e) }, 'pruning old alerts and events failed'),
    });
  }

  /** The webhook app's `onAnswer`: metrics, and the journal's readiness from real writes. */
  onAnswer(ms: number, outcome: string, status: number): void {
    this.metrics.onAnswer(ms, outcome, status);
    if (outcome === 'journal_error') {
      this.readiness.set('journal', false, 'the last write failed (see the log)');
      this.probeDatabaseSoon();
    } else if (outcome === 'accepted' || outcome === 'duplicate') this.readiness.set('journal', true);
  }

  private databaseProbe: NodeJS.Timeout | null = null;

  /**
   * PostgreSQL: after a failed write, asks the database once a second until it answers, then the
   * journal is ready again. A load balancer that routes by /readyz would otherwise never send the
   * request that proves it. (SQLite's failures are the disk's: the disk guard says when it writes.)
   */
  private probeDatabaseSoon(): void {
    const db = this.deps.db();
    if (this.databaseProbe || !db || storeKind(db) !== 'postgres') return;
    this.databaseProbe = setInterval(() => {
      try {
        this.deps.db()?.prepare('SELECT 1 AS ok').get();
      } catch {
        return; // still away: asked again in a second
      }
      if (this.databaseProbe) clearInterval(this.databaseProbe);
      this.databaseProbe = null;
      this.readiness.set('journal', true);
    }, 1000);
    this.databaseProbe.unref();
  }

  /**
   * Engine events that carry figures: `order.sent` (its `signalToOrderMs`) and `status` (the
   * default account's breaker). Read loosely, so either side can change without breaking the other.
   */
  private onEvent(e: { type: string }): void {
    const x = e as { type: string; signalToOrderMs?: unknown; status?: { breaker?: { state?: unknown; account?: unknown } } };
    if (x.type === 'order.sent' && typeof x.signalToOrderMs === 'number') this.metrics.observeSignalToOrder(x.signalToOrderMs);
    else if (x.type === 'status') {
      const state = x.status?.breaker?.state;
      const account = typeof x.status?.breaker?.account === 'string' ? x.status.breaker.account : 'default';
      if (state === 'closed' || state === 'open' || state === 'half-open') this.metrics.setBreaker(account, state as BreakerState);
    }
  }

  /** The webhook app's `notReady`. */
  readonly notReady = (): string | null => this.readiness.problem();

  /**
   * Wraps the webhook listener's handler to know which requests are in flight, and to close
   * connections once draining (a restarted server gets the client's next connection).
   */
  track(handler: Handler, draining: () => boolean): Handler {
    return this.requests.track(handler, draining);
  }

  /** Adds a step to run while stopping, after intake drained and before the journal closes. */
  onStop(name: string, fn: StopStep): void {
    this.stopSteps.push({ name, fn });
  }

  /** Waits (at most `ms`) for the requests in flight now to be answered. */
  settleRequests(ms: number): Promise<number> {
    return this.requests.settle(ms);
  }

  /** Runs the stop steps, all within `ms`; returns the names of those that did not finish. */
  async runStopSteps(ms: number): Promise<string[]> {
    const unfinished = new Set(this.stopSteps.map((s) => s.name));
    const runs = this.stopSteps.map((s) =>
      s.fn().then(
        () => unfinished.delete(s.name),
        (e) => {
          unfinished.delete(s.name);
          this.deps.logger.error({ step: s.name, err: String(e) }, `${s.name} failed while stopping`);
        },
      ),
    );
    await withDeadline(Promise.all(runs), ms);
    return [...unfinished];
  }

  /** Stops background work (probes, pruning); call before the journal closes. */
  async stopBackground(): Promise<void> {
    this.readiness.stopProbes();
    this.disk.stop();
    await this.retention?.stop();
    this.retention = null;
  }

  journalClosed(): void {
    this.closing = true;
    this.readiness.set('journal', false, 'closed');
  }
}
