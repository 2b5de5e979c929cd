import type { NewAlert, RecordResult } from '../journal/alerts.js';
import type { Journal } from '../journal/journal.js';

interface Pending {
  alert: NewAlert;
  resolve: (r: RecordResult) => void;
  reject: (e: unknown) => void;
}

/**
 * Group commit: every alert that arrives within one event-loop turn is written in one SQLite
 * transaction (one fsync), and each request is answered only after that commit. This is what
 * lets a burst of a thousand alerts be durably journaled in a fraction of a second.
 */
export class JournalWriter {
  private queue: Pending[] = [];
  private scheduled = false;
  private inFlight = Promise.resolve();

  constructor(
    private readonly journal: Journal,
    private readonly onRecorded: (results: RecordResult[]) => void,
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

  /** Resolves once everything submitted so far is committed (or failed). */
  async drain(): Promise<void> {
    if (this.queue.length) this.flush();
    await this.inFlight;
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue;
    this.queue = [];
    if (batch.length === 0) return;
    let results: RecordResult[];
    try {
      results = this.journal.durable(() => batch.map((p) => this.journal.alerts.record(p.alert)));
    } catch (e) {
      for (const p of batch) p.reject(e);
      return;
    }
    batch.forEach((p, i) => p.resolve(results[i] as RecordResult));
    try {
      this.onRecorded(results);
    } catch {
      // A listener's failure must not turn a committed alert into an error answer.
    }
  }
}
