/**
 * The localtunnel provider: exposes the webhook listener (only it: the client connects to
 * 127.0.0.1:<localPort>) at the public URL a localtunnel server hands out, keeps it up and checks
 * it from the outside.
 *
 * The socket side is the real `localtunnel` client (its Tunnel / TunnelCluster classes). Two of
 * its behaviours are wrapped (localtunnel-connection.ts):
 *  - its start (`GET <host>/?new` or `/<subdomain>`) retries once a second, forever and without a
 *    way to cancel it, while the server is unreachable. We replace only that registration step
 *    (`_init`) with one abortable request bounded by `startTimeoutMs`; retrying is ours (backoff).
 *  - an `error` event without a listener crashes the process: every client gets a listener for
 *    its whole life, including after it was closed.
 * The client never says by itself that it is down: when the server goes away its sockets close,
 * it reopens them, and the refused connection comes back as an `error` event. We also watch its
 * sockets: none open for `socketGraceMs` counts as down.
 *
 * This file is the supervision: states stopped -> starting -> online | degraded (probe failing,
 * client up) | offline (client down, reconnecting with exponential backoff + jitter) -> ... ->
 * stopped, and the periodic self-probe that tells online from degraded.
 */
import type { Tunnel, TunnelStatus } from '../core/ports.js';
import { errorMessage, probeHealthz, StatusCell, type StatusListener } from './common.js';
import { loadClientClass, RegistrationRefusedError, registerTunnel, type RegistrationBody } from './localtunnel-client.js';
import { disposeConnection, openConnection, type Connection, type ConnectionAttempt, type OpenConnectionOptions } from './localtunnel-connection.js';
import { resolveLocaltunnelOptions, type LocaltunnelTunnelOptions, type ResolvedLocaltunnelOptions } from './localtunnel-options.js';
import { TunnelPeerSet } from './tunnel-peers.js';

/** A connection that stayed up this long resets the backoff. */
const STABLE_AFTER_MS = 30_000;

export function createLocaltunnelTunnel(opts: LocaltunnelTunnelOptions): Tunnel {
  return new LocaltunnelTunnel(opts);
}

class LocaltunnelTunnel implements Tunnel {
  private readonly cell: StatusCell;
  private readonly o: ResolvedLocaltunnelOptions;
  readonly peers = new TunnelPeerSet();

  private running = false;
  /** Aborted by stop(): in-flight probes and registrations. */
  private lifecycle = new AbortController();
  private conn: Connection | null = null;
  private pending: ConnectionAttempt | null = null;
  private startPromise: Promise<void> | null = null;
  private reconnectTimer: NodeJS.Timeout | null = null;
  private probeTimer: NodeJS.Timeout | null = null;
  /** While the server gave another id than our subdomain: the next try to get ours back. */
  private reclaimTimer: NodeJS.Timeout | null = null;
  private inFlightProbe: { conn: Connection; promise: Promise<number> } | null = null;
  private reconnects = 0;
  private probeFailures = 0;
  /** The id to ask for again on reconnect when no subdomain is configured. */
  private lastId: string | null = null;

  constructor(opts: LocaltunnelTunnelOptions) {
    this.o = resolveLocaltunnelOptions(opts);
    this.cell = new StatusCell('localtunnel', this.o.logger);
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
    this.clearTimer('reclaimTimer');
    this.pending?.cancel(new Error('localtunnel: stopped before the tunnel came up'));
    this.pending = null;
    const conn = this.conn;
    this.conn = null;
    if (conn) this.dispose(conn);
    this.cell.update({ state: 'stopped', publicUrl: null, subdomainRefused: null });
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
        this.o.logger.warn({ tunnel: 'localtunnel', host: this.o.host, err: message }, 'tunnel connection attempt failed');
        this.scheduleReconnect();
      }
      throw e instanceof Error ? e : new Error(message);
    }
    if (!this.running) {
      this.dispose(conn);
      throw new Error('localtunnel: stopped before the tunnel came up');
    }
    this.conn = conn;
    this.peers.pool = conn.maxConn;
    this.probeFailures = 0;
    if (this.refusedFor(conn)) {
      this.o.logger.warn(
        { tunnel: 'localtunnel', requested: this.o.subdomain, got: conn.id, publicUrl: conn.url },
        'the tunnel server did not grant our subdomain: the webhook URL changed; asking for ours again',
      );
      this.scheduleReclaim();
    }
    this.lastId = conn.id;
    this.o.logger.info({ tunnel: 'localtunnel', publicUrl: conn.url, id: conn.id }, 'tunnel connected');
    // First probe decides online vs degraded; a failing first probe still counts as started.
    await this.probeConnection(conn).catch(() => {});
    if (this.conn === conn) this.scheduleProbe(conn);
  }

  /** Our configured subdomain when `conn` has another id (null when granted or none configured). */
  private refusedFor(conn: Connection): string | null {
    return this.o.subdomain && conn.id !== this.o.subdomain ? this.o.subdomain : null;
  }

  /**
   * While connected under another id, asks for our subdomain again every reclaimIntervalMs with a
   * second client; when granted, that client becomes the connection and the other one is closed.
   */
  private scheduleReclaim(): void {
    if (!this.running || this.reclaimTimer || this.o.reclaimIntervalMs <= 0) return;
    this.reclaimTimer = setTimeout(() => {
      this.reclaimTimer = null;
      void this.reclaim().catch((e: unknown) => this.o.logger.error({ err: errorMessage(e) }, 'asking for our subdomain again threw'));
    }, this.o.reclaimIntervalMs);
    this.reclaimTimer.unref();
  }

  private async reclaim(): Promise<void> {
    const held = this.conn;
    if (!this.running || !held || !this.refusedFor(held)) return;
    const candidate = await openConnection(this.connectionOptions(this.o.subdomain ?? undefined)).promise.catch((e: unknown) => {
      this.o.logger.debug({ tunnel: 'localtunnel', err: errorMessage(e) }, 'asking for our subdomain again failed');
      return null;
    });
    const stillHeld = this.running && this.conn === held;
    if (!candidate || this.refusedFor(candidate) || !stillHeld) {
      if (candidate) this.dispose(candidate);
      // A connection lost meanwhile reconnects asking for our subdomain, and schedules this again if refused.
      if (stillHeld) this.scheduleReclaim();
      return;
    }
    this.conn = candidate;
    this.peers.pool = candidate.maxConn;
    this.dispose(held);
    this.lastId = candidate.id;
    this.o.logger.info({ tunnel: 'localtunnel', publicUrl: candidate.url, id: candidate.id }, 'got our subdomain back: the webhook URL is the saved one again');
    await this.probeConnection(candidate).catch(() => {});
    if (this.conn === candidate) this.scheduleProbe(candidate);
  }

  private scheduleReconnect(): void {
    if (!this.running || this.reconnectTimer) return;
    const { initialMs, maxMs } = this.o.backoff;
    const base = Math.min(maxMs, initialMs * 2 ** Math.min(this.reconnects, 30));
    const delay = Math.round(base / 2 + (Math.random() * base) / 2);
    this.reconnects += 1;
    this.o.logger.info({ tunnel: 'localtunnel', delayMs: delay, attempt: this.reconnects }, 'tunnel reconnecting');
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.running) return;
      this.attempt().catch(() => {
        /* already recorded in status and scheduled again */
      });
    }, delay);
  }

  /** Opens a connection (cancelled by stop() while pending), asking for our subdomain or last id. */
  private async connect(): Promise<Connection> {
    const attempt = openConnection(this.connectionOptions(this.o.subdomain ?? this.lastId ?? undefined));
    this.pending = attempt;
    try {
      return await attempt.promise;
    } finally {
      if (this.pending === attempt) this.pending = null;
    }
  }

  private connectionOptions(subdomain: string | undefined): OpenConnectionOptions {
    return {
      host: this.o.host,
      localPort: this.o.localPort,
      subdomain,
      startTimeoutMs: this.o.startTimeoutMs,
      socketGraceMs: this.o.socketGraceMs,
      signal: this.lifecycle.signal,
      register: (sub, signal) => this.register(sub, signal),
      isCurrent: (conn) => conn === this.conn,
      lost: (conn, reason) => this.connectionLost(conn, reason),
      peers: this.peers,
      logger: this.o.logger,
    };
  }

  private async register(subdomain: string | undefined, signal: AbortSignal): Promise<RegistrationBody> {
    try {
      return await registerTunnel(this.o.fetch, this.o.host, subdomain, signal);
    } catch (e) {
      if (e instanceof RegistrationRefusedError && subdomain && !this.o.subdomain && e.status >= 400 && e.status < 500) {
        // The id we asked for again is not acceptable any more: take a new one next time.
        this.lastId = null;
      }
      throw e;
    }
  }

  /** The connected client is down: close it, go offline, reconnect with backoff. */
  private connectionLost(conn: Connection, reason: string): void {
    if (conn !== this.conn || !this.running) return;
    this.conn = null;
    this.dispose(conn);
    this.clearTimer('probeTimer');
    if (Date.now() - conn.connectedAt >= STABLE_AFTER_MS) this.reconnects = 0;
    this.cell.update({ state: 'offline', lastError: reason });
    this.o.logger.warn({ tunnel: 'localtunnel', publicUrl: conn.url, err: reason }, 'tunnel connection lost');
    this.scheduleReconnect();
  }

  private dispose(conn: Connection): void {
    if (conn === this.conn || this.conn === null) this.peers.pool = 0;
    disposeConnection(conn, this.o.logger);
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
      const ms = await probeHealthz(this.o.fetch, conn.url, this.o.probeTimeoutMs, this.lifecycle.signal);
      if (conn === this.conn && this.running) {
        this.probeFailures = 0;
        this.cell.update({ state: 'online', publicUrl: conn.url, lastProbeMs: ms, lastProbeAt: Date.now(), lastError: null, subdomainRefused: this.refusedFor(conn) });
      }
      return ms;
    } catch (e) {
      const message = errorMessage(e);
      if (conn === this.conn && this.running) {
        this.probeFailures += 1;
        this.cell.update({ state: 'degraded', publicUrl: conn.url, lastProbeMs: null, lastProbeAt: Date.now(), lastError: message, subdomainRefused: this.refusedFor(conn) });
        this.o.logger.warn({ tunnel: 'localtunnel', err: message, failures: this.probeFailures }, 'tunnel self-probe failed');
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
        .catch((e: unknown) => this.o.logger.error({ err: errorMessage(e) }, 'tunnel probe cycle failed'))
        .finally(() => this.scheduleProbe(conn));
    }, this.o.probeIntervalMs);
  }

  private async periodicProbe(conn: Connection): Promise<void> {
    if (conn !== this.conn || !this.running) return;
    const ok = await this.probeConnection(conn).then(
      () => true,
      () => false,
    );
    if (ok || conn !== this.conn || !this.running) return;
    const every = this.o.reconnectAfterProbeFailures;
    if (every <= 0 || this.probeFailures === 0 || this.probeFailures % every !== 0) return;
    // Public probe keeps failing: is it the tunnel or the webhook listener?
    const local = `http://127.0.0.1:${this.o.localPort}`;
    const localOk = await probeHealthz(this.o.fetch, local, this.o.probeTimeoutMs, this.lifecycle.signal).then(
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

  private clearTimer(name: 'reconnectTimer' | 'probeTimer' | 'reclaimTimer'): void {
    const t = this[name];
    if (t) clearTimeout(t);
    this[name] = null;
  }
}
