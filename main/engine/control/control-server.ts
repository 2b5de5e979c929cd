/**
 * The control listener for headless mode: the PinebridgeApi over HTTP on 127.0.0.1 only, the
 * engine's events as server-sent events, and the built renderer as static files.
 *
 * - `POST /api/<command>` with a JSON body of arguments -> `{ok:true,result}` | `{ok:false,error}`
 * - `GET /api/events` -> text/event-stream of EngineEvent
 * - Bearer token required on /api/* (the browser UI passes it once in the URL fragment, then in
 *   headers; SSE takes `?token=` because EventSource cannot set headers).
 * - Host must be loopback (no DNS rebinding); Origin, when present, must be this listener.
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { commandArgs, type ApiResult, type CommandName, type PinebridgeApi } from '../../../shared/api.js';
import type { EventBus } from '../core/event-bus.js';
import { secretMatches } from '../secrets/secret-check.js';
import type { Logger } from '../core/logging/logger.js';
import type { Redactor } from '../core/logging/redactor.js';

export interface ControlServerDeps {
  api: PinebridgeApi;
  events: EventBus;
  token: string;
  logger: Logger;
  redactor: Redactor;
  /** The built renderer (renderer/dist); null serves no UI. */
  staticDir: string | null;
  /** Extra GET routes behind the token (e.g. /metrics), answering text. */
  extraRoutes?: Record<string, (req: IncomingMessage, res: ServerResponse) => Promise<void> | void>;
}

export interface ControlServer {
  server: Server;
  listen(port: number): Promise<number>;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

const CSP =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

export function createControlServer(deps: ControlServerDeps): ControlServer {
  let port = 0;
  const sseClients = new Set<ServerResponse>();

  const server = createServer((req, res) => {
    handle(req, res).catch((e) => {
      deps.logger.error({ err: deps.redactor.scrub(String(e)) }, 'control request failed');
      if (!res.headersSent) sendJson(res, 500, { ok: false, error: { code: 'internal_error', message: 'Internal error; see the log.' } });
      else res.end();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('X-Frame-Options', 'DENY');
    if (!hostAllowed(req.headers.host, port)) {
      return sendJson(res, 403, fail('bad_host', 'This listener only answers to localhost / 127.0.0.1.'));
    }
    const origin = req.headers.origin;
    if (origin !== undefined && !originAllowed(origin, port)) {
      return sendJson(res, 403, fail('bad_origin', 'Cross-site requests are refused.'));
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const path = url.pathname;
    const isApi = path.startsWith('/api/') || path in (deps.extraRoutes ?? {});
    if (isApi) {
      const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
      const given = bearer ?? (path === '/api/events' ? url.searchParams.get('token') : null);
      if (!given || !secretMatches(given, deps.token)) {
        res.setHeader('WWW-Authenticate', 'Bearer');
        return sendJson(res, 401, fail('unauthorized', 'Missing or wrong control token (see <data-dir>/control-token).'));
      }
    }
    const extra = deps.extraRoutes?.[path];
    if (extra) {
      if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
      return extra(req, res);
    }
    if (path === '/api/events') {
      if (req.method !== 'GET') return methodNotAllowed(res, 'GET');
      return openEventStream(req, res);
    }
    if (path.startsWith('/api/')) {
      if (req.method !== 'POST') return methodNotAllowed(res, 'POST');
      return runCommand(path.slice('/api/'.length), req, res);
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return methodNotAllowed(res, 'GET');
    return serveStatic(path, res);
  }

  async function runCommand(name: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!Object.hasOwn(commandArgs, name)) {
      return sendJson(res, 404, fail('unknown_command', `There is no command ${JSON.stringify(name.slice(0, 40))}.`));
    }
    const command = name as CommandName;
    let raw: unknown = {};
    // 5 MiB: a backtest's "List of trades" (importBacktest) is the largest body a command takes.
    const text = await readSmallBody(req, 5 * 1024 * 1024);
    if (text === null) return sendJson(res, 413, fail('body_too_large', 'The request body is too large.'));
    if (text.trim()) {
      try {
        raw = JSON.parse(text);
      } catch {
        return sendJson(res, 400, fail('malformed_json', 'The request body is not valid JSON.'));
      }
    }
    const parsed = commandArgs[command].safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      return sendJson(res, 400, fail('invalid_arguments', `${i?.path.join('.') || 'arguments'}: ${i?.message ?? 'invalid'}`));
    }
    try {
      const fn = deps.api[command] as (args: unknown) => Promise<unknown>;
      const result = await fn.call(deps.api, parsed.data);
      sendJson(res, 200, { ok: true, result } satisfies ApiResult<unknown>);
    } catch (e) {
      const err = e as { code?: unknown; message?: unknown };
      const code = typeof err.code === 'string' ? err.code : 'command_failed';
      const message = deps.redactor.scrub(typeof err.message === 'string' ? err.message : String(e));
      sendJson(res, code === 'command_failed' ? 500 : 400, fail(code, message));
    }
  }

  function openEventStream(req: IncomingMessage, res: ServerResponse): void {
    res.writeHead(200, {
      'Content-Type': 'text/event-stream',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    res.write(': pinebridge events\n\n');
    sseClients.add(res);
    const unsubscribe = deps.events.subscribe((event) => {
      res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
    });
    const ping = setInterval(() => res.write(': ping\n\n'), 15_000);
    const close = () => {
      clearInterval(ping);
      unsubscribe();
      sseClients.delete(res);
    };
    req.on('close', close);
    res.on('error', close);
  }

  function serveStatic(path: string, res: ServerResponse): void {
    const dir = deps.staticDir;
    if (!dir || !existsSync(join(dir, 'index.html'))) {
      res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
      res.end('Pinebridge control API is running. The web UI is not built: run `npm run build`.\n');
      return;
    }
    const root = resolve(dir);
    let decoded: string;
    try {
      decoded = decodeURIComponent(path);
    } catch {
      return void sendJson(res, 400, fail('bad_path', 'The path is not valid percent-encoding.'));
    }
    let file = resolve(root, '.' + normalize(decoded));
    if (!file.startsWith(root + sep) && file !== root) return void sendJson(res, 404, fail('not_found', 'Not found.'));
    if (!existsSync(file) || statSync(file).isDirectory()) file = join(root, 'index.html'); // SPA fallback
    const type = MIME[extname(file)] ?? 'application/octet-stream';
    const headers: Record<string, string> = { 'Content-Type': type };
    if (type.startsWith('text/html')) {
      headers['Content-Security-Policy'] = CSP;
      headers['Cache-Control'] = 'no-store';
    } else headers['Cache-Control'] = 'public, max-age=3600';
    res.writeHead(200, headers);
    createReadStream(file).pipe(res);
  }

  return {
    server,
    async listen(p: number) {
      await new Promise<void>((resolveListen, rejectListen) => {
        server.once('error', rejectListen);
        // Loopback only: the control API is never exposed, and the tunnel never points here.
        server.listen({ port: p, host: '127.0.0.1' }, () => {
          server.off('error', rejectListen);
          resolveListen();
        });
      });
      port = (server.address() as AddressInfo).port;
      return port;
    },
    async close() {
      for (const c of sseClients) c.end();
      await new Promise<void>((r) => {
        server.close(() => r());
        server.closeAllConnections();
      });
    },
  };
}

function hostAllowed(host: string | undefined, port: number): boolean {
  if (!host) return false;
  return [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`].includes(host.toLowerCase());
}

function originAllowed(origin: string, port: number): boolean {
  return [`http://127.0.0.1:${port}`, `http://localhost:${port}`, `http://[::1]:${port}`].includes(origin.toLowerCase());
}

function fail(code: string, message: string): ApiResult<never> {
  return { ok: false, error: { code, message } };
}

function methodNotAllowed(res: ServerResponse, allow: string): void {
  res.setHeader('Allow', allow);
  sendJson(res, 405, fail('method_not_allowed', `Use ${allow}.`));
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(text);
}

function readSmallBody(req: IncomingMessage, limit: number): Promise<string | null> {
  return new Promise((resolveBody, rejectBody) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) over = true;
      else chunks.push(c);
    });
    req.on('end', () => resolveBody(over ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', rejectBody);
  });
}
