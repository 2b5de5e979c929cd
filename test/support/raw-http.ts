/**
 * A raw HTTP/1.1 client over a TCP socket: sends exactly the bytes it is given (bad request
 * lines, un-normalised paths, conflicting headers, bodies trickled byte by byte) and reads the
 * answer until the server closes the connection. For hostile-input tests, where fetch would
 * refuse or "fix" the request first.
 */
import { connect } from 'node:net';

export interface RawResponse {
  /** 0 when the server closed the connection without an HTTP answer. */
  status: number;
  /** Lower-cased names; repeated headers joined with ", ". */
  headers: Record<string, string>;
  body: string;
  /** How the exchange ended when there was no answer (socket error, timeout). */
  error?: string;
}

export interface RawRequest {
  /** Request line and headers, without the blank line that ends them (added here). */
  head: string | Buffer;
  body?: string | Buffer;
  /** Sends the body `bytes` at a time, one piece every `everyMs`, until answered. */
  trickle?: { bytes: number; everyMs: number };
}

export function rawRequest(port: number, req: RawRequest, timeoutMs = 20_000): Promise<RawResponse> {
  return new Promise((resolve) => {
    const socket = connect({ port, host: '127.0.0.1' });
    const chunks: Buffer[] = [];
    let error: string | undefined;
    let trickleTimer: NodeJS.Timeout | null = null;
    const timer = setTimeout(() => {
      error = `no answer within ${timeoutMs} ms`;
      socket.destroy();
    }, timeoutMs);
    const finish = () => {
      clearTimeout(timer);
      if (trickleTimer) clearInterval(trickleTimer);
      resolve(parseResponse(Buffer.concat(chunks), error));
    };
    socket.on('data', (d: Buffer) => {
      chunks.push(d);
      // Answered: stop trickling.
      if (trickleTimer) {
        clearInterval(trickleTimer);
        trickleTimer = null;
      }
    });
    socket.on('error', (e) => {
      error ??= e.message;
    });
    socket.on('close', finish);
    socket.once('connect', () => {
      const head = Buffer.isBuffer(req.head) ? req.head : Buffer.from(req.head, 'latin1');
      const body = req.body === undefined ? Buffer.alloc(0) : Buffer.isBuffer(req.body) ? req.body : Buffer.from(req.body, 'utf8');
      socket.write(Buffer.concat([head, Buffer.from('\r\n\r\n')]));
      if (!req.trickle) {
        if (body.length > 0) socket.write(body);
        return;
      }
      const { bytes, everyMs } = req.trickle;
      let at = 0;
      trickleTimer = setInterval(() => {
        if (socket.destroyed || at >= body.length) {
          if (trickleTimer) clearInterval(trickleTimer);
          trickleTimer = null;
          return;
        }
        socket.write(body.subarray(at, at + bytes));
        at += bytes;
      }, everyMs);
    });
  });
}

function parseResponse(buf: Buffer, error: string | undefined): RawResponse {
  const text = buf.toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const status = /^HTTP\/1\.[01] (\d{3})/.exec(text)?.[1];
  if (end < 0 || status === undefined) return { status: 0, headers: {}, body: buf.toString('utf8'), error: error ?? 'no HTTP answer' };
  const headers: Record<string, string> = {};
  for (const line of text.slice(0, end).split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    if (i <= 0) continue;
    const name = line.slice(0, i).trim().toLowerCase();
    const value = line.slice(i + 1).trim();
    headers[name] = headers[name] === undefined ? value : `${headers[name]}, ${value}`;
  }
  let body = buf.subarray(Buffer.byteLength(text.slice(0, end + 4), 'latin1'));
  if (/chunked/i.test(headers['transfer-encoding'] ?? '')) body = dechunk(body);
  return { status: Number(status), headers, body: body.toString('utf8'), ...(error ? { error } : {}) };
}

function dechunk(buf: Buffer): Buffer {
  const out: Buffer[] = [];
  let at = 0;
  for (;;) {
    const eol = buf.indexOf('\r\n', at, 'latin1');
    if (eol < 0) break;
    const size = parseInt(buf.subarray(at, eol).toString('latin1'), 16);
    if (!(size > 0)) break;
    out.push(buf.subarray(eol + 2, eol + 2 + size));
    at = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}
