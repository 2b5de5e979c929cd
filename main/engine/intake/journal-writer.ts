import type { NewAlert, RecordResult } from '../journal/alerts.js';
import type { Journal } from '../journal/journal.js';

interface Pending {
  alert: NewAlert;
  resolve: (r: RecordResult) => void;
  reject: (e: unknown) => void;
}

interface Committed {
  batch: Pending[];
  results: RecordResult[];
}

/**
 * Group commit, pipelined: every alert that arrives within one event-loop turn is written in one
 * SQLite transaction, and the WAL is then fsynced on libuv's thread pool (Journal.syncWal) while
 * the event loop goes on taking requests. Batches committed while an fsync runs share the next
 * one. A request is answered, and its alert handed to execution, only once an fsync that began
 * after its commit has finished: the same promise as `synchronous = FULL`, without the event loop
 * waiting on the disk.
 */
export class JournalWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  /** Committed (visible, survives a killed process), not yet known to survive a power cut. */
  private unsynced: Committed[] = [];
  private syncing: Promise<void> | null = null;

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
    while (this.syncing) await this.syncing;
  }

  private flush(): void {
    this.scheduled = false;
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
    this.unsynced.push({ batch, results });
    this.sync();
  }

  private sync(): void {
    if (this.syncing || this.unsynced.length === 0) return;
    const groups = this.unsynced;
    this.unsynced = [];
    this.syncing = this.journal
      .syncWal()
      .then(
        () => this.settle(groups),
        (e: unknown) => this.fail(groups, e),
      )
      .finally(() => {
        this.syncing = null;
        this.sync();
      });
  }

  private settle(groups: Committed[]): void {
    for (const { batch, results } of groups) {
      batch.forEach((p, i) => p.resolve(results[i] as RecordResult));
      try {
        this.onRecorded(results);
      } catch {
        // A listener's failure must not turn a committed alert into an error answer.
      }
    }
  }

  /**
   * The disk refused the fsync: these alerts may not survive a power cut, and their senders are
   * about to hear they were not taken, so they are marked rejected and never executed.
   */
  private fail(groups: Committed[], error: unknown): void {
    const reason = `The journal could not be made durable (${error instanceof Error ? error.message : String(error)}); the sender was told the alert was not taken.`;
    try {
      this.journal.transaction(() => {
        for (const { results } of groups) {
          for (const r of results) {
            if (r.outcome === 'accepted') this.journal.alerts.setStatus(r.alert.id, 'rejected', 'journal_unavailable', reason, this.now());
          }
        }
      });
    } catch {
      // The journal is failing as a whole. These stay accepted, and the 503s are in the log.
    }
    for (const { batch } of groups) for (const p of batch) p.reject(error);
  }
}
