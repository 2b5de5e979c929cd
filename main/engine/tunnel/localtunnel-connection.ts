/**
 * One connection to a localtunnel server: a `localtunnel` client registered with the server and
 * its pool of tunnel sockets. Opening it is bounded by a timeout and cancellable; once open, it
 * is watched until it is lost (client error or close, or no socket open for a grace period) or
 * disposed. Reconnecting is the caller's business.
 */
import type { Socket } from 'node:net';
import { errorMessage, trimTrailingSlashes, type TunnelLogger } from './common.js';
import { loadClientClass, type LtClient, type RegistrationBody } from './localtunnel-client.js';

export interface Connection {
  client: LtClient;
  sockets: Set<Socket>;
  id: string;
  url: string;
  connectedAt: number;
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
  logger: TunnelLogger;
}

/** Registers with the server and waits for the first tunnel socket, within startTimeoutMs. */
export function openConnection(o: OpenConnectionOptions): ConnectionAttempt {
  const Client = loadClientClass();
  const { subdomain } = o;
  const client = new Client({ port: o.localPort, host: o.host, local_host: '127.0.0.1', ...(subdomain ? { subdomain } : {}) });
  const conn: Connection = { client, sockets: new Set(), id: '', url: '', connectedAt: 0, graceTimer: null, disposed: false };
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
          onSocketClosed(conn, o);
        });
        finish(null);
      });
    });
  });
  return { promise, cancel: (reason) => cancel(reason) };
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
  try {
    conn.client.close();
  } catch (e) {
    logger.debug({ err: errorMessage(e) }, 'localtunnel client close threw');
  }
  for (const socket of conn.sockets) socket.destroy();
  conn.sockets.clear();
}
