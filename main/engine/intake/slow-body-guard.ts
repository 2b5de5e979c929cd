/**
 * Keeps slow request bodies from holding every connection that matters. Behind localtunnel each
 * request in flight holds one of the tunnel server's few sockets (10 on localtunnel.me), and a
 * TradingView alert waiting for a free one is cancelled after 3 s. A body TradingView sends
 * arrives with its headers, so only a body still arriving after `slowAfterMs` counts as slow;
 * fast requests, however many at once, are never touched. Checked every `slowAfterMs` while
 * any body is being read:
 *  - a source with more than `perSource` slow bodies loses its oldest ones (429);
 *  - through the tunnel, slow bodies beyond the pool size minus a reserve lose their oldest
 *    ones (503), so a few sockets always stay free for alerts, whatever number of sources the
 *    slow requests come from.
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
  abort: AbortController;
}

export class SlowBodyGuard {
  /** In start order: the oldest first. */
  private readonly reads = new Set<Read>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly config: SlowBodyConfig,
    /** The tunnel's socket pool size (0: no tunnel connected). */
    private readonly tunnelPool: () => number,
  ) {}

  /** Registers a body read; its signal aborts with a BodyError when the read is evicted. `done` when read. */
  enter(source: string, tunnel: boolean): { signal: AbortSignal; done: () => void } {
    const read: Read = { source, tunnel, startedAt: performance.now(), abort: new AbortController() };
    this.reads.add(read);
    if (!this.timer) {
      this.timer = setInterval(() => this.sweep(), this.config.slowAfterMs);
      this.timer.unref();
    }
    return { signal: read.abort.signal, done: () => this.leave(read) };
  }

  private leave(read: Read): void {
    this.reads.delete(read);
    if (this.reads.size === 0 && this.timer) {
      clearInterval(this.timer);
      this.timer = null;
    }
  }

  private sweep(): void {
    const slowBefore = performance.now() - this.config.slowAfterMs;
    const perSource = new Map<string, Read[]>();
    const viaTunnel: Read[] = [];
    for (const r of this.reads) {
      if (r.startedAt > slowBefore) continue;
      const list = perSource.get(r.source) ?? [];
      list.push(r);
      perSource.set(r.source, list);
      if (r.tunnel) viaTunnel.push(r);
    }
    for (const [source, list] of perSource) {
      for (const r of list.slice(0, Math.max(0, list.length - this.config.perSource))) {
        this.evict(
          r,
          new BodyError(429, 'too_many_slow_requests', `Too many slow requests from ${source} at once: a body must arrive with its headers.`),
        );
      }
    }
    const pool = this.tunnelPool();
    if (pool > 0) {
      const room = Math.max(1, pool - Math.ceil(pool / 5));
      const held = viaTunnel.filter((r) => !r.abort.signal.aborted);
      for (const r of held.slice(0, Math.max(0, held.length - room))) {
        this.evict(r, new BodyError(503, 'tunnel_busy', 'The tunnel is busy with slow requests: this body did not arrive in time to keep a tunnel connection.'));
      }
    }
  }

  private evict(r: Read, reason: BodyError): void {
    if (r.abort.signal.aborted) return;
    r.abort.abort(reason);
    this.leave(r);
  }
}
