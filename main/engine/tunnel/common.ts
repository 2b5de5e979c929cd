/**
 * Pieces both tunnel providers share: the status holder with its change listeners, the
 * self-probe (GET <publicUrl>/healthz), the logger shape and error formatting.
 */
import type { TunnelState, TunnelStatus } from '../core/ports.js';

/** The subset of a pino logger the tunnel uses (always called as `(fields, message)`). */
export interface TunnelLogger {
  debug(obj: object, msg?: string): void;
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

export const silentLogger: TunnelLogger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
};

export type FetchFn = typeof fetch;
export type StatusListener = (status: TunnelStatus, previous: TunnelStatus) => void;

/**
 * The current status plus its listeners. Listeners hear about changes of `state`, `publicUrl` or
 * `subdomainRefused` only (probe timings change every probe and are read through `status()`). A throwing listener
 * is logged and never breaks the tunnel or the other listeners.
 */
export class StatusCell {
  private current: TunnelStatus;
  private readonly listeners = new Set<StatusListener>();

  constructor(
    provider: TunnelStatus['provider'],
    private readonly logger: TunnelLogger,
  ) {
    this.current = { provider, state: 'stopped', publicUrl: null, lastProbeMs: null, lastProbeAt: null, lastError: null };
  }

  get(): TunnelStatus {
    return { ...this.current };
  }

  get state(): TunnelState {
    return this.current.state;
  }

  update(patch: Partial<Omit<TunnelStatus, 'provider'>>): void {
    const previous = this.current;
    const next: TunnelStatus = { ...previous, ...patch };
    this.current = next;
    if (previous.state === next.state && previous.publicUrl === next.publicUrl && (previous.subdomainRefused ?? null) === (next.subdomainRefused ?? null)) return;
    this.logger.info(
      { tunnel: next.provider, state: next.state, previousState: previous.state, publicUrl: next.publicUrl, error: next.lastError ?? undefined },
      `tunnel ${next.state}`,
    );
    for (const listener of [...this.listeners]) {
      try {
        listener({ ...next }, { ...previous });
      } catch (e) {
        this.logger.error({ err: errorMessage(e) }, 'tunnel status listener threw');
      }
    }
  }

  subscribe(listener: StatusListener): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }
}

/**
 * True when a status change moved the public URL from one address to another (both known): the
 * TradingView alert's webhook URL has to be updated. `null -> url` (first start) is not a change.
 */
export function isUrlChange(status: TunnelStatus, previous: TunnelStatus): boolean {
  return status.publicUrl !== null && previous.publicUrl !== null && status.publicUrl !== previous.publicUrl;
}

/** A readable message for anything thrown, including fetch's `TypeError: fetch failed` (cause inside). */
export function errorMessage(e: unknown): string {
  if (e instanceof Error) {
    const cause = (e as Error & { cause?: unknown }).cause;
    if (e.message === 'fetch failed' && cause instanceof Error) {
      const code = (cause as Error & { code?: unknown }).code;
      return typeof code === 'string' && !cause.message.includes(code) ? `${code}: ${cause.message}` : cause.message;
    }
    return e.message;
  }
  return String(e);
}

/** `https://x.example/` -> `https://x.example` */
export function trimTrailingSlashes(url: string): string {
  return url.replace(/\/+$/, '');
}

/**
 * GET `<baseUrl>/healthz` (with `bypass-tunnel-reminder`, so loca.lt does not answer with its
 * reminder page) and return the round trip in ms (0.1 ms resolution). Rejects with a readable
 * message on a network error, a non-2xx answer, or no answer within `timeoutMs`. Leaves no timer.
 */
export async function probeHealthz(fetchFn: FetchFn, baseUrl: string, timeoutMs: number, signal?: AbortSignal): Promise<number> {
  const url = `${baseUrl}/healthz`;
  const ac = new AbortController();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    ac.abort();
  }, timeoutMs);
  const onAbort = (): void => ac.abort();
  if (signal?.aborted) ac.abort();
  else signal?.addEventListener('abort', onAbort, { once: true });
  const t0 = performance.now();
  try {
    const res = await fetchFn(url, {
      method: 'GET',
      headers: { 'bypass-tunnel-reminder': '1', accept: 'application/json, text/plain, */*' },
      redirect: 'manual',
      signal: ac.signal,
    });
    const body = await res.text();
    const ms = performance.now() - t0;
    if (!res.ok) {
      const snippet = body.replace(/\s+/g, ' ').trim().slice(0, 120);
      throw new Error(`GET ${url} answered HTTP ${res.status}${snippet ? ` (${snippet})` : ''}`);
    }
    return Math.max(0.1, Math.round(ms * 10) / 10);
  } catch (e) {
    if (timedOut) throw new Error(`GET ${url}: no answer within ${timeoutMs} ms`);
    if (signal?.aborted) throw new Error(`GET ${url}: cancelled (tunnel stopping)`);
    if (e instanceof Error && e.message.startsWith(`GET ${url}`)) throw e;
    throw new Error(`GET ${url}: ${errorMessage(e)}`);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
