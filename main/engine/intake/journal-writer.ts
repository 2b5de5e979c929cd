import type { NewAlert, RecordResult } from '../journal/alerts.js';
import type { Journal } from '../journal/journal.js';
import { markAnswered } from '../journal/latency.js';
import type { PgAlertBatches } from '../journal/pg-alert-batch.js';
import { JournalOutcomeUnknownError } from '../journal/sql-port.js';

interface Pending {
  alert: NewAlert;
  resolve: (r: RecordResult) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit, pipelined: every alert that arrives within one event-loop turn is written in one
 * SQLite transaction, and the WAL is then fsynced on libuv's thread pool (Journal.flush) while
 * the event loop goes on taking requests. Batches committed while an fsync runs share the next
 * one. A request is answered, and its alert handed to execution, only once an fsync that began
 * after its commit has finished: the same promise as `synchronous = FULL`, without the event loop
 * waiting on the disk.
 *
 * On PostgreSQL a batch is one statement on the journal's asynchronous connection (Journal.
 * alertBatches), committed (synchronous_commit on) while the event loop goes on; a few batches
 * may be in flight (one per connection), and what arrives while all are busy is the next batch.
 * A batch's answers are released when its commit returns, in batch order.
 */
export class JournalWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  /** Committed batches whose fsync has not finished yet. */
  private readonly unsynced = new Set<Promise<void>>();

  constructor(
    private readonly journal: Journal,
    private readonly onRecorded: (results: RecordResult[]) => void,
    private readonly now: () => number = Date.now,
  ) {}

  submit(alert: NewAlert): Promise<RecordResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ alert, resolve, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Resolves once everything submitted so far is committed and synced (or failed). */
  async drain(): Promise<void> {
    if (this.queue.length) this.flush();
    while (this.unsynced.size) await Promise.all(this.unsynced);
  }

  private flush(): void {
    this.scheduled = false;
    if (this.journal.alertBatches) return this.flushToPostgres(this.journal.alertBatches);
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let results: RecordResult[];
    try {
      results = this.journal.transaction(() => batch.map((p) => this.journal.alerts.record(p.alert)));
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    const synced = this.journal.flush().then(
      () => this.settle(batch, results),
      (e: unknown) => this.fail(batch, acceptedIds(results), e),
    );
    this.track(synced);
  }

  /** Batches sent to PostgreSQL whose commit has not answered yet (at most one per connection). */
  private pgInFlight = 0;
  /** The newest batch's settlement: answers and execution go in batch order, whatever order the commits return in. */
  private pgSettled: Promise<void> = Promise.resolve();

  private flushToPostgres(batches: PgAlertBatches): void {
    if (this.pgInFlight >= batches.lanes) return;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    this.pgInFlight++;
    const recorded = batches.record(batch.map((p) => p.alert));
    const before = this.pgSettled;
    const settled = recorded.then(
      async (results) => {
        await before;
        this.settle(batch, results);
      },
      // Lost after it was sent, the batch may have committed: its accepted alerts are marked
      // rejected (where they made it) before their senders hear 503. Otherwise nothing was written.
      async (e: unknown) => {
        await before;
        await this.fail(batch, e instanceof JournalOutcomeUnknownError ? batch.filter((p) => p.alert.status === 'accepted').map((p) => p.alert.id) : [], e);
      },
    );
    this.pgSettled = settled;
    this.track(settled);
    const sent = () => {
      this.pgInFlight--;
      if (this.queue.length) this.flush();
    };
    recorded.then(sent, sent);
  }

  private track(p: Promise<void>): void {
    this.unsynced.add(p);
    void p.finally(() => this.unsynced.delete(p));
  }

  private settle(batch: Pending[], results: RecordResult[]): void {
    batch.forEach((p, i) => p.resolve(results[i] as RecordResult));
    this.answered(results);
    try {
      this.onRecorded(results);
    } catch {
      // A listener's failure must not turn a committed alert into an error answer.
    }
  }

  private answers: { alertId: string; at: number }[] = [];

  /**
   * The resolves above release the answers (Koa writes them in the same turn): this is the
   * alert's answer time. Written after the answers went out, in one transaction per turn.
   */
  private answered(results: RecordResult[]): void {
    const at = this.now();
    const first = this.answers.length === 0;
    for (const r of results) if (r.outcome === 'accepted') this.answers.push({ alertId: r.alert.id, at });
    if (!first || this.answers.length === 0) return;
    setImmediate(() => {
      const answers = this.answers;
      this.answers = [];
      if (!this.journal.isOpen) return;
      // A latency figure lost to a failing journal: the alert itself is safe.
      if (this.journal.alertBatches) void this.journal.alertBatches.markAnswered(answers).catch(() => undefined);
      else
        try {
          markAnswered(this.journal.db, answers);
        } catch {
          // as above
        }
    });
  }

  /**
   * The disk refused the fsync (or PostgreSQL's connection went before its commit answered):
   * these alerts may not survive, and their senders are about to hear they were not taken, so
   * `acceptedIds` are marked rejected (where they were written) and never executed.
   */
  private async fail(batch: Pending[], acceptedIds: string[], error: unknown): Promise<void> {
    const reason = `The journal could not be made durable (${error instanceof Error ? error.message : String(error)}); the sender was told the alert was not taken.`;
    try {
      if (acceptedIds.length) {
        this.journal.transaction(() => {
          for (const id of acceptedIds) this.journal.alerts.setStatus(id, 'rejected', 'journal_unavailable', reason, this.now());
        });
        // PostgreSQL: the batch may be durable, so its marks must be too before the 503s.
        if (this.journal.alertBatches) await this.journal.flush();
      }
    } catch {
      // The journal is failing as a whole. These stay accepted, and the 503s are in the log.
    }
    for (const p of batch) p.reject(error);
  }
}

function acceptedIds(results: RecordResult[]): string[] {
  return results.filter((r) => r.outcome === 'accepted').map((r) => r.alert.id);
}
