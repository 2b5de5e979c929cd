/**
 * The manual provider: the user's own public HTTPS URL (a reverse proxy, a VPS, Cloudflare...)
 * that reaches the webhook listener. Nothing to connect; it is only self-probed
 * (GET <publicUrl>/healthz) so the UI can say whether TradingView can reach us.
 *
 * States: stopped -> starting -> online | degraded (probe failing) -> ... -> stopped.
 */
import type { Tunnel, TunnelStatus } from '../core/ports.js';
import { errorMessage, probeHealthz, silentLogger, StatusCell, trimTrailingSlashes, type FetchFn, type StatusListener, type TunnelLogger } from './common.js';

export interface ManualTunnelOptions {
  /** The public base URL (https://…, without /webhook). http:// only for localhost/127.0.0.1 (tests). */
  publicUrl: string;
  /** Self-probe period, ms (default 30000). */
  probeIntervalMs?: number;
  /** One probe may take this long, ms (default min(10000, max(1000, probeIntervalMs))). */
  probeTimeoutMs?: number;
  fetch?: FetchFn;
  logger?: TunnelLogger;
}

const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Checks and normalises a user-supplied public URL; throws an Error saying what is wrong.
 * Returns the base URL without trailing slashes (and without a trailing `/webhook`, which the
 * app appends itself).
 */
export function normalizePublicUrl(input: string): string {
  const raw = (input ?? '').trim();
  if (!raw) throw new Error('manual tunnel: publicUrl is empty; give the public https:// address that reaches the webhook listener');
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new Error(`manual tunnel: publicUrl "${raw}" is not a URL; expected something like https://hooks.example.com`);
  }
  const loopback = LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol === 'http:' && !loopback) {
    throw new Error(`manual tunnel: publicUrl must use https:// (TradingView only posts to HTTPS), got "${raw}"`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new Error(`manual tunnel: publicUrl must be an https:// URL, got "${raw}"`);
  }
  if (url.protocol === 'https:' && url.port !== '' && !loopback) {
    throw new Error(`manual tunnel: TradingView only sends webhooks to ports 80 and 443, got port ${url.port} in "${raw}"`);
  }
  if (url.username || url.password) throw new Error('manual tunnel: publicUrl must not contain a user name or password');
  if (url.search || url.hash) throw new Error(`manual tunnel: publicUrl must not have a query or fragment, got "${raw}"`);
  const path = trimTrailingSlashes(url.pathname).replace(/\/webhook$/, '');
  return `${url.protocol}//${url.host}${path}`;
}

export function createManualTunnel(opts: ManualTunnelOptions): Tunnel {
  return new ManualTunnel(opts);
}

class ManualTunnel implements Tunnel {
  private readonly cell: StatusCell;
  private readonly publicUrl: string;
  private readonly fetchFn: FetchFn;
  private readonly logger: TunnelLogger;
  private readonly probeIntervalMs: number;
  private readonly probeTimeoutMs: number;
  private running = false;
  private lifecycle = new AbortController();
  private timer: NodeJS.Timeout | null = null;
  private inFlight: { signal: AbortSignal; promise: Promise<number> } | null = null;
  private startPromise: Promise<void> | null = null;

  constructor(opts: ManualTunnelOptions) {
    this.publicUrl = normalizePublicUrl(opts.publicUrl);
    this.fetchFn = opts.fetch ?? globalThis.fetch;
    this.logger = opts.logger ?? silentLogger;
    this.probeIntervalMs = opts.probeIntervalMs ?? 30_000;
    this.probeTimeoutMs = opts.probeTimeoutMs ?? Math.min(10_000, Math.max(1_000, this.probeIntervalMs));
    this.cell = new StatusCell('manual', this.logger);
  }

  status(): TunnelStatus {
    return this.cell.get();
  }

  onChange(listener: StatusListener): () => void {
    return this.cell.subscribe(listener);
  }

  /** Resolves after the first probe: online, or degraded when the URL does not answer (never rejects for that). */
  start(): Promise<void> {
    if (this.running) return this.startPromise ?? Promise.resolve();
    this.running = true;
    this.lifecycle = new AbortController();
    this.cell.update({ state: 'starting', publicUrl: this.publicUrl, lastError: null });
    const first = this.probe()
      .then(
        () => {},
        () => {},
      )
      .finally(() => {
        if (this.startPromise === first) this.startPromise = null;
        this.schedule();
      });
    this.startPromise = first;
    return first;
  }

  async stop(): Promise<void> {
    this.running = false;
    this.startPromise = null;
    this.lifecycle.abort();
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.cell.update({ state: 'stopped', publicUrl: null });
  }

  probe(): Promise<number> {
    if (!this.running) return Promise.reject(new Error('manual tunnel: cannot probe, the tunnel is stopped'));
    const signal = this.lifecycle.signal;
    if (this.inFlight?.signal === signal) return this.inFlight.promise;
    const p = probeHealthz(this.fetchFn, this.publicUrl, this.probeTimeoutMs, signal)
      .then(
        (ms) => {
          if (this.running && !signal.aborted) {
            this.cell.update({ state: 'online', lastProbeMs: ms, lastProbeAt: Date.now(), lastError: null });
          }
          return ms;
        },
        (e: unknown) => {
          const message = errorMessage(e);
          if (this.running && !signal.aborted) {
            this.cell.update({ state: 'degraded', lastProbeMs: null, lastProbeAt: Date.now(), lastError: message });
            this.logger.warn({ tunnel: 'manual', publicUrl: this.publicUrl, err: message }, 'public URL self-probe failed');
          }
          throw e;
        },
      )
      .finally(() => {
        if (this.inFlight?.promise === p) this.inFlight = null;
      });
    this.inFlight = { signal, promise: p };
    return p;
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.running) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.probe()
        .catch(() => {
          /* recorded in status */
        })
        .finally(() => this.schedule());
    }, this.probeIntervalMs);
  }
}
