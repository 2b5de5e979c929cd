/**
 * The webhook's error answers: `{"error":{"code","message"}}` from the app, and the same shape
 * for requests Node's HTTP parser refused before the app saw them.
 */
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Context } from 'koa';

/**
 * The answer to a request Node's HTTP parser refused before the app saw it (broken framing,
 * oversized headers, a header that timed out): the same `{"error":{"code","message"}}` shape as
 * every other rejection, then the connection is closed. For the server's `clientError` event.
 */
export function answerClientError(err: Error & { code?: string }, socket: Duplex): void {
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  const [status, code, message] =
    err.code === 'HPE_HEADER_OVERFLOW'
      ? [431, 'headers_too_large', 'The request headers are too large.']
      : err.code === 'ERR_HTTP_REQUEST_TIMEOUT'
        ? [408, 'request_timeout', 'The request did not arrive in time.']
        : [400, 'bad_request', 'The request is not valid HTTP/1.1. TradingView alerts are POSTed to /webhook.'];
  const body = JSON.stringify({ error: { code, message } });
  socket.end(
    `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
}

export function methodNotAllowed(ctx: Context, allow: string): string {
  ctx.set('Allow', allow);
  answerError(ctx, 405, 'method_not_allowed', `${ctx.method} is not allowed here: use ${allow}.`);
  return 'method_not_allowed';
}

export function answerError(ctx: Context, status: number, code: string, message: string, alertId?: string): void {
  ctx.status = status;
  ctx.body = alertId ? { error: { code, message }, alertId } : { error: { code, message } };
}

