import type { NewAlert, RecordResult } from '../journal/alerts.js';
import type { Journal } from '../journal/journal.js';
import { markAnswered } from '../journal/latency.js';

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
      (e: unknown) => this.fail(batch, results, e),
    );
    this.unsynced.add(synced);
    void synced.finally(() => this.unsynced.delete(synced));
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
      try {
        if (this.journal.isOpen) markAnswered(this.journal.db, answers);
      } catch {
        // A latency figure lost to a failing journal: the alert itself is safe.
      }
    });
  }

  /**
   * The disk refused the fsync: these alerts may not survive a power cut, and their senders are
   * about to hear they were not taken, so they are marked rejected and never executed.
   */
  private fail(batch: Pending[], results: RecordResult[], error: unknown): void {
    const reason = `The journal could not be made durable (${error instanceof Error ? error.message : String(error)}); the sender was told the alert was not taken.`;
    try {
      this.journal.transaction(() => {
        for (const r of results) {
          if (r.outcome === 'accepted') this.journal.alerts.setStatus(r.alert.id, 'rejected', 'journal_unavailable', reason, this.now());
        }
      });
    } catch {
      // The journal is failing as a whole. These stay accepted, and the 503s are in the log.
    }
    for (const p of batch) p.reject(error);
  }
}
