/**
 * Bounded journaling of rejections that came before the sender proved it knows the secret.
 * Anyone on the internet can send those, as fast as they like, so they must not decide how much
 * the journal grows: each keeps only the first 1 KiB of its body (and its size), and within one
 * clock minute only the first `perSource` from a source and the first `total` overall are
 * journaled one by one. The rest are counted and journaled as one summary row per source per
 * minute (at most `summarySources` sources named, everyone else in one "*" row).
 *
 * Bound per minute, whatever the traffic: total + summarySources + 1 rows (README "Forged
 * sources and floods" gives the bytes).
 */
import type { NewAlert } from '../journal/alerts.js';
import { ulid } from '../core/ids.js';

export interface RejectionLogConfig {
  /** Rejections journaled one by one per source per minute. */
  perSource: number;
  /** Rejections journaled one by one per minute, all sources together. */
  total: number;
  /** Sources with their own summary row per minute; the rest share one. */
  summarySources: number;
}

export const defaultRejectionLogConfig: RejectionLogConfig = { perSource: 10, total: 100, summarySources: 50 };

/** What an unauthenticated request may leave in the journal of its body, bytes. */
export const UNAUTHENTICATED_BODY_BYTES = 1024;

const MINUTE_MS = 60_000;
const EVERYONE_ELSE = '*';

interface Summary {
  count: number;
  bytes: number;
  codes: Map<string, number>;
}

export class RejectionLog {
  private minute = -1;
  private journaled = 0;
  private readonly perSource = new Map<string, number>();
  private readonly summaries = new Map<string, Summary>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: RejectionLogConfig,
    private readonly submit: (alert: NewAlert) => Promise<unknown>,
    private readonly now: () => number,
    private readonly onError: (e: unknown) => void,
  ) {}

  /**
   * True when this rejection is journaled one by one; false when it was counted into its source's
   * summary for the minute instead (the caller answers it without journaling).
   */
  admit(source: string, code: string, bodyBytes: number): boolean {
    const t = this.now();
    const minute = Math.floor(t / MINUTE_MS);
    if (minute !== this.minute) this.rollOver(minute);
    const seen = (this.perSource.get(source) ?? 0) + 1;
    this.perSource.set(source, seen);
    if (seen <= this.config.perSource && this.journaled < this.config.total) {
      this.journaled += 1;
      return true;
    }
    const key = this.summaries.has(source) || this.summaries.size < this.config.summarySources ? source : EVERYONE_ELSE;
    let s = this.summaries.get(key);
    if (!s) {
      s = { count: 0, bytes: 0, codes: new Map() };
      this.summaries.set(key, s);
      // Summaries are written when their minute is over, even if nothing else arrives.
      if (!this.timer) {
        this.timer = setTimeout(() => this.rollOver(Math.floor(this.now() / MINUTE_MS)), (minute + 1) * MINUTE_MS - t + 50);
        this.timer.unref();
      }
    }
    s.count += 1;
    s.bytes += bodyBytes;
    s.codes.set(code, (s.codes.get(code) ?? 0) + 1);
    return false;
  }

  /** Journals the summaries counted so far (on shutdown, before the journal writer drains). */
  flush(): Promise<void> {
    const pending = this.writeSummaries();
    this.perSource.clear();
    this.journaled = 0;
    return pending;
  }

  private rollOver(minute: number): void {
    void this.writeSummaries();
    this.minute = minute;
    this.journaled = 0;
    this.perSource.clear();
  }

  private writeSummaries(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.summaries.size === 0) return Promise.resolve();
    const from = this.minute * MINUTE_MS;
    const writes = [...this.summaries].map(([source, s]) => this.submit(summaryRow(source, s, from)).catch(this.onError));
    this.summaries.clear();
    return Promise.all(writes).then(() => {});
  }
}

function summaryRow(source: string, s: Summary, from: number): NewAlert {
  const codes = [...s.codes].sort((a, b) => b[1] - a[1]);
  const who = source === EVERYONE_ELSE ? 'other sources' : source;
  const minute = new Date(from).toISOString().slice(0, 16);
  return {
    id: ulid(from),
    receivedAt: from,
    source,
    dialect: null,
    strategy: null,
    action: null,
    symbol: null,
    idemKey: null,
    idemSince: 0,
    body: JSON.stringify({ rejected: s.count, bytes: s.bytes, codes: Object.fromEntries(codes) }),
    bodyBytes: s.bytes,
    signal: null,
    status: 'rejected',
    httpStatus: 429,
    reasonCode: 'rejections_summarized',
    reason:
      `${s.count} more unauthenticated requests from ${who} in the minute from ${minute} UTC were refused ` +
      `(${codes.map(([c, n]) => `${c} ×${n}`).join(', ')}) and are counted here instead of journaled one by one.`,
  };
}
