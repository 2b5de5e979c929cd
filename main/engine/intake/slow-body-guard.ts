/**
 * Keeps slow request bodies from holding every connection that matters. Behind localtunnel each
 * request in flight holds one of the tunnel server's few sockets (10 on localtunnel.me), and a
 * TradingView alert waiting for a free one is cancelled after 3 s. A body TradingView sends
 * arrives with its headers, so only a body still arriving after `slowAfterMs` counts as slow;
 * fast requests, however many at once, are never touched. Only a check that ran on time marks a
 * body slow: after the event loop was stalled (a long journal write, a busy machine) every body
 * looks old, though its bytes may be waiting unread, so that check marks and cuts off nothing.
 *  - A source with `perSource` slow bodies in flight has its next request refused at once
 *    (429), and, checked every `slowAfterMs`, loses any slow ones beyond that (oldest first).
 *  - Through the tunnel, slow bodies beyond the pool size minus a reserve (a fifth) lose their
 *    oldest ones (503), so sockets stay free for alerts whatever number of sources send them.
 */
import { BodyError } from './read-body.js';

export interface SlowBodyConfig {
  /** A body still arriving after this long is slow, ms. */
  slowAfterMs: number;
  /** Slow bodies one source may have in flight. */
  perSource: number;
}

export const defaultSlowBodyConfig: SlowBodyConfig = { slowAfterMs: 250, perSource: 2 };

interface Read {
  source: string;
  tunnel: boolean;
  startedAt: number;
  /** Marked by an on-time check that found it still arriving after slowAfterMs. */
  slow: boolean;
  abort: AbortController;
}

export interface BodyRead {
  /** Aborted, with a BodyError as its reason, when the read is cut off. */
  signal: AbortSignal;
  /** The body was read (or refused): call once. */
  done(): void;
}

export class SlowBodyGuard {
  /** Per source, in start order (the oldest first). */
  private readonly bySource = new Map<string, Set<Read>>();
  private count = 0;
  private timer: NodeJS.Timeout | null = null;
  private lastSweep = 0;

  constructor(
    private readonly config: SlowBodyConfig,
    /** The tunnel's socket pool size (0: no tunnel connected). */
    private readonly tunnelPool: () => number,
  ) {}

  /** Registers a body read; a BodyError when the source already has its share of slow ones. */
  enter(source: string, tunnel: boolean): BodyRead | BodyError {
    const mine = this.bySource.get(source);
    if (mine && mine.size >= this.config.perSource && slowCount(mine) >= this.config.perSource) return tooManyFrom(source);
    const read: Read = { source, tunnel, startedAt: performance.now(), slow: false, abort: new AbortController() };
    if (mine) mine.add(read);
    else this.bySource.set(source, new Set([read]));
    this.count += 1;
    if (!this.timer) {
      this.lastSweep = performance.now();
      this.timer = setInterval(() => this.sweep(), this.config.slowAfterMs);
      this.timer.unref();
    }
    return { signal: read.abort.signal, done: () => this.leave(read) };
  }

  private leave(read: Read): void {
    const mine = this.bySource.get(read.source);
    if (!mine?.delete(read)) return;
    this.count -= 1;
    if (mine.size === 0) this.bySource.delete(read.source);
  }

  private sweep(): void {
    // Stopped here rather than when the last read ends: no timer per request under steady traffic.
    if (this.count === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
      return;
    }
    const now = performance.now();
    const late = now - this.lastSweep > 2 * this.config.slowAfterMs;
    this.lastSweep = now;
    if (late) return;
    const slowBefore = now - this.config.slowAfterMs;
    const viaTunnel: Read[] = [];
    for (const [source, reads] of this.bySource) {
      for (const r of reads) if (r.startedAt <= slowBefore) r.slow = true;
      const slow = [...reads].filter((r) => r.slow);
      for (const r of slow.slice(0, Math.max(0, slow.length - this.config.perSource))) this.evict(r, tooManyFrom(source));
      for (const r of slow) if (r.tunnel && !r.abort.signal.aborted) viaTunnel.push(r);
    }
    const pool = this.tunnelPool();
    if (pool === 0 || viaTunnel.length === 0) return;
    const room = Math.max(1, pool - Math.ceil(pool / 5));
    viaTunnel.sort((a, b) => a.startedAt - b.startedAt);
    for (const r of viaTunnel.slice(0, Math.max(0, viaTunnel.length - room))) {
      this.evict(r, new BodyError(503, 'tunnel_busy', 'The tunnel is busy with slow requests: this body did not arrive in time to keep a tunnel connection.'));
    }
  }

  private evict(r: Read, reason: BodyError): void {
    if (r.abort.signal.aborted) return;
    r.abort.abort(reason);
    this.leave(r);
  }
}

function tooManyFrom(source: string): BodyError {
  return new BodyError(429, 'too_many_slow_requests', `Too many slow requests from ${source} at once: send the body with the headers.`);
}

function slowCount(reads: Set<Read>): number {
  let n = 0;
  for (const r of reads) if (r.slow) n += 1;
  return n;
}
