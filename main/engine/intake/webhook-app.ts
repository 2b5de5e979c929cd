import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import Koa, { type Context } from 'koa';
import type { Logger } from 'pino';
import type { NewAlert, RecordResult } from '../journal/alerts.js';
import { ulid } from '../ids.js';
import type { Redactor } from '../logging/redactor.js';
import { parseBody, readSignal, type Rejection } from '../signals/read-alert.js';
import { idempotencyKey } from './idempotency.js';
import type { JournalWriter } from './journal-writer.js';
import { RateLimiter } from './rate-limiter.js';
import { lingerOnClose } from './linger.js';
import { BodyError, readBody } from './read-body.js';
import { secretMatches } from './secret-check.js';

export interface IntakeConfig {
  /** Largest accepted body, bytes (64 KiB). */
  bodyLimit: number;
  /** A body slower than this is refused (slow-loris). */
  bodyTimeoutMs: number;
  /** Window for body-hash duplicates when the alert has no `id`. */
  dedupWindowMs: number;
  /** Requests per source. TradingView sends from a handful of addresses, so be generous. */
  rateLimit: { burst: number; perSecond: number };
  /** Failed authentications per source before 429 (slows secret guessing). */
  authFailLimit: { burst: number; perSecond: number };
}

export const defaultIntakeConfig: IntakeConfig = {
  bodyLimit: 64 * 1024,
  bodyTimeoutMs: 10_000,
  dedupWindowMs: 60_000,
  rateLimit: { burst: 2000, perSecond: 1000 },
  authFailLimit: { burst: 20, perSecond: 0.2 },
};

export interface WebhookDeps {
  writer: JournalWriter;
  /** The current webhook secret (it can be rotated while running). */
  secret: () => string;
  redactor: Redactor;
  logger: Logger;
  now: () => number;
  config: IntakeConfig;
  /** True while shutting down: new alerts get 503 with Retry-After. */
  draining: () => boolean;
  /** Readiness for GET /readyz: null when ready, else what is not. */
  notReady?: () => string | null;
  /** null, or why no alert can be taken now (the disk is full): a cached value, read per request. */
  storageRefusal?: () => string | null;
  /** A journal write failed: true when the disk is the cause (the answer then says so). */
  onWriteError?: (e: unknown) => boolean;
  /** Observes each answer: latency from request start to answer (ms) and its outcome. */
  onAnswer?: (ms: number, outcome: string, status: number) => void;
}

/** A full disk is freed by a person: the sender is asked to come back in a while, not at once. */
const DISK_RETRY_AFTER_SEC = 30;
const WEBHOOK_PATH = /^\/webhook(?:\/([^/]{1,256}))?\/?$/;
/** How long an oversized body may go on arriving, read and thrown away, after its 413. */
const LINGER_MS = 5_000;
const ACCEPTED_TYPES = /^(application\/json|text\/plain|text\/json|application\/x-json)?$/;

/** The Koa app behind the public tunnel: POST /webhook[/:secret], GET /healthz, GET /readyz. */
export function createWebhookApp(deps: WebhookDeps): Koa {
  const app = new Koa();
  const limiter = new RateLimiter(deps.config.rateLimit.burst, deps.config.rateLimit.perSecond, deps.now);
  const authLimiter = new RateLimiter(deps.config.authFailLimit.burst, deps.config.authFailLimit.perSecond, deps.now);

  app.silent = true;
  app.on('error', (err: unknown) => deps.logger.warn({ err: String(err) }, 'webhook request error'));

  app.use(async (ctx) => {
    const started = performance.now();
    let outcome = 'error';
    try {
      outcome = await route(ctx);
    } catch (e) {
      deps.logger.error({ err: deps.redactor.scrub(String(e instanceof Error ? e.stack : e)) }, 'webhook handler failed');
      answerError(ctx, 500, 'internal_error', 'Pinebridge could not handle this request. Nothing was executed; see the log.');
    } finally {
      // Answered before the body was read (413, 415, 429, 404...): the rest is drained, and a
      // closing connection lingers so the sender reads this answer rather than a reset.
      if (!ctx.req.complete) {
        ctx.req.resume();
        lingerOnClose(ctx.req.socket, LINGER_MS);
      }
      deps.onAnswer?.(performance.now() - started, outcome, ctx.status);
    }
  });

  async function route(ctx: Context): Promise<string> {
    const path = ctx.path;
    if (path === '/healthz') {
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return methodNotAllowed(ctx, 'GET, HEAD');
      ctx.body = { status: 'ok' };
      return 'health';
    }
    if (path === '/readyz') {
      if (ctx.method !== 'GET' && ctx.method !== 'HEAD') return methodNotAllowed(ctx, 'GET, HEAD');
      const problem = deps.draining() ? 'shutting down' : (deps.notReady?.() ?? null);
      if (problem) answerError(ctx, 503, 'not_ready', `Not ready: ${problem}.`);
      else ctx.body = { status: 'ready' };
      return 'health';
    }
    const m = WEBHOOK_PATH.exec(path);
    if (!m) {
      answerError(ctx, 404, 'not_found', 'Nothing here. TradingView alerts go to POST /webhook.');
      return 'not_found';
    }
    if (ctx.method !== 'POST') return methodNotAllowed(ctx, 'POST');
    return handleWebhook(ctx, m[1] === undefined ? undefined : safeDecode(m[1]));
  }

  async function handleWebhook(ctx: Context, pathSecret: string | undefined): Promise<string> {
    const receivedAt = deps.now();
    const source = sourceOf(ctx);
    const base = { receivedAt, source };

    if (deps.draining()) {
      ctx.set('Retry-After', '5');
      answerError(ctx, 503, 'shutting_down', 'Pinebridge is shutting down and did not take this alert.');
      return 'shutting_down';
    }
    const full = deps.storageRefusal?.() ?? null;
    if (full) {
      // Not journaled (it cannot be): the sender retries, and the log and /readyz say why.
      ctx.set('Retry-After', String(DISK_RETRY_AFTER_SEC));
      answerError(ctx, 503, 'disk_full', `Pinebridge did not take this alert: ${full}. Free space in the data dir; alerts are taken again by themselves.`);
      return 'disk_full';
    }
    const wait = limiter.take(source);
    if (wait > 0) {
      ctx.set('Retry-After', String(wait));
      return reject(ctx, base, null, { status: 429, code: 'rate_limited', message: `Too many requests from ${source}: try again in ${wait} s.` });
    }
    const type = (ctx.request.type || '').toLowerCase();
    if (!ACCEPTED_TYPES.test(type)) {
      ctx.req.resume();
      return reject(ctx, base, null, {
        status: 415,
        code: 'unsupported_media_type',
        message: `Content-Type ${type} is not accepted: send the alert as application/json or text/plain.`,
      });
    }
    let text: string;
    try {
      text = await readBody(ctx.req, deps.config.bodyLimit, deps.config.bodyTimeoutMs);
    } catch (e) {
      if (e instanceof BodyError) {
        if (e.status === 413) ctx.set('Connection', 'close');
        return reject(ctx, base, null, { status: e.status, code: e.code, message: e.message });
      }
      throw e;
    }
    const redactedText = () => deps.redactor.scrub(redactSecretField(text, pathSecret)).slice(0, deps.config.bodyLimit);

    const secret = deps.secret();
    if (pathSecret !== undefined && !secretMatches(pathSecret, secret)) return authFailed(ctx, base, redactedText(), 'bad_secret');

    const parsed = parseBody(text);
    if (!parsed.ok) return reject(ctx, base, redactedText(), parsed.rejection);
    const json = parsed.json;
    if (pathSecret === undefined) {
      if (json.secret === undefined) return authFailed(ctx, base, redactedText(), 'missing_secret');
      if (!secretMatches(json.secret, secret)) return authFailed(ctx, base, redactedText(), 'bad_secret');
    }
    const { secret: _s, ...withoutSecret } = json;
    const body = deps.redactor.scrub(JSON.stringify(withoutSecret));

    const read = readSignal(json);
    if (!read.ok) return reject(ctx, base, body, read.rejection, partialSignal(json));
    const signal = read.signal;
    const idem = idempotencyKey(signal, json, receivedAt, deps.config.dedupWindowMs);
    const result = await record(ctx, {
      id: ulid(receivedAt),
      ...base,
      dialect: signal.dialect,
      // Whatever the sender pasted into a field (a key, the secret) is journaled redacted, like the body.
      strategy: deps.redactor.scrub(signal.strategy),
      action: signal.action ?? (signal.targetPosition !== undefined ? 'position' : null),
      symbol: deps.redactor.scrub(signal.symbol),
      idemKey: idem.key,
      idemSince: idem.since,
      body,
      signal: deps.redactor.scrubValue(signal),
      status: 'accepted',
      httpStatus: 200,
      reasonCode: null,
      reason: null,
    });
    if (!result) return 'journal_error';
    if (result.outcome === 'duplicate') {
      ctx.body = { status: 'duplicate', alertId: result.firstId };
      return 'duplicate';
    }
    ctx.body = { status: 'accepted', alertId: result.alert.id };
    return 'accepted';
  }

  function authFailed(ctx: Context, base: { receivedAt: number; source: string }, body: string, code: 'missing_secret' | 'bad_secret') {
    const wait = authLimiter.take(base.source);
    if (wait > 0) {
      ctx.set('Retry-After', String(wait));
      return reject(ctx, base, body, {
        status: 429,
        code: 'too_many_auth_failures',
        message: `Too many requests with a wrong secret from ${base.source}: try again in ${wait} s.`,
      });
    }
    const message =
      code === 'missing_secret'
        ? 'No secret: put "secret":"<your webhook secret>" in the alert message, or post to /webhook/<secret>.'
        : 'Wrong secret: copy the webhook secret from Pinebridge (or `pinebridge secret`) into the alert message.';
    return reject(ctx, base, body, { status: 401, code, message });
  }

  /** Journals a rejection, then answers it. Even a rejection is only answered once it is on disk. */
  async function reject(
    ctx: Context,
    base: { receivedAt: number; source: string },
    body: string | null,
    r: Rejection,
    partial: PartialFields = {},
  ): Promise<string> {
    // Messages quote the offending value (clipped): a secret pasted into the wrong field stays out.
    const scrub = (v: string | undefined) => (v === undefined ? null : deps.redactor.scrub(v));
    const message = deps.redactor.scrub(r.message);
    const recorded = await record(ctx, {
      id: ulid(base.receivedAt),
      ...base,
      dialect: null,
      strategy: scrub(partial.strategy),
      action: scrub(partial.action),
      symbol: scrub(partial.symbol),
      idemKey: null,
      idemSince: 0,
      body: body ?? '',
      signal: null,
      status: 'rejected',
      httpStatus: r.status,
      reasonCode: r.code,
      reason: message,
    });
    if (!recorded) return 'journal_error';
    answerError(ctx, r.status, r.code, message, recorded.alert.id);
    return r.code;
  }

  async function record(ctx: Context, alert: NewAlert): Promise<RecordResult | null> {
    try {
      return await deps.writer.submit(alert);
    } catch (e) {
      deps.logger.error({ err: deps.redactor.scrub(String(e)) }, 'journal write failed: alert not taken');
      const disk = deps.onWriteError?.(e) ?? false;
      ctx.set('Retry-After', String(disk ? DISK_RETRY_AFTER_SEC : 5));
      const why = disk ? `the disk is full or failing (${deps.redactor.scrub(String((e as Error)?.message ?? e))})` : 'see the log';
      answerError(ctx, 503, disk ? 'disk_full' : 'journal_unavailable', `Pinebridge could not save this alert to its journal, so it was not taken: ${why}.`);
      return null;
    }
  }

  return app;
}

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

function methodNotAllowed(ctx: Context, allow: string): string {
  ctx.set('Allow', allow);
  answerError(ctx, 405, 'method_not_allowed', `${ctx.method} is not allowed here: use ${allow}.`);
  return 'method_not_allowed';
}

function answerError(ctx: Context, status: number, code: string, message: string, alertId?: string): void {
  ctx.status = status;
  ctx.body = alertId ? { error: { code, message }, alertId } : { error: { code, message } };
}

/**
 * The client's address. Behind our own tunnel or a local reverse proxy the peer is loopback and
 * the real address is in X-Forwarded-For; a remote peer cannot choose its own key that way.
 */
function sourceOf(ctx: Context): string {
  const peer = ctx.req.socket.remoteAddress ?? 'unknown';
  const loopback = peer === '127.0.0.1' || peer === '::1' || peer === '::ffff:127.0.0.1';
  if (loopback) {
    const xff = ctx.get('X-Forwarded-For');
    if (xff) return xff.split(',')[0]!.trim().slice(0, 64) || peer;
  }
  return peer;
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Removes `"secret": "…"` from raw text that may not parse as JSON. */
function redactSecretField(text: string, pathSecret: string | undefined): string {
  let out = text.replace(/("secret"\s*:\s*)"(?:[^"\\]|\\.)*"/gi, '$1"[redacted]"');
  if (pathSecret && pathSecret.length > 0) out = out.split(pathSecret).join('[redacted]');
  return out;
}

type PartialFields = { strategy?: string; action?: string; symbol?: string };

function partialSignal(json: Record<string, unknown>): PartialFields {
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 64) : undefined);
  return compactStrings({ strategy: str(json.strategy), action: str(json.action), symbol: str(json.symbol) ?? str(json.ticker) });
}

function compactStrings<T extends Record<string, string | undefined>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
