import Koa, { type Context } from 'koa';
import type { Logger } from 'pino';
import type { NewAlert, RecordResult } from '../journal/alerts.js';
import { ulid } from '../core/ids.js';
import type { Redactor } from '../core/logging/redactor.js';
import type { TunnelPeers } from '../core/ports.js';
import { parseBody, readSignal, type Rejection } from '../signals/read-alert.js';
import { answerError, methodNotAllowed } from './answers.js';
import { clipBytes, redactSecretField } from './body-text.js';
import { honourSignal, type HonourContext } from '../signals/honour.js';
import type { Signal } from '../signals/signal.js';
import { idempotencyKey } from './idempotency.js';
import type { JournalWriter } from './journal-writer.js';
import { RateLimiter } from './rate-limiter.js';
import { lingerOnClose } from './linger.js';
import { BodyError, readBody } from './read-body.js';
import { UNAUTHENTICATED_BODY_BYTES, type RejectionLog } from './rejection-log.js';
import { secretMatches } from '../secrets/secret-check.js';
import { SlowBodyGuard, defaultSlowBodyConfig, type SlowBodyConfig } from './slow-body-guard.js';
import { createSourceResolver, isTradingViewAddress } from './source-address.js';
import { TRUST_TUNNEL } from '../core/trust-entry.js';
import { TRADINGVIEW_WEBHOOK_IPS } from './tradingview-ips.js';

export interface IntakeConfig {
  /** Largest accepted body, bytes (64 KiB). */
  bodyLimit: number;
  /** A body slower than this is refused (slow-loris). */
  bodyTimeoutMs: number;
  /**
   * The same through our tunnel, where a request in flight holds one of a few sockets and
   * TradingView gives up after 3 s anyway: long enough for 64 KiB on a slow link.
   */
  tunnelBodyTimeoutMs: number;
  /** Slow bodies: per-source cap, and a reserve of tunnel sockets they cannot take. */
  slowBody: SlowBodyConfig;
  /** Whose X-Forwarded-For is believed: "tunnel" (our own tunnel client), addresses, CIDR blocks. */
  trustProxy: readonly string[];
  /** Refuse (403) every alert whose source is not one of TradingView's webhook senders. */
  allowTradingViewIpsOnly: boolean;
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
  tunnelBodyTimeoutMs: 3_000,
  slowBody: defaultSlowBodyConfig,
  trustProxy: [TRUST_TUNNEL],
  allowTradingViewIpsOnly: false,
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
  /** Several nodes on one journal: this node, its role and which node executes (in /readyz's answer). */
  cluster?: () => { node: string; role: 'executor' | 'standby'; executor: string | null; accounts?: string[]; executors?: Record<string, string | null> } | null;
  /** Where rejections before authentication are journaled, bounded (it writes through `writer`). */
  rejections: RejectionLog;
  /** The running tunnel's own connections, when it has any. */
  tunnelPeers?: () => TunnelPeers | null;
  /** null, or why no alert can be taken now (the disk is full): a cached value, read per request. */
  storageRefusal?: () => string | null;
  /** A journal write failed: true when the disk is the cause (the answer then says so). */
  onWriteError?: (e: unknown) => boolean;
  /** Observes each answer: latency from request start to answer (ms) and its outcome. */
  onAnswer?: (ms: number, outcome: string, status: number) => void;
  /** What the alert's market is and how its position fields are read (spot and `warn` when absent). */
  honourContext?: (signal: Signal) => HonourContext;
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
  const tunnelPeers = deps.tunnelPeers ?? (() => null);
  const sources = createSourceResolver(deps.config.trustProxy, tunnelPeers);
  const slowBodies = new SlowBodyGuard(deps.config.slowBody, () => tunnelPeers()?.poolSize() ?? 0);

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
      else ctx.body = { status: 'ready', ...(deps.cluster?.() ?? {}) };
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
    const socket = ctx.req.socket;
    const { source, tunnel } = sources.resolve(socket, ctx.get('X-Forwarded-For') || undefined);
    const base = { receivedAt, source, bodyBytes: declaredLength(ctx) };

    if (deps.draining()) {
      ctx.set('Retry-After', '5');
      answerError(ctx, 503, 'shutting_down', 'Pinebridge is shutting down and did not take this alert.');
      return 'shutting_down';
    }
    if (deps.config.allowTradingViewIpsOnly && !isTradingViewAddress(source)) {
      return reject(ctx, base, null, {
        status: 403,
        code: 'source_not_allowed',
        message:
          `Only TradingView's webhook addresses (${TRADINGVIEW_WEBHOOK_IPS.join(', ')}) may send alerts here, and this request came from ${source} ` +
          '(webhook.allowTradingViewIpsOnly is on; behind a reverse proxy, list it in webhook.trustProxy).',
      });
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
    const read = slowBodies.enter(source, tunnel);
    if (read instanceof BodyError) {
      ctx.set('Connection', 'close');
      return reject(ctx, base, null, { status: read.status, code: read.code, message: read.message });
    }
    let text: string;
    try {
      text = await readBody(ctx.req, deps.config.bodyLimit, tunnel ? deps.config.tunnelBodyTimeoutMs : deps.config.bodyTimeoutMs, read.signal);
    } catch (e) {
      if (e instanceof BodyError) {
        // Refused while the body may still be arriving: the connection (a tunnel socket, maybe) is freed.
        if (e.status !== 400) ctx.set('Connection', 'close');
        return reject(ctx, base, null, { status: e.status, code: e.code, message: e.message });
      }
      throw e;
    } finally {
      read.done();
    }
    // Only a rejection needs the size: an accepted alert does not pay for counting its bytes.
    const unauthenticated = (): Base => ({ ...base, bodyBytes: Buffer.byteLength(text) });
    // Before the secret is checked the body is anyone's: only its start is kept (README).
    // Clipped first so a big body costs no redaction work, and again as "[redacted]" may be longer.
    const clippedText = () =>
      clipBytes(deps.redactor.scrub(redactSecretField(clipBytes(text, UNAUTHENTICATED_BODY_BYTES), pathSecret)), UNAUTHENTICATED_BODY_BYTES);

    const secret = deps.secret();
    if (pathSecret !== undefined && !secretMatches(pathSecret, secret)) return authFailed(ctx, unauthenticated(), clippedText(), 'bad_secret');

    const parsed = parseBody(text);
    if (!parsed.ok) {
      // Behind a path secret that matched, the sender is ours: its broken alert is kept whole.
      if (pathSecret !== undefined) return reject(ctx, { ...base, bodyBytes: null }, deps.redactor.scrub(redactSecretField(text, pathSecret)), parsed.rejection);
      return reject(ctx, unauthenticated(), clippedText(), parsed.rejection);
    }
    const json = parsed.json;
    if (pathSecret === undefined) {
      if (json.secret === undefined) return authFailed(ctx, unauthenticated(), clippedText(), 'missing_secret');
      if (!secretMatches(json.secret, secret)) return authFailed(ctx, unauthenticated(), clippedText(), 'bad_secret');
    }
    const authenticated = { ...base, bodyBytes: null };
    const { secret: _s, ...withoutSecret } = json;
    const body = deps.redactor.scrub(JSON.stringify(withoutSecret));

    const readSig = readSignal(json);
    if (!readSig.ok) return reject(ctx, authenticated, body, readSig.rejection, partialSignal(json));
    const honoured = honourSignal(readSig.signal, deps.honourContext?.(readSig.signal) ?? { derivatives: false, parity: 'warn' });
    if (!honoured.ok) return reject(ctx, authenticated, body, honoured.rejection, partialSignal(json));
    const signal = honoured.signal;
    const idem = idempotencyKey(signal, json, receivedAt, deps.config.dedupWindowMs);
    const result = await record(ctx, {
      id: ulid(receivedAt),
      receivedAt,
      source,
      dialect: signal.dialect,
      // Whatever the sender pasted into a field (a key, the secret) is journaled redacted, like the body.
      strategy: deps.redactor.scrub(signal.strategy),
      // No action: the alert says where the strategy ends up (position_size, market_position).
      action: signal.action ?? 'position',
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
    // Every field that was ignored or not honoured is said back (and kept in the journaled signal).
    const warnings = signal.warnings?.map((w) => deps.redactor.scrub(w));
    ctx.body = warnings?.length ? { status: 'accepted', alertId: result.alert.id, warnings } : { status: 'accepted', alertId: result.alert.id };
    return 'accepted';
  }

  function authFailed(ctx: Context, base: Base, body: string, code: 'missing_secret' | 'bad_secret') {
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

  /**
   * Journals a rejection, then answers it. Even a rejection is only answered once it is on disk,
   * except an unauthenticated one beyond the journal's budget (rejection-log.ts): that one is
   * counted into its source's summary for the minute and answered at once.
   */
  async function reject(ctx: Context, base: Base, body: string | null, r: Rejection, partial: PartialFields = {}): Promise<string> {
    // Messages quote the offending value (clipped): a secret pasted into the wrong field stays out.
    const scrub = (v: string | undefined) => (v === undefined ? null : deps.redactor.scrub(v));
    const message = deps.redactor.scrub(r.message);
    if (base.bodyBytes !== null && !deps.rejections.admit(base.source, r.code, base.bodyBytes)) {
      answerError(ctx, r.status, r.code, message);
      return r.code;
    }
    const recorded = await record(ctx, {
      id: ulid(base.receivedAt),
      receivedAt: base.receivedAt,
      source: base.source,
      bodyBytes: base.bodyBytes,
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

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A request as journaled: bodyBytes is the size of a body kept only in part (null: kept whole). */
type Base = { receivedAt: number; source: string; bodyBytes: number | null };

/** The Content-Length of a body refused before it was read (0 when not declared). */
function declaredLength(ctx: Context): number {
  const n = Number(ctx.get('Content-Length'));
  return Number.isFinite(n) && n >= 0 ? n : 0;
}

type PartialFields = { strategy?: string; action?: string; symbol?: string };

function partialSignal(json: Record<string, unknown>): PartialFields {
  const str = (v: unknown) => (typeof v === 'string' ? v.slice(0, 64) : undefined);
  return compactStrings({ strategy: str(json.strategy), action: str(json.action), symbol: str(json.symbol) ?? str(json.ticker) });
}

function compactStrings<T extends Record<string, string | undefined>>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
