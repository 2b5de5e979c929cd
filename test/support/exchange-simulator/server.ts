/**
 * The node:http front: reachability switch, latency, fault injection, signature checks, routing,
 * Binance-style error answers and the request log.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { Authenticator } from './auth.js';
import { BinanceError } from './errors.js';
import { faultAnswer, type FaultRegistry } from './faults.js';
import { FUTURES_ALGO_ROUTES } from './futures-algo-routes.js';
import { FUTURES_ROUTES } from './futures-routes.js';
import type { RequestLog } from './request-log.js';
import { type RouteContext, ROUTES } from './routes.js';
import type { FaultSpec, RequestLogEntry } from './types.js';

export interface FrontDeps {
  auth: Authenticator;
  faults: FaultRegistry;
  log: RequestLog;
  /** Everything a route needs except the request's params. */
  context: Omit<RouteContext, 'params'>;
  latencyMs: () => number;
  reachable: () => boolean;
}

export interface Front {
  server: Server;
  /** Destroys held connections and every open socket. */
  destroyAll(): void;
}

interface Answer {
  status: number;
  body: string;
  contentType: string;
  headers: Record<string, string>;
  code?: number;
}

const MAX_BODY = 1 << 20;
/** Spot (/api, /sapi) and USDⓈ-M futures (/fapi) on one origin, as ccxt addresses them after pointCcxtAt. */
const ALL_ROUTES = { ...ROUTES, ...FUTURES_ROUTES, ...FUTURES_ALGO_ROUTES };
const ORDER_PATHS = new Set(['/api/v3/order', '/fapi/v1/order', '/fapi/v1/algoOrder']);
const JSON_TYPE = 'application/json;charset=UTF-8';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY) req.destroy(new Error('body too large'));
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Query string first: Binance uses the query string's value when a parameter is sent in both. */
function parseParams(rawQuery: string, rawBody: string): Record<string, string> {
  const params: Record<string, string> = {};
  for (const [k, v] of new URLSearchParams(rawBody)) params[k] = v;
  for (const [k, v] of new URLSearchParams(rawQuery)) params[k] = v;
  return params;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function jsonAnswer(status: number, value: unknown, code?: number): Answer {
  const answer: Answer = { status, body: JSON.stringify(value), contentType: JSON_TYPE, headers: {} };
  if (code !== undefined) answer.code = code;
  return answer;
}

export function createFront(deps: FrontDeps): Front {
  const sockets = new Set<Socket>();
  const held = new Set<Socket>();

  function send(res: ServerResponse, entry: RequestLogEntry, a: Answer): void {
    deps.log.finish(entry, a.status, a.code);
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(a.status, { 'Content-Type': a.contentType, 'x-mbx-used-weight': '1', 'x-mbx-used-weight-1m': '1', ...a.headers });
    res.end(a.body);
  }

  function drop(req: IncomingMessage, entry: RequestLogEntry): void {
    deps.log.finish(entry, 0);
    req.socket.destroy();
  }

  function hold(req: IncomingMessage, entry: RequestLogEntry, fault: FaultSpec): void {
    deps.log.finish(entry, 0);
    const socket = req.socket;
    held.add(socket);
    socket.once('close', () => held.delete(socket));
    if (fault.ms !== undefined) setTimeout(() => socket.destroy(), fault.ms).unref();
  }

  function process(method: string, path: string, params: Record<string, string>, apiKey: string | undefined, rawQuery: string, rawBody: string): Answer {
    const route = ALL_ROUTES[`${method} ${path}`];
    if (!route) {
      deps.log.counters.notFound += 1;
      return { status: 404, body: '<html><body><h1>404 Not Found</h1></body></html>', contentType: 'text/html', headers: {} };
    }
    try {
      if (route.signed) deps.auth.check({ apiKey, rawQuery, rawBody, params }, deps.context.serverNow());
      return jsonAnswer(200, route.handle({ ...deps.context, params }));
    } catch (err) {
      if (err instanceof BinanceError) {
        if (method === 'POST' && ORDER_PATHS.has(path)) deps.log.counters.ordersRejected += 1;
        return jsonAnswer(err.httpStatus, err.body(), err.code);
      }
      console.error('exchange simulator: internal error', err);
      return jsonAnswer(500, { code: -1000, msg: 'An unknown error occured while processing the request.' }, -1000);
    }
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const rawUrl = req.url ?? '/';
    const q = rawUrl.indexOf('?');
    const path = q >= 0 ? rawUrl.slice(0, q) : rawUrl;
    const rawQuery = q >= 0 ? rawUrl.slice(q + 1) : '';
    const method = (req.method ?? 'GET').toUpperCase();
    if (!deps.reachable()) {
      deps.log.counters.unreachable += 1;
      req.socket.destroy();
      return;
    }
    const rawBody = await readBody(req);
    const params = parseParams(rawQuery, rawBody);
    const { signature: _signature, ...loggedParams } = params;
    const entry = deps.log.start(method, path, loggedParams);
    const decision = deps.faults.take(method, path);
    if (decision.kinds.length > 0) deps.log.fault(entry, decision.kinds);
    const delay = deps.latencyMs() + decision.latencyMs;
    if (delay > 0) await sleep(delay);
    const fault = decision.terminal;
    const executeFirst = fault !== undefined && (fault.kind === 'acceptThenTimeout' || fault.execute === true);
    if (fault && !executeFirst) {
      if (fault.kind === 'drop') return drop(req, entry);
      const answer = faultAnswer(fault);
      if (answer) return send(res, entry, answer);
    }
    const apiKeyHeader = req.headers['x-mbx-apikey'];
    const apiKey = Array.isArray(apiKeyHeader) ? apiKeyHeader[0] : apiKeyHeader;
    const answer = process(method, path, params, apiKey, rawQuery, rawBody);
    if (fault) {
      if (fault.kind === 'acceptThenTimeout') return hold(req, entry, fault);
      if (fault.kind === 'drop') return drop(req, entry);
      const faulty = faultAnswer(fault);
      if (faulty) return send(res, entry, faulty);
    }
    send(res, entry, answer);
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!req.socket.destroyed) console.error('exchange simulator: request failed', err);
      if (!res.headersSent && !res.destroyed) res.destroy();
    });
  });
  server.on('connection', (socket: Socket) => {
    if (!deps.reachable()) {
      deps.log.counters.unreachable += 1;
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  // The simulator must never be the reason a test waits: no idle keep-alive beyond a client's.
  server.keepAliveTimeout = 5_000;

  return {
    server,
    destroyAll(): void {
      for (const s of held) s.destroy();
      for (const s of sockets) s.destroy();
      held.clear();
      sockets.clear();
    },
  };
}
