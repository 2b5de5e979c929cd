/**
 * One connection to a localtunnel server: a `localtunnel` client registered with the server and
 * its pool of tunnel sockets. Opening it is bounded by a timeout and cancellable; once open, it
 * is watched until it is lost (client error or close, or no socket open for a grace period) or
 * disposed. Reconnecting is the caller's business.
 */
import type { EventEmitter } from 'node:events';
import { Socket } from 'node:net';
import { errorMessage, trimTrailingSlashes, type TunnelLogger } from './common.js';
import { loadClientClass, type LtClient, type RegistrationBody } from './localtunnel-client.js';
import type { TunnelPeerSet } from './tunnel-peers.js';

/** A socket close is followed by a pool check after this long (the client's own reopen comes first), ms. */
const REFILL_DELAY_MS = 100;

export interface Connection {
  client: LtClient;
  sockets: Set<Socket>;
  id: string;
  url: string;
  connectedAt: number;
  /** Sockets the server lets us keep (max_conn_count). */
  maxConn: number;
  /** When each socket being opened was asked for (dropped once it opens, or after startTimeoutMs). */
  opening: number[];
  refillTimer: NodeJS.Timeout | null;
  graceTimer: NodeJS.Timeout | null;
  /** Set when we close it, so its own 'close' event is not taken for a failure. */
  disposed: boolean;
}

export interface ConnectionAttempt {
  /** Resolves once registered and the first tunnel socket is open. */
  promise: Promise<Connection>;
  /** Fails the attempt with `reason` (nothing once it has settled). */
  cancel(reason: Error): void;
}

export interface OpenConnectionOptions {
  host: string;
  localPort: number;
  subdomain: string | undefined;
  /** Registration plus the first tunnel socket may take this long, ms. */
  startTimeoutMs: number;
  /** No tunnel socket open for this long counts as the connection being lost, ms. */
  socketGraceMs: number;
  /** Aborted when the tunnel stops: cancels the registration request. */
  signal: AbortSignal;
  /** The registration request (replaces the client's own, which retries forever). */
  register(subdomain: string | undefined, signal: AbortSignal): Promise<RegistrationBody>;
  /** Only the caller's current connection is watched for its sockets running out. */
  isCurrent(conn: Connection): boolean;
  /** The connection, after it opened, is down (said once per cause; the caller disposes it). */
  lost(conn: Connection, reason: string): void;
  /** Where the client's local connections to the webhook listener are recorded. */
  peers: TunnelPeerSet;
  logger: TunnelLogger;
}

/** Registers with the server and waits for the first tunnel socket, within startTimeoutMs. */
export function openConnection(o: OpenConnectionOptions): ConnectionAttempt {
  const Client = loadClientClass();
  const { subdomain } = o;
  const client = new Client({ port: o.localPort, host: o.host, local_host: '127.0.0.1', ...(subdomain ? { subdomain } : {}) });
  const conn: Connection = {
    client,
    sockets: new Set(),
    id: '',
    url: '',
    connectedAt: 0,
    maxConn: 1,
    opening: [],
    refillTimer: null,
    graceTimer: null,
    disposed: false,
  };
  const abort = new AbortController();
  const onStop = (): void => abort.abort();
  o.signal.addEventListener('abort', onStop, { once: true });
  let cancel: (reason: Error) => void = () => {};

  const promise = new Promise<Connection>((resolve, reject) => {
    let settled = false;
    let phase: 'register' | 'sockets' = 'register';
    const finish = (err: Error | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      o.signal.removeEventListener('abort', onStop);
      if (err) {
        abort.abort();
        disposeConnection(conn, o.logger);
        reject(err);
      } else {
        conn.connectedAt = Date.now();
        resolve(conn);
      }
    };
    cancel = (reason) => finish(reason);
    const timer = setTimeout(() => {
      finish(
        new Error(
          phase === 'register'
            ? `localtunnel: no answer from the tunnel server ${o.host} within ${o.startTimeoutMs} ms`
            : `localtunnel: ${o.host} gave ${conn.url} but no tunnel connection to it opened within ${o.startTimeoutMs} ms`,
        ),
      );
    }, o.startTimeoutMs);

    // Always listen: an unhandled 'error' would crash the process. Before the first socket an
    // error fails this attempt; afterwards it means the connection is lost.
    client.on('error', (err: unknown) => {
      const message = `localtunnel: ${errorMessage(err)}`;
      if (!settled) finish(new Error(message));
      else o.lost(conn, message);
    });
    client.on('close', () => {
      if (!conn.disposed) o.lost(conn, 'localtunnel: the tunnel client closed');
    });

    // Replace the client's retry-forever registration with one abortable request.
    client._init = (cb) => {
      o.register(subdomain, abort.signal).then(
        (body) => {
          if (settled) return cb(new Error('cancelled'));
          const info = client._getInfo(body) as { max_conn?: unknown };
          if (typeof info.max_conn === 'number' && info.max_conn > 0) conn.maxConn = info.max_conn;
          cb(null, info);
        },
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
      // The client has just asked for all maxConn sockets; every later open goes through here.
      conn.opening = Array.from({ length: conn.maxConn }, () => Date.now());
      const openOne = (cluster as EventEmitter & { open(): void }).open.bind(cluster);
      (cluster as EventEmitter & { open(): void }).open = () => {
        conn.opening.push(Date.now());
        openOne();
      };
      cluster.on('open', (socket: Socket) => {
        conn.opening.shift();
        if (conn.disposed) {
          // Opened after we closed the client (it was being opened then): nothing else would close it.
          socket.destroy();
          return;
        }
        // The client pipes the local connection into this socket: that is how we learn its port.
        socket.on('pipe', (src: unknown) => {
          if (src instanceof Socket) o.peers.track(src);
        });
        conn.sockets.add(socket);
        if (conn.graceTimer) {
          clearTimeout(conn.graceTimer);
          conn.graceTimer = null;
        }
        socket.once('close', () => {
          conn.sockets.delete(socket);
          onSocketClosed(conn, o);
          scheduleRefill(conn, o, openOne);
        });
        finish(null);
      });
    });
  });
  return { promise, cancel: (reason) => cancel(reason) };
}

/**
 * Keeps the pool at the server's max_conn_count. The client reopens a socket whose tunnel
 * connection closed, except when its local connection failed first (a reset from the webhook
 * listener, as when a slow request is cut off): then it ends the socket without a replacement and
 * the pool shrinks for good, one slow client at a time. Whatever is missing is opened here.
 */
function scheduleRefill(conn: Connection, o: OpenConnectionOptions, openOne: () => void): void {
  if (conn.refillTimer || conn.disposed) return;
  conn.refillTimer = setTimeout(() => {
    conn.refillTimer = null;
    if (conn.disposed || !o.isCurrent(conn)) return;
    const stale = Date.now() - o.startTimeoutMs;
    conn.opening = conn.opening.filter((at) => at > stale);
    const missing = conn.maxConn - conn.sockets.size - conn.opening.length;
    if (missing <= 0) return;
    o.logger.debug({ tunnel: 'localtunnel', missing, open: conn.sockets.size }, 'refilling the tunnel socket pool');
    for (let i = 0; i < missing; i++) {
      conn.opening.push(Date.now());
      openOne();
    }
  }, REFILL_DELAY_MS);
  conn.refillTimer.unref();
}

/** The last socket closed: lost unless one opens again within socketGraceMs. */
function onSocketClosed(conn: Connection, o: OpenConnectionOptions): void {
  if (!o.isCurrent(conn) || conn.disposed || conn.sockets.size > 0 || conn.graceTimer) return;
  conn.graceTimer = setTimeout(() => {
    conn.graceTimer = null;
    if (conn.sockets.size === 0) {
      o.lost(conn, `localtunnel: no tunnel connection open for ${o.socketGraceMs} ms`);
    }
  }, o.socketGraceMs);
}

/** Closes the client and its sockets; its later events are ignored. Idempotent. */
export function disposeConnection(conn: Connection, logger: TunnelLogger): void {
  if (conn.disposed) return;
  conn.disposed = true;
  if (conn.graceTimer) {
    clearTimeout(conn.graceTimer);
    conn.graceTimer = null;
  }
  if (conn.refillTimer) {
    clearTimeout(conn.refillTimer);
    conn.refillTimer = null;
  }
  try {
    conn.client.close();
  } catch (e) {
    logger.debug({ err: errorMessage(e) }, 'localtunnel client close threw');
  }
  for (const socket of conn.sockets) socket.destroy();
  conn.sockets.clear();
}
