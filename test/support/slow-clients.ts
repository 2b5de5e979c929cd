/**
 * Slow clients and TradingView-like alerts, for the tunnel-exhaustion test and bench: each slow
 * client opens a request and trickles its headers or its body, and opens another as soon as the
 * server cuts it off (what an attacker does). Sources are told apart by their local address
 * (127.0.0.0/8 is all loopback on Linux), as the tunnel server sees them.
 */
import http from 'node:http';
import { connect, type Socket } from 'node:net';

export type SlowKind = 'headers' | 'body';

export interface SlowClientsOptions {
  port: number;
  /** Request path, e.g. /t/<id>/webhook */
  path: string;
  kinds: SlowKind[];
  /** Local address of client i (default 127.0.0.2 for all: one source). */
  localAddress?: (i: number) => string;
  /** One byte every this many ms (default 200). */
  everyMs?: number;
}

export interface SlowClients {
  /** Requests the slow clients had answered or cut off, by HTTP status (0: closed without one). */
  outcomes(): Record<string, number>;
  /** Requests currently open. */
  open(): number;
  stop(): void;
}

export function startSlowClients(o: SlowClientsOptions): SlowClients {
  const outcomes: Record<string, number> = {};
  const sockets = new Set<Socket>();
  let stopped = false;
  const every = o.everyMs ?? 200;

  const run = (i: number, kind: SlowKind): void => {
    if (stopped) return;
    const socket = connect({ port: o.port, host: '127.0.0.1', localAddress: o.localAddress?.(i) ?? '127.0.0.2' });
    sockets.add(socket);
    let answer = '';
    let timer: NodeJS.Timeout | null = null;
    socket.on('error', () => {});
    socket.on('data', (d: Buffer) => {
      answer += d.toString('latin1');
    });
    socket.once('connect', () => {
      const start = `POST ${o.path} HTTP/1.1\r\nHost: 127.0.0.1:${o.port}\r\nContent-Type: application/json\r\n`;
      // headers: the head never ends; body: a complete head, then a body that never completes.
      socket.write(kind === 'headers' ? `${start}X-Slow: ` : `${start}Content-Length: 4096\r\n\r\n{"secret":"`);
      timer = setInterval(() => {
        if (!socket.destroyed && socket.writable) socket.write('a');
      }, every);
    });
    socket.once('close', () => {
      if (timer) clearInterval(timer);
      sockets.delete(socket);
      const status = /^HTTP\/1\.1 (\d{3})/.exec(answer)?.[1] ?? '0';
      outcomes[status] = (outcomes[status] ?? 0) + 1;
      if (!stopped) setTimeout(() => run(i, kind), 10);
    });
  };
  o.kinds.forEach((kind, i) => run(i, kind));
  return {
    outcomes: () => ({ ...outcomes }),
    open: () => sockets.size,
    stop() {
      stopped = true;
      for (const s of sockets) s.destroy();
    },
  };
}

export interface AlertAnswer {
  /** 0: no answer before TradingView's 3 s cancel (or the connection failed). */
  status: number;
  body: string;
  ms: number;
}

export interface PostOptions {
  /** The source address to send from (127.0.0.0/8). */
  localAddress?: string;
  /** Give up after this long, as TradingView does after 3 s (default 3000). */
  cancelMs?: number;
  /** Extra headers (X-Forwarded-For...). */
  headers?: Record<string, string>;
  /** A keep-alive agent (default: one connection per request, as TradingView). */
  agent?: http.Agent;
}

/** POSTs one alert as TradingView does (text/plain JSON, cancelled after `cancelMs`). */
export function postLikeTradingView(url: string, body: string, o: PostOptions = {}): Promise<AlertAnswer> {
  const started = performance.now();
  return new Promise((resolve) => {
    const req = http.request(
      url,
      {
        method: 'POST',
        agent: o.agent ?? false,
        headers: {
          'content-type': 'text/plain; charset=utf-8',
          'content-length': String(Buffer.byteLength(body)),
          ...(o.agent ? {} : { connection: 'close' }),
          ...o.headers,
        },
        ...(o.localAddress ? { localAddress: o.localAddress } : {}),
        signal: AbortSignal.timeout(o.cancelMs ?? 3000),
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, ms: performance.now() - started }));
        res.on('error', () => resolve({ status: 0, body: text, ms: performance.now() - started }));
      },
    );
    req.on('error', (e) => resolve({ status: 0, body: e.message, ms: performance.now() - started }));
    req.end(body);
  });
}
