/**
 * The localtunnel provider: exposes the webhook listener (only it: the client connects to
 * 127.0.0.1:<localPort>) at the public URL a localtunnel server hands out, keeps it up and checks
 * it from the outside.
 *
 * The socket side is the real `localtunnel` client (its Tunnel / TunnelCluster classes). Two of
 * its behaviours are wrapped:
 *  - its start (`GET <host>/?new` or `/<subdomain>`) retries once a second, forever and without a
 *    way to cancel it, while the server is unreachable. We replace only that registration step
 *    (`_init`) with one abortable request bounded by `startTimeoutMs`; retrying is ours (backoff).
 *  - an `error` event without a listener crashes the process: every client gets a listener for
 *    its whole life, including after it was closed.
 * The client never says by itself that it is down: when the server goes away its sockets close,
 * it reopens them, and the refused connection comes back as an `error` event. We also watch its
 * sockets: none open for `socketGraceMs` counts as down.
 *
 * States: stopped -> starting -> online | degraded (probe failing, client up) | offline (client
 * down, reconnecting with exponential backoff + jitter) -> ... -> stopped.
 */
import type { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import type { Socket } from 'node:net';
import type { Tunnel, TunnelStatus } from '../ports.js';
import {
  errorMessage,
  probeHealthz,
  silentLogger,
  StatusCell,
  trimTrailingSlashes,
  type FetchFn,
  type StatusListener,
  type TunnelLogger,
} from './common.js';

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
} as const;

/** A connection that stayed up this long resets the backoff. */
const STABLE_AFTER_MS = 30_000;

// --- the parts of the localtunnel client (v2.0.x, lib/Tunnel.js) we rely on ----------------------

interface LtClientOptions {
  port: number;
  host: string;
  subdomain?: string;
  local_host: string;
}

interface LtClient extends EventEmitter {
  url?: string;
  clientId?: string;
  tunnelCluster?: EventEmitter;
  /** Registration: callback with the connection info built by `_getInfo(body)`. */
  _init(cb: (err: Error | null, info?: unknown) => void): void;
  _getInfo(body: unknown): unknown;
  open(cb: (err?: Error) => void): void;
  close(): void;
}

type LtClientClass = new (opts: LtClientOptions) => LtClient;

let clientClass: LtClientClass | null = null;

function loadClientClass(): LtClientClass {
  if (clientClass) return clientClass;
  const requireCjs = createRequire(import.meta.url);
  const cls = requireCjs('localtunnel/lib/Tunnel.js') as unknown;
  const proto = typeof cls === 'function' ? (cls.prototype as Record<string, unknown>) : null;
  if (!proto || typeof proto['_init'] !== 'function' || typeof proto['_getInfo'] !== 'function' || typeof proto['open'] !== 'function') {
    throw new Error('unsupported localtunnel client version: lib/Tunnel.js has no _init/_getInfo/open (expected localtunnel 2.0.x)');
  }
  clientClass = cls as LtClientClass;
  return clientClass;
}

// --- the tunnel ------------------------------------------------------------------------------------

interface Connection {
  client: LtClient;
  sockets: Set<Socket>;
  id: string;
  url: string;
  connectedAt: number;
  graceTimer: NodeJS.Timeout | null;
  /** Set when we close it, so its own 'close' event is not taken for a failure. */
  disposed: boolean;
}

interface PendingAttempt {
  cancel(reason: Error): void;
}

interface RegistrationBody {
  id: string;
  port: number;
  url: string;
}

export function createLocaltunnelTunnel(opts: LocaltunnelTunnelOptions): Tunnel {
  return new LocaltunnelTunnel(opts);
}

class LocaltunnelTunnel implements Tunnel {
  private readonly cell: StatusCell;
  private readonly logger: TunnelLogger;
  private readonly fetchFn: FetchFn;
  private readonly host: string;
  private readonly localPort: number;
  private readonly startTimeoutMs: number;
  private readonly probeIntervalMs: number;
  private readonly probeTimeoutMs: number;
  private readonly backoff: BackoffOptions;
  private readonly reconnectAfter: number;
  private readonly socketGraceMs: number;
  private readonly requestedSubdomain: string | null;

  private running = false;
  /** Aborted by stop(): in-flight probes and registrations. */
  private lifecycle = new AbortController();
  private conn: Connection | null = null;
  private pending: PendingAttempt | null = null;
  private startPromise: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  private inFlightProbe: { conn: Connection; promise: Promise<number> } | null = null;
  private reconnects = 0;
  private probeFailures = 0;
  /** The id to ask for again on reconnect when no subdomain is configured. */
  private lastId: string | null = null;

  constructor(opts: LocaltunnelTunnelOptions) {
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
    this.host = host;
    this.localPort = opts.localPort;
    this.logger = opts.logger ?? silentLogger;
    this.fetchFn = opts.fetch ?? globalThis.fetch;
    this.startTimeoutMs = opts.startTimeoutMs ?? LOCALTUNNEL_DEFAULTS.startTimeoutMs;
    this.probeIntervalMs = opts.probeIntervalMs ?? LOCALTUNNEL_DEFAULTS.probeIntervalMs;
    this.probeTimeoutMs = opts.probeTimeoutMs ?? Math.min(10_000, Math.max(1_000, this.probeIntervalMs));
    this.backoff = opts.backoff ?? LOCALTUNNEL_DEFAULTS.backoff;
    this.reconnectAfter = opts.reconnectAfterProbeFailures ?? LOCALTUNNEL_DEFAULTS.reconnectAfterProbeFailures;
    this.socketGraceMs = opts.socketGraceMs ?? LOCALTUNNEL_DEFAULTS.socketGraceMs;
    this.requestedSubdomain = opts.subdomain ?? null;
    this.cell = new StatusCell('localtunnel', this.logger);
    loadClientClass();
  }

  status(): TunnelStatus {
    return this.cell.get();
  }

  onChange(listener: StatusListener): () => void {
    return this.cell.subscribe(listener);
  }

  /**
   * Connects and resolves once the tunnel is up and has been probed once (state online, or
   * degraded when the probe fails). Rejects when that first attempt fails (server unreachable,
   * refused, no answer within startTimeoutMs) — but the tunnel keeps trying in the background
   * (state offline) until stop(), and reports success through onChange.
   */
  start(): Promise<void> {
    // Already running: share the first attempt while it is pending, else nothing to do.
    if (this.running) return this.startPromise ?? Promise.resolve();
    this.running = true;
    this.lifecycle = new AbortController();
    this.reconnects = 0;
    this.probeFailures = 0;
    this.cell.update({ state: 'starting', lastError: null });
    const first = this.attempt().finally(() => {
      if (this.startPromise === first) this.startPromise = null;
    });
    this.startPromise = first;
    return first;
  }

  async stop(): Promise<void> {
    if (!this.running && this.cell.state === 'stopped') return;
    this.running = false;
    this.startPromise = null;
    this.lifecycle.abort();
    this.clearTimer('reconnectTimer');
    this.clearTimer('probeTimer');
    this.pending?.cancel(new Error('localtunnel: stopped before the tunnel came up'));
    this.pending = null;
    const conn = this.conn;
    this.conn = null;
    if (conn) this.dispose(conn);
    this.cell.update({ state: 'stopped', publicUrl: null });
  }

  /** Probes now through the public URL; rejects when there is no connected tunnel or it fails. */
  probe(): Promise<number> {
    const conn = this.conn;
    if (!this.running || !conn) {
      return Promise.reject(new Error(`localtunnel: cannot probe, the tunnel is ${this.cell.state}`));
    }
    return this.probeConnection(conn);
  }

  // --- connecting ---------------------------------------------------------------------------------

  /** One connection attempt; on failure goes offline and schedules the next one, then rethrows. */
  private async attempt(): Promise<void> {
    let conn: Connection;
    try {
      conn = await this.connect();
    } catch (e) {
      const message = errorMessage(e);
      if (this.running) {
        this.cell.update({ state: 'offline', lastError: message });
        this.logger.warn({ tunnel: 'localtunnel', host: this.host, err: message }, 'tunnel connection attempt failed');
        this.scheduleReconnect();
      }
      throw e instanceof Error ? e : new Error(message);
    }
    if (!this.running) {
      this.dispose(conn);
      throw new Error('localtunnel: stopped before the tunnel came up');
    }
    this.conn = conn;
    this.probeFailures = 0;
    if (this.requestedSubdomain && conn.id !== this.requestedSubdomain) {
      this.logger.warn(
        { tunnel: 'localtunnel', requested: this.requestedSubdomain, got: conn.id },
        'the tunnel server did not grant the requested subdomain',
      );
    }
    this.lastId = conn.id;
    this.logger.info({ tunnel: 'localtunnel', publicUrl: conn.url, id: conn.id }, 'tunnel connected');
    // First probe decides online vs degraded; a failing first probe still counts as started.
    await this.probeConnection(conn).catch(() => {});
    if (this.conn === conn) this.scheduleProbe(conn);
  }

  private scheduleReconnect(): void {
    if (!this.running || this.reconnectTimer) return;
    const base = Math.min(this.backoff.maxMs, this.backoff.initialMs * 2 ** Math.min(this.reconnects, 30));
    const delay = Math.round(base / 2 + (Math.random() * base) / 2);
    this.reconnects += 1;
    this.logger.info({ tunnel: 'localtunnel', delayMs: delay, attempt: this.reconnects }, 'tunnel reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.running) return;
      this.attempt().catch(() => {
        /* already recorded in status and scheduled again */
      });
    }, delay);
  }

  /** Register with the server and wait for the first tunnel socket, within startTimeoutMs. */
  private connect(): Promise<Connection> {
    const Client = loadClientClass();
    const subdomain = this.requestedSubdomain ?? this.lastId ?? undefined;
    const client = new Client({ port: this.localPort, host: this.host, local_host: '127.0.0.1', ...(subdomain ? { subdomain } : {}) });
    const conn: Connection = { client, sockets: new Set(), id: '', url: '', connectedAt: 0, graceTimer: null, disposed: false };
    const abort = new AbortController();
    const onStop = (): void => abort.abort();
    this.lifecycle.signal.addEventListener('abort', onStop, { once: true });

    return new Promise<Connection>((resolve, reject) => {
      let settled = false;
      let phase: 'register' | 'sockets' = 'register';
      const finish = (err: Error | null): void => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        this.lifecycle.signal.removeEventListener('abort', onStop);
        if (this.pending === pending) this.pending = null;
        if (err) {
          abort.abort();
          this.dispose(conn);
          reject(err);
        } else {
          conn.connectedAt = Date.now();
          resolve(conn);
        }
      };
      const pending: PendingAttempt = { cancel: (reason) => finish(reason) };
      this.pending = pending;
      const timer = setTimeout(() => {
        finish(
          new Error(
            phase === 'register'
              ? `localtunnel: no answer from the tunnel server ${this.host} within ${this.startTimeoutMs} ms`
              : `localtunnel: ${this.host} gave ${conn.url} but no tunnel connection to it opened within ${this.startTimeoutMs} ms`,
          ),
        );
      }, this.startTimeoutMs);

      // Always listen: an unhandled 'error' would crash the process. Before the first socket an
      // error fails this attempt; afterwards it means the connection is lost.
      client.on('error', (err: unknown) => {
        const message = `localtunnel: ${errorMessage(err)}`;
        if (!settled) finish(new Error(message));
        else this.connectionLost(conn, message);
      });
      client.on('close', () => {
        if (!conn.disposed) this.connectionLost(conn, 'localtunnel: the tunnel client closed');
      });

      // Replace the client's retry-forever registration with one abortable request.
      client._init = (cb) => {
        this.register(subdomain, abort.signal).then(
          (body) => (settled ? cb(new Error('cancelled')) : cb(null, client._getInfo(body))),
          (err: unknown) => cb(err instanceof Error ? err : new Error(String(err))),
        );
      };

      client.open((err) => {
        if (err) {
          finish(err);
          return;
        }
        if (settled) return;
        phase = 'sockets';
        conn.id = client.clientId ?? '';
        conn.url = trimTrailingSlashes(client.url ?? '');
        const cluster = client.tunnelCluster;
        if (!cluster) {
          finish(new Error('localtunnel: the client did not create its tunnel sockets'));
          return;
        }
        cluster.on('open', (socket: Socket) => {
          if (conn.disposed) return;
          conn.sockets.add(socket);
          if (conn.graceTimer) {
            clearTimeout(conn.graceTimer);
            conn.graceTimer = null;
          }
          socket.once('close', () => {
            conn.sockets.delete(socket);
            this.onSocketClosed(conn);
          });
          finish(null);
        });
      });
    });
  }

  /** `GET <host>/?new` or `/<subdomain>`: the JSON `{id, port, max_conn_count, url, ip?}`. */
  private async register(subdomain: string | undefined, signal: AbortSignal): Promise<RegistrationBody> {
    const uri = `${this.host}/${subdomain ?? '?new'}`;
    let res: Response;
    try {
      res = await this.fetchFn(uri, { headers: { accept: 'application/json' }, signal });
    } catch (e) {
      throw new Error(`localtunnel: cannot reach the tunnel server ${this.host}: ${errorMessage(e)}`);
    }
    const text = await res.text();
    let body: unknown = null;
    try {
      body = JSON.parse(text);
    } catch {
      /* handled below */
    }
    if (res.status !== 200) {
      const message =
        body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string'
          ? (body as { message: string }).message
          : text.replace(/\s+/g, ' ').trim().slice(0, 160);
      if (subdomain && !this.requestedSubdomain && res.status >= 400 && res.status < 500) {
        // The id we asked for again is not acceptable any more: take a new one next time.
        this.lastId = null;
      }
      throw new Error(`localtunnel: the tunnel server ${this.host} refused the tunnel (HTTP ${res.status})${message ? `: ${message}` : ''}`);
    }
    const b = body as Partial<Record<keyof RegistrationBody, unknown>> | null;
    if (!b || typeof b !== 'object' || typeof b.id !== 'string' || typeof b.port !== 'number' || typeof b.url !== 'string') {
      throw new Error(`localtunnel: unexpected answer from the tunnel server ${uri}: ${text.slice(0, 160)}`);
    }
    return b as RegistrationBody;
  }

  private onSocketClosed(conn: Connection): void {
    if (conn !== this.conn || conn.disposed || conn.sockets.size > 0 || conn.graceTimer) return;
    conn.graceTimer = setTimeout(() => {
      conn.graceTimer = null;
      if (conn.sockets.size === 0) {
        this.connectionLost(conn, `localtunnel: no tunnel connection open for ${this.socketGraceMs} ms`);
      }
    }, this.socketGraceMs);
  }

  /** The connected client is down: close it, go offline, reconnect with backoff. */
  private connectionLost(conn: Connection, reason: string): void {
    if (conn !== this.conn || !this.running) return;
    this.conn = null;
    this.dispose(conn);
    this.clearTimer('probeTimer');
    if (Date.now() - conn.connectedAt >= STABLE_AFTER_MS) this.reconnects = 0;
    this.cell.update({ state: 'offline', lastError: reason });
    this.logger.warn({ tunnel: 'localtunnel', publicUrl: conn.url, err: reason }, 'tunnel connection lost');
    this.scheduleReconnect();
  }

  private dispose(conn: Connection): void {
    if (conn.disposed) return;
    conn.disposed = true;
    if (conn.graceTimer) {
      clearTimeout(conn.graceTimer);
      conn.graceTimer = null;
    }
    try {
      conn.client.close();
    } catch (e) {
      this.logger.debug({ err: errorMessage(e) }, 'localtunnel client close threw');
    }
    for (const socket of conn.sockets) socket.destroy();
    conn.sockets.clear();
  }

  // --- probing ------------------------------------------------------------------------------------

  private probeConnection(conn: Connection): Promise<number> {
    if (this.inFlightProbe?.conn === conn) return this.inFlightProbe.promise;
    const promise = this.runProbe(conn).finally(() => {
      if (this.inFlightProbe?.promise === promise) this.inFlightProbe = null;
    });
    this.inFlightProbe = { conn, promise };
    return promise;
  }

  private async runProbe(conn: Connection): Promise<number> {
    try {
      const ms = await probeHealthz(this.fetchFn, conn.url, this.probeTimeoutMs, this.lifecycle.signal);
      if (conn === this.conn && this.running) {
        this.probeFailures = 0;
        this.cell.update({ state: 'online', publicUrl: conn.url, lastProbeMs: ms, lastProbeAt: Date.now(), lastError: null });
      }
      return ms;
    } catch (e) {
      const message = errorMessage(e);
      if (conn === this.conn && this.running) {
        this.probeFailures += 1;
        this.cell.update({ state: 'degraded', publicUrl: conn.url, lastProbeMs: null, lastProbeAt: Date.now(), lastError: message });
        this.logger.warn({ tunnel: 'localtunnel', err: message, failures: this.probeFailures }, 'tunnel self-probe failed');
      }
      throw e;
    }
  }

  private scheduleProbe(conn: Connection): void {
    this.clearTimer('probeTimer');
    if (!this.running || conn !== this.conn) return;
    this.probeTimer = setTimeout(() => {
      this.probeTimer = null;
      void this.periodicProbe(conn)
        .catch((e: unknown) => this.logger.error({ err: errorMessage(e) }, 'tunnel probe cycle failed'))
        .finally(() => this.scheduleProbe(conn));
    }, this.probeIntervalMs);
  }

  private async periodicProbe(conn: Connection): Promise<void> {
    if (conn !== this.conn || !this.running) return;
    const ok = await this.probeConnection(conn).then(
      () => true,
      () => false,
    );
    if (ok || conn !== this.conn || !this.running) return;
    if (this.reconnectAfter <= 0 || this.probeFailures === 0 || this.probeFailures % this.reconnectAfter !== 0) return;
    // Public probe keeps failing: is it the tunnel or the webhook listener?
    const local = `http://127.0.0.1:${this.localPort}`;
    const localOk = await probeHealthz(this.fetchFn, local, this.probeTimeoutMs, this.lifecycle.signal).then(
      () => null,
      (e: unknown) => errorMessage(e),
    );
    if (conn !== this.conn || !this.running) return;
    const publicError = this.cell.get().lastError ?? 'probe failed';
    if (localOk === null) {
      this.connectionLost(
        conn,
        `localtunnel: ${this.probeFailures} probes through ${conn.url} failed while the webhook listener answers locally; reconnecting (${publicError})`,
      );
    } else {
      this.cell.update({ lastError: `${publicError}; the webhook listener does not answer locally either: ${localOk}` });
    }
  }

  private clearTimer(name: 'reconnectTimer' | 'probeTimer'): void {
    const t = this[name];
    if (t) clearTimeout(t);
    this[name] = null;
  }
}
