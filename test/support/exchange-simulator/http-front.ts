/**
 * The exchange-neutral node:http front every simulator (Binance, Bybit, OKX) stands behind:
 * reachability switch, latency, fault injection (answer, drop, execute-then-drop,
 * accept-then-hang) and the request log. What a request means and how it is answered is the
 * exchange's `dispatch`; how a fault answers is the exchange's fault dialect.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { type FaultDialect, faultAnswer, type FaultRegistry } from './faults.js';
import type { RequestLog } from './request-log.js';
import type { FaultSpec, RequestLogEntry } from './types.js';

/** One request as received: the exchange parses and authenticates it. */
export interface IncomingCall {
  method: string;
  path: string;
  /** Query string without the leading "?". */
  rawQuery: string;
  rawBody: string;
  headers: IncomingHttpHeaders;
}

export interface Answer {
  status: number;
  body: string;
  contentType: string;
  headers: Record<string, string>;
  /** The exchange's error code, for the request log. */
  code?: number;
}

/** What an exchange makes of one call: its answer, and the parameters the log keeps (no signature). */
export interface Dispatch {
  params: Record<string, string>;
  answer: () => Answer;
}

export interface HttpFrontDeps {
  faults: FaultRegistry;
  log: RequestLog;
  latencyMs: () => number;
  reachable: () => boolean;
  /** How this exchange answers the answering fault kinds. */
  faultDialect: FaultDialect;
  /** Headers every answer carries (rate-limit headers and the like). */
  headers?: Record<string, string>;
  /** Parses one call; `answer` runs the request (after latency, before or instead of a fault). */
  dispatch: (call: IncomingCall) => Dispatch;
}

export interface Front {
  server: Server;
  /** Destroys held connections and every open socket. */
  destroyAll(): void;
}

const MAX_BODY = 1 << 20;

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

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A JSON answer with an optional error code for the log. */
export function jsonAnswer(status: number, value: unknown, code?: number, contentType = 'application/json;charset=UTF-8'): Answer {
  const answer: Answer = { status, body: JSON.stringify(value), contentType, headers: {} };
  if (code !== undefined) answer.code = code;
  return answer;
}

export function createHttpFront(deps: HttpFrontDeps): Front {
  const sockets = new Set<Socket>();
  const held = new Set<Socket>();

  function send(res: ServerResponse, entry: RequestLogEntry, a: Answer): void {
    deps.log.finish(entry, a.status, a.code);
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(a.status, { 'Content-Type': a.contentType, ...deps.headers, ...a.headers });
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
    const call = deps.dispatch({ method, path, rawQuery, rawBody, headers: req.headers });
    const entry = deps.log.start(method, path, call.params);
    const decision = deps.faults.take(method, path);
    if (decision.kinds.length > 0) deps.log.fault(entry, decision.kinds);
    const delay = deps.latencyMs() + decision.latencyMs;
    if (delay > 0) await sleep(delay);
    const fault = decision.terminal;
    const executeFirst = fault !== undefined && (fault.kind === 'acceptThenTimeout' || fault.execute === true);
    if (fault && !executeFirst) {
      if (fault.kind === 'drop') return drop(req, entry);
      const answer = faultAnswer(fault, deps.faultDialect);
      if (answer) return send(res, entry, answer);
    }
    const answer = call.answer();
    if (fault) {
      if (fault.kind === 'acceptThenTimeout') return hold(req, entry, fault);
      if (fault.kind === 'drop') return drop(req, entry);
      const faulty = faultAnswer(fault, deps.faultDialect);
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
