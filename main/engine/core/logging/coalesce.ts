/**
 * One log line for a run of the same warning. Under load a risk limit can refuse hundreds of
 * alerts a second: a line each would cost more CPU than the refusals themselves (formatting,
 * redaction, a console and a file write per line) on the webhook's event loop, and bury the log.
 * The first of a kind is logged at once; the rest within the window are counted, and one line at
 * the window's end says how many there were (each is still in the journal and the UI's events).
 */
export type LogLine = (fields: Record<string, unknown>, message: string) => void;

interface Run {
  until: number;
  more: number;
  fields: Record<string, unknown>;
  message: string;
  timer: NodeJS.Timeout | null;
}

export class LogCoalescer {
  private readonly runs = new Map<string, Run>();

  constructor(
    private readonly line: LogLine,
    private readonly windowMs = 10_000,
    private readonly now: () => number = Date.now,
  ) {}

  /** Logs `message` unless a line of `key` was logged within the window; then it is counted. */
  log(key: string, fields: Record<string, unknown>, message: string): void {
    const run = this.runs.get(key);
    if (run && this.now() < run.until) {
      run.more++;
      run.fields = fields;
      run.message = message;
      run.timer ??= setTimeout(() => this.end(key), Math.max(0, run.until - this.now())).unref();
      return;
    }
    if (run) this.end(key);
    this.line(fields, message);
    this.runs.set(key, { until: this.now() + this.windowMs, more: 0, fields, message, timer: null });
  }

  /** Writes the counts of the runs still open (at stop). */
  flush(): void {
    for (const key of [...this.runs.keys()]) this.end(key);
  }

  private end(key: string): void {
    const run = this.runs.get(key);
    if (!run) return;
    this.runs.delete(key);
    if (run.timer) clearTimeout(run.timer);
    if (run.more === 0) return;
    const window = this.windowMs >= 1000 ? `${Math.round(this.windowMs / 1000)} s` : `${this.windowMs} ms`;
    this.line({ ...run.fields, more: run.more }, `${run.message} (and ${run.more} more like it within ${window}: each is in the journal)`);
  }
}
