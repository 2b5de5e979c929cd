/**
 * The localtunnel provider's options: what a caller may set, the defaults, and the checked,
 * complete form the provider runs with.
 */
import { silentLogger, trimTrailingSlashes, type FetchFn, type TunnelLogger } from './common.js';

export interface BackoffOptions {
  /**
   * First reconnect delay, ms (default 2000: jittered to 1-2 s, so that after we drop a broken
   * connection ourselves the server (1 s grace) has usually released our id and grants it again).
   */
  initialMs: number;
  /** Delays double up to this, ms (default 60000). Each delay is jittered to 50-100 % of its value. */
  maxMs: number;
}

export interface LocaltunnelTunnelOptions {
  /** The webhook listener's port on 127.0.0.1. */
  localPort: number;
  /** The localtunnel server (default https://localtunnel.me). */
  host?: string;
  /**
   * Subdomain to ask for, so the URL stays the same across restarts. Without it the first id the
   * server hands out is asked for again on every reconnect.
   */
  subdomain?: string;
  /** One connection attempt (register + first tunnel socket) may take this long, ms (default 15000). */
  startTimeoutMs?: number;
  /** Self-probe period while connected, ms (default 30000). */
  probeIntervalMs?: number;
  /** One probe may take this long, ms (default min(10000, max(1000, probeIntervalMs))). */
  probeTimeoutMs?: number;
  /** Reconnect delays (default { initialMs: 2000, maxMs: 60000 }). */
  backoff?: BackoffOptions;
  /**
   * After this many consecutive failed probes, check the webhook listener directly on
   * 127.0.0.1: if it answers, the tunnel is broken and is reconnected; if not, the listener is
   * the problem (said in lastError) and the tunnel is left alone. 0 disables. Default 3.
   */
  reconnectAfterProbeFailures?: number;
  /** No tunnel socket open for this long counts as the client being down, ms (default 10000). */
  socketGraceMs?: number;
  /** While the server gave another id than `subdomain`, ask for it again this often, ms (default 60000; 0: never). */
  reclaimIntervalMs?: number;
  logger?: TunnelLogger;
  fetch?: FetchFn;
}

export const LOCALTUNNEL_DEFAULTS = {
  host: 'https://localtunnel.me',
  startTimeoutMs: 15_000,
  probeIntervalMs: 30_000,
  backoff: { initialMs: 2_000, maxMs: 60_000 },
  reconnectAfterProbeFailures: 3,
  socketGraceMs: 10_000,
  reclaimIntervalMs: 60_000,
} as const;

/** The options with every default applied and the host normalized (no trailing slash). */
export interface ResolvedLocaltunnelOptions {
  localPort: number;
  host: string;
  /** The subdomain asked for by configuration, null when none. */
  subdomain: string | null;
  startTimeoutMs: number;
  probeIntervalMs: number;
  probeTimeoutMs: number;
  backoff: BackoffOptions;
  reconnectAfterProbeFailures: number;
  socketGraceMs: number;
  reclaimIntervalMs: number;
  logger: TunnelLogger;
  fetch: FetchFn;
}

/** Applies the defaults; throws a clear Error for a bad port or host. */
export function resolveLocaltunnelOptions(opts: LocaltunnelTunnelOptions): ResolvedLocaltunnelOptions {
  if (!Number.isInteger(opts.localPort) || opts.localPort <= 0 || opts.localPort > 65535) {
    throw new Error(`localtunnel: localPort must be the webhook listener's port (1-65535), got ${String(opts.localPort)}`);
  }
  const host = trimTrailingSlashes(opts.host ?? LOCALTUNNEL_DEFAULTS.host);
  let parsed: URL;
  try {
    parsed = new URL(host);
  } catch {
    throw new Error(`localtunnel: host must be a URL like https://localtunnel.me, got "${host}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`localtunnel: host must be an http(s) URL, got "${host}"`);
  }
  const probeIntervalMs = opts.probeIntervalMs ?? LOCALTUNNEL_DEFAULTS.probeIntervalMs;
  return {
    localPort: opts.localPort,
    host,
    subdomain: opts.subdomain ?? null,
    startTimeoutMs: opts.startTimeoutMs ?? LOCALTUNNEL_DEFAULTS.startTimeoutMs,
    probeIntervalMs,
    probeTimeoutMs: opts.probeTimeoutMs ?? Math.min(10_000, Math.max(1_000, probeIntervalMs)),
    backoff: opts.backoff ?? LOCALTUNNEL_DEFAULTS.backoff,
    reconnectAfterProbeFailures: opts.reconnectAfterProbeFailures ?? LOCALTUNNEL_DEFAULTS.reconnectAfterProbeFailures,
    socketGraceMs: opts.socketGraceMs ?? LOCALTUNNEL_DEFAULTS.socketGraceMs,
    reclaimIntervalMs: opts.reclaimIntervalMs ?? LOCALTUNNEL_DEFAULTS.reclaimIntervalMs,
    logger: opts.logger ?? silentLogger,
    fetch: opts.fetch ?? globalThis.fetch,
  };
}
