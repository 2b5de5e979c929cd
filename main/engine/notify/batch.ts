/**
 * Coalesces notices into batches so a channel never floods: a burst of 1000 rejected alerts is
 * one message ("1000 rejected alerts", the latest few quoted), not 1000. At most one send per
 * window per channel; while a send is failing, the window grows (and honours the API's
 * retry-after) and what piles up meanwhile is merged, with counts, into the next attempt.
 *
 * Memory stays bounded: per kind only a count and the latest few notices are kept.
 */
import { KIND_NOUN, KIND_ORDER, type Notice, type NoticeKind } from './notice.js';

/** What a channel sends: one title and body summarising one or more notices. */
export interface NoticeBatch {
  title: string;
  body: string;
  /** How many notices it stands for. */
  count: number;
  kinds: NoticeKind[];
}

/** Thrown by senders. `permanent` means retrying cannot help (bad token, deleted webhook). */
export class NotifySendError extends Error {
  constructor(
    message: string,
    readonly permanent: boolean,
    readonly status: number | null = null,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
    this.name = 'NotifySendError';
  }
}

export interface BatcherOptions {
  /** Shortest time between two sends, ms. */
  windowMs: number;
  /** How long to gather after the first notice of a quiet spell before sending, ms (default min(1000, windowMs)). */
  gatherMs?: number;
  /** Notices quoted per kind in a batch (default 5); the rest are counted. */
  samplesPerKind?: number;
  /** Consecutive failed sends after which the pending notices are dropped (default 5). */
  maxAttempts?: number;
  /** Longest wait between retries, ms (default 5 minutes). */
  maxBackoffMs?: number;
  send(batch: NoticeBatch): Promise<void>;
  /** Told about every failed send; `dropped` counts notices given up on (0 while retrying). */
  onError(error: unknown, dropped: number): void;
  now?: () => number;
}

interface Group {
  count: number;
  samples: Notice[];
}

export interface NoticeBatcher {
  push(notice: Notice): void;
  /** Sends what is pending now (ignoring the window); resolves when the send is done. */
  flush(): Promise<void>;
  /** Stops timers; sends what is pending once. Later pushes are ignored. */
  close(): Promise<void>;
  /** Notices waiting to be sent. */
  pending(): number;
}

export function createNoticeBatcher(opts: BatcherOptions): NoticeBatcher {
  const now = opts.now ?? Date.now;
  const samples = opts.samplesPerKind ?? 5;
  const gatherMs = opts.gatherMs ?? Math.min(1000, opts.windowMs);
  const maxAttempts = opts.maxAttempts ?? 5;
  const maxBackoff = opts.maxBackoffMs ?? 5 * 60_000;

  let groups = new Map<NoticeKind, Group>();
  let timer: NodeJS.Timeout | null = null;
  let inFlight: Promise<void> | null = null;
  let nextAllowedAt = 0;
  let failures = 0;
  let closed = false;

  const pendingCount = () => {
    let n = 0;
    for (const g of groups.values()) n += g.count;
    return n;
  };

  function merge(into: Map<NoticeKind, Group>, kind: NoticeKind, g: Group) {
    const cur = into.get(kind);
    if (!cur) into.set(kind, { count: g.count, samples: g.samples.slice(-samples) });
    else {
      cur.count += g.count;
      cur.samples = [...cur.samples, ...g.samples].slice(-samples);
    }
  }

  function schedule() {
    if (closed || timer || inFlight || groups.size === 0) return;
    const delay = Math.max(gatherMs, nextAllowedAt - now());
    timer = setTimeout(() => {
      timer = null;
      void sendPending();
    }, delay);
    timer.unref?.();
  }

  function sendPending(): Promise<void> {
    if (inFlight) return inFlight;
    if (groups.size === 0) return Promise.resolve();
    const taken = groups;
    groups = new Map();
    const count = [...taken.values()].reduce((n, g) => n + g.count, 0);
    inFlight = (async () => {
      try {
        await opts.send(formatBatch(taken, samples));
        failures = 0;
        nextAllowedAt = now() + opts.windowMs;
      } catch (e) {
        failures += 1;
        const permanent = e instanceof NotifySendError && e.permanent;
        const giveUp = permanent || failures >= maxAttempts;
        if (giveUp) failures = 0;
        else for (const [k, g] of taken) merge(groups, k, g); // keep what failed for the next attempt
        const backoff = Math.min(maxBackoff, opts.windowMs * 2 ** failures);
        const retryAfter = e instanceof NotifySendError ? (e.retryAfterMs ?? 0) : 0;
        nextAllowedAt = now() + Math.max(backoff, retryAfter);
        safe(() => opts.onError(e, giveUp ? count : 0));
      } finally {
        inFlight = null;
        schedule();
      }
    })();
    return inFlight;
  }

  return {
    push(notice) {
      if (closed) return;
      merge(groups, notice.kind, { count: 1, samples: [notice] });
      schedule();
    },
    async flush() {
      if (timer) clearTimeout(timer);
      timer = null;
      if (inFlight) await inFlight;
      if (timer) clearTimeout(timer);
      timer = null;
      await sendPending();
    },
    async close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      if (inFlight) await inFlight;
      if (timer) clearTimeout(timer);
      timer = null;
      await sendPending();
    },
    pending: pendingCount,
  };
}

/** One message for a batch: a single notice as it is; several as counts with the latest quoted. */
export function formatBatch(groups: ReadonlyMap<NoticeKind, Group>, samplesPerKind = 5): NoticeBatch {
  const kinds = KIND_ORDER.filter((k) => groups.has(k));
  const count = kinds.reduce((n, k) => n + (groups.get(k)?.count ?? 0), 0);
  const first = groups.get(kinds[0] as NoticeKind);
  if (count === 1 && first?.samples[0]) {
    const n = first.samples[0];
    return { title: n.title, body: n.body, count, kinds };
  }
  const single = kinds.length === 1;
  const title = single ? `${count} ${noun(kinds[0] as NoticeKind, count)}` : `${count} notifications`;
  const lines: string[] = [];
  for (const k of kinds) {
    const g = groups.get(k) as Group;
    const shown = g.samples.slice(-samplesPerKind);
    if (!single) lines.push(`${g.count} ${noun(k, g.count)}:`);
    for (const n of shown) lines.push(`• ${single && allSameTitle(shown) ? '' : `${n.title}: `}${n.body}`);
    const more = g.count - shown.length;
    if (more > 0) lines.push(`…and ${more} more ${noun(k, more)} (see the log)`);
  }
  return { title, body: lines.join('\n'), count, kinds };
}

function allSameTitle(ns: Notice[]): boolean {
  return ns.every((n) => n.title === ns[0]?.title);
}

function noun(kind: NoticeKind, n: number): string {
  const [one, many] = KIND_NOUN[kind];
  return n === 1 ? one : many;
}

function safe(fn: () => void) {
  try {
    fn();
  } catch {
    // A failing error callback must not stop the batcher.
  }
}

/** Cut text to `max` characters (a code-unit count, as both APIs measure), marking the cut. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return text.slice(0, Math.max(0, max - 1)) + '…';
}
