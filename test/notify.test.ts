/**
 * Notifications from the engine: the Telegram and Discord senders against a local node:http
 * server standing in for those APIs (request bodies, batching, retry, permanent failures), the
 * event -> notice choices, and a real engine notifying through them without ever logging a token.
 */
import { readFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { PassThrough } from 'node:stream';
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertSummaryDto, EngineEvent, TunnelStatusDto } from '../shared/api.js';
import { createEngine, type Engine } from '../main/engine/engine.js';
import { EventBus } from '../main/engine/event-bus.js';
import { NOTIFY_SECRET_NAMES } from '../main/engine/control/settings-commands.js';
import {
  NotifySendError,
  createDiscordSender,
  createNoticeBatcher,
  createNoticeClassifier,
  createNotifier,
  createTelegramSender,
  parseDiscordWebhookUrl,
  type BusEvent,
  type NoticeBatch,
  type NoticeToggles,
} from '../main/engine/notify/index.js';
import { createFileStore } from '../main/engine/secrets/index.js';
import { tempDir } from './support/temp-dir.js';

// --- a stand-in for api.telegram.org / discord.com ----------------------------------------------------

/** A request body as the fake API received it (JSON). */
interface Body {
  text: string;
  content: string;
  chat_id: string;
  [field: string]: unknown;
}

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: Body;
}

interface FakeApi {
  base: string;
  requests: Received[];
  /** Answer for the next requests (default 200 {"ok":true}). */
  respond: (req: Received) => { status: number; body?: unknown; headers?: Record<string, string> };
  waitFor(n: number, timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

const servers: FakeApi[] = [];
const cleanups: (() => Promise<void> | void)[] = [];

afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

async function fakeApi(): Promise<FakeApi> {
  const api: FakeApi = {
    base: '',
    requests: [],
    respond: () => ({ status: 200, body: { ok: true, result: {} } }),
    async waitFor(n, timeoutMs = 5000) {
      const until = Date.now() + timeoutMs;
      while (api.requests.length < n) {
        if (Date.now() > until) throw new Error(`expected ${n} requests, got ${api.requests.length}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    close: async () => {},
  };
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const r: Received = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body: (text ? JSON.parse(text) : null) as Body };
      api.requests.push(r);
      const answer = api.respond(r);
      res.writeHead(answer.status, { 'Content-Type': 'application/json', ...answer.headers });
      res.end(answer.body === undefined ? '' : JSON.stringify(answer.body));
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  api.base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  api.close = () => new Promise<void>((r) => server.close(() => r()));
  servers.push(api);
  return api;
}

const TOKEN = '7123456789:AAHk-secret-bot-token_0123456789abcdef';
const DISCORD_TOKEN = 'discord-webhook-token-abcdefghijklmnop0123456789';
const DISCORD_URL = `https://discord.com/api/webhooks/112233445566778899/${DISCORD_TOKEN}`;
const ALL_ON: NoticeToggles = { fills: true, rejectedAlerts: true, errors: true, breaker: true, tunnelDown: true, urlChanged: true };

function rejected(i: number, over: Partial<AlertSummaryDto> = {}): EngineEvent {
  return {
    type: 'alert.rejected',
    alert: {
      id: `A${i}`,
      seq: i,
      receivedAt: 0,
      source: '127.0.0.1',
      dialect: 'native',
      strategy: 'ma-cross',
      action: 'buy',
      symbol: 'BINANCE:BTCUSDT',
      status: 'rejected',
      httpStatus: 400,
      reasonCode: 'unreplaced_placeholder',
      reason: `quantity is {{strategy.order.contracts}} #${i}`,
      duplicateOf: null,
      ...over,
    },
  };
}

const batchOf = (title: string, body: string): NoticeBatch => ({ title, body, count: 1, kinds: ['errors'] });

// --- senders ---------------------------------------------------------------------------------------------

describe('Telegram sender', () => {
  it('POSTs sendMessage to /bot<token>/ with the chat id and plain text', async () => {
    const api = await fakeApi();
    const sender = createTelegramSender({ token: TOKEN, chatId: '-100123', apiBaseUrl: api.base, label: () => 'Pinebridge · PAPER' });
    await sender.send(batchOf('Alert rejected', 'ma-cross buy BTCUSDT: bad quantity'));

    expect(api.requests).toHaveLength(1);
    const [r] = api.requests;
    expect(r!.method).toBe('POST');
    expect(r!.url).toBe(`/bot${TOKEN}/sendMessage`);
    expect(r!.headers['content-type']).toBe('application/json');
    expect(r!.body).toEqual({
      chat_id: '-100123',
      text: 'Pinebridge · PAPER\nAlert rejected\nma-cross buy BTCUSDT: bad quantity',
      disable_web_page_preview: true,
    });
    expect(r!.body).not.toHaveProperty('parse_mode');
  });

  it('cuts a long message to Telegram\'s 4096 characters', async () => {
    const api = await fakeApi();
    await createTelegramSender({ token: TOKEN, chatId: '1', apiBaseUrl: api.base }).send(batchOf('Error', 'x'.repeat(10_000)));
    expect(api.requests[0]!.body.text).toHaveLength(4096);
    expect(api.requests[0]!.body.text.endsWith('…')).toBe(true);
  });

  it('turns 401 into a permanent error and 429 into a retry with the API\'s delay, without the token in the message', async () => {
    const api = await fakeApi();
    const sender = createTelegramSender({ token: TOKEN, chatId: '1', apiBaseUrl: api.base });

    api.respond = () => ({ status: 401, body: { ok: false, error_code: 401, description: 'Unauthorized' } });
    const unauthorized = sender.send(batchOf('t', 'b'));
    await expect(unauthorized).rejects.toThrow(/Unauthorized \(check the bot token\)/);
    await expect(unauthorized).rejects.toMatchObject({ permanent: true, status: 401 });
    await expect(unauthorized).rejects.not.toThrow(TOKEN.slice(0, 10));

    api.respond = () => ({ status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 7', parameters: { retry_after: 7 } } });
    await expect(sender.send(batchOf('t', 'b'))).rejects.toMatchObject({ permanent: false, status: 429, retryAfterMs: 7000 });
  });

  it('reports an unreachable API as a transient error', async () => {
    const api = await fakeApi();
    const base = api.base;
    await api.close();
    servers.splice(servers.indexOf(api), 1);
    const p = createTelegramSender({ token: TOKEN, chatId: '1', apiBaseUrl: base, timeoutMs: 2000 }).send(batchOf('t', 'b'));
    await expect(p).rejects.toThrow(/^Telegram: /);
    await expect(p).rejects.toMatchObject({ permanent: false });
    await expect(p).rejects.not.toThrow(TOKEN.slice(0, 10));
  });
});

describe('Discord sender', () => {
  it('POSTs {content} to the webhook path on the configured base, with mentions disabled', async () => {
    const api = await fakeApi();
    api.respond = () => ({ status: 204 });
    const sender = createDiscordSender({ webhookUrl: DISCORD_URL, apiBaseUrl: api.base, label: () => 'Pinebridge · LIVE' });
    await sender.send(batchOf('Order filled', 'BUY 0.01 BTC/USDT @ 65000 @everyone'));

    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]!.url).toBe(`/api/webhooks/112233445566778899/${DISCORD_TOKEN}`);
    expect(api.requests[0]!.body).toEqual({
      content: '**Pinebridge · LIVE**\n**Order filled**\nBUY 0.01 BTC/USDT @ 65000 @everyone',
      allowed_mentions: { parse: [] },
    });
  });

  it('refuses a URL that is not a Discord webhook, without echoing it', () => {
    expect(() => parseDiscordWebhookUrl('https://example.com/hook/secret-part')).toThrow(/does not look like/);
    expect(() => parseDiscordWebhookUrl('https://example.com/hook/secret-part')).not.toThrow(/secret-part/);
    expect(() => createDiscordSender({ webhookUrl: 'not a url' })).toThrow(/not a URL/);
  });

  it('treats a deleted webhook (404) as permanent and 429 as retry-after', async () => {
    const api = await fakeApi();
    const sender = createDiscordSender({ webhookUrl: DISCORD_URL, apiBaseUrl: api.base });
    api.respond = () => ({ status: 404, body: { message: 'Unknown Webhook', code: 10015 } });
    await expect(sender.send(batchOf('t', 'b'))).rejects.toMatchObject({ permanent: true, status: 404 });
    api.respond = () => ({ status: 429, body: { message: 'You are being rate limited.', retry_after: 1.5, global: false } });
    await expect(sender.send(batchOf('t', 'b'))).rejects.toMatchObject({ permanent: false, retryAfterMs: 1500 });
  });
});

// --- batching ----------------------------------------------------------------------------------------------

describe('batching', () => {
  it('turns a burst of 1000 rejected alerts into one Telegram message with a count', async () => {
    const api = await fakeApi();
    const events = new EventBus();
    const notifier = createNotifier({
      events,
      channels: [{ sender: createTelegramSender({ token: TOKEN, chatId: '1', apiBaseUrl: api.base }), toggles: () => ALL_ON, windowMs: 60_000, gatherMs: 30 }],
    });
    cleanups.push(() => notifier.stop());

    for (let i = 1; i <= 1000; i++) events.emit(rejected(i));
    await api.waitFor(1);
    await notifier.flush(); // nothing else is pending

    expect(api.requests).toHaveLength(1);
    const text: string = api.requests[0]!.body.text;
    expect(text.split('\n')[0]).toBe('1000 rejected alerts');
    expect(text).toContain('quantity is {{strategy.order.contracts}} #1000');
    expect(text).toContain('#996');
    expect(text).not.toContain('#995 ');
    expect(text).toContain('…and 995 more rejected alerts');
  });

  it('sends at most one message per window; what arrives meanwhile waits for the next one', async () => {
    const sent: NoticeBatch[] = [];
    const batcher = createNoticeBatcher({ windowMs: 60_000, gatherMs: 10, send: async (b) => void sent.push(b), onError: () => {} });
    cleanups.push(() => batcher.close());
    const classifier = createNoticeClassifier();
    const push = (e: BusEvent) => classifier.classify(e).forEach((n) => batcher.push(n));

    push(rejected(1));
    await until(() => sent.length === 1);
    push(rejected(2));
    push(rejected(3));
    await new Promise((r) => setTimeout(r, 100));
    expect(sent).toHaveLength(1); // the window (60 s) is not over
    expect(batcher.pending()).toBe(2);
    await batcher.flush();
    expect(sent).toHaveLength(2);
    expect(sent[1]!.count).toBe(2);
  });

  it('keeps notices through a 429 and delivers them merged with later ones', async () => {
    const api = await fakeApi();
    let calls = 0;
    api.respond = () =>
      ++calls === 1
        ? { status: 429, body: { ok: false, error_code: 429, description: 'Too Many Requests: retry after 0', parameters: { retry_after: 0 } } }
        : { status: 200, body: { ok: true } };
    const errors: number[] = [];
    const batcher = createNoticeBatcher({
      windowMs: 20,
      gatherMs: 5,
      send: (b) => createTelegramSender({ token: TOKEN, chatId: '1', apiBaseUrl: api.base }).send(b),
      onError: (_e, dropped) => errors.push(dropped),
    });
    cleanups.push(() => batcher.close());
    const classifier = createNoticeClassifier();
    classifier.classify(rejected(1)).forEach((n) => batcher.push(n));
    await api.waitFor(1);
    classifier.classify(rejected(2)).forEach((n) => batcher.push(n));
    await api.waitFor(2);
    await until(() => batcher.pending() === 0);

    expect(errors).toEqual([0]); // one failure, nothing dropped
    expect(api.requests[1]!.body.text.split('\n')[0]).toBe('2 rejected alerts');
    expect(api.requests[1]!.body.text).toContain('#1');
    expect(api.requests[1]!.body.text).toContain('#2');
  });

  it('drops a batch on a permanent failure instead of retrying forever', async () => {
    let attempts = 0;
    const dropped: number[] = [];
    const batcher = createNoticeBatcher({
      windowMs: 10,
      gatherMs: 1,
      send: async () => {
        attempts++;
        throw new NotifySendError('Telegram: Forbidden: bot was blocked by the user', true, 403);
      },
      onError: (_e, n) => dropped.push(n),
    });
    cleanups.push(() => batcher.close());
    const classifier = createNoticeClassifier();
    classifier.classify(rejected(1)).forEach((n) => batcher.push(n));
    classifier.classify(rejected(2)).forEach((n) => batcher.push(n));
    await until(() => dropped.length === 1);
    await new Promise((r) => setTimeout(r, 80));
    expect(attempts).toBe(1);
    expect(dropped).toEqual([2]);
    expect(batcher.pending()).toBe(0);
  });
});

// --- which events notify ----------------------------------------------------------------------------------

describe('notice choices', () => {
  const tunnel = (state: TunnelStatusDto['state'], publicUrl: string | null, lastError: string | null = null): EngineEvent => ({
    type: 'tunnel',
    tunnel: { provider: 'localtunnel', state, publicUrl, lastProbeMs: null, lastProbeAt: null, lastError },
  });

  it('classifies today\'s events and ignores the routine ones', () => {
    const c = createNoticeClassifier(() => 1000);
    expect(c.classify(rejected(1))).toEqual([
      { kind: 'rejectedAlerts', title: 'Alert rejected', body: 'ma-cross buy BINANCE:BTCUSDT: quantity is {{strategy.order.contracts}} #1 (unreplaced_placeholder)', at: 1000 },
    ]);
    expect(c.classify({ type: 'alert.accepted', alert: (rejected(2) as { alert: AlertSummaryDto }).alert })).toEqual([]);
    expect(c.classify({ type: 'log', entry: { time: 1, level: 'warn', msg: 'slow' } })).toEqual([]);
    expect(c.classify({ type: 'log', entry: { time: 1, level: 'error', msg: 'journal write failed' } })).toMatchObject([{ kind: 'errors', body: 'journal write failed' }]);
    // An error about one alert is told once, by the execution event, not again by its log line.
    expect(c.classify({ type: 'log', entry: { time: 1, level: 'error', msg: 'alert not executed: …', alertId: 'A3' } })).toEqual([]);
    const failed = { ...(rejected(3) as { alert: AlertSummaryDto }).alert, status: 'failed' as const, reason: 'Not executed: Insufficient balance' };
    expect(c.classify({ type: 'alert.failed', alert: failed, message: 'Not executed: Insufficient balance' })).toEqual([
      { kind: 'errors', title: 'Alert not executed', body: 'ma-cross buy BINANCE:BTCUSDT: Insufficient balance', at: 1000 },
    ]);
    expect(c.classify({ type: 'alert.updated', alert: failed })).toEqual([]);
    expect(c.classify({ type: 'alert.skipped', alert: { ...failed, status: 'skipped' }, message: 'paused' })).toEqual([]);
  });

  it('tells fills, and failed protective orders (entry failures come as alert.failed)', () => {
    const c = createNoticeClassifier(() => 5);
    const order = {
      clientOrderId: 'pb-1', alertId: 'A1', leg: 0, account: 'main', mode: 'paper', exchange: 'binance', strategy: 'ma-cross',
      symbol: 'BTC/USDT', side: 'buy', type: 'market', amount: 0.01, price: null, purpose: 'entry', status: 'closed',
      exchangeOrderId: '1', filled: 0.01, average: 65000, errorCode: null, errorMessage: null, attempts: 1, createdAt: 0, sentAt: 0, updatedAt: 0,
    } as const;
    expect(c.classify({ type: 'order.filled', order, fill: { amount: 0.004, price: 64999.5, fee: 0, feeCurrency: null } })).toEqual([
      { kind: 'fills', title: 'Order filled', body: 'BUY 0.004 BTC/USDT @ 64999.5 (ma-cross, PAPER)', at: 5 },
    ]);
    const stop = { ...order, side: 'sell', purpose: 'stop_loss', mode: 'live' } as const;
    expect(c.classify({ type: 'order.filled', order: stop, fill: { amount: 0.01, price: 63000, fee: 0.1, feeCurrency: 'USDT' } })).toMatchObject([
      { kind: 'fills', title: 'Stop loss filled', body: 'SELL 0.01 BTC/USDT @ 63000 (ma-cross, LIVE)' },
    ]);
    expect(c.classify({ type: 'order.failed', order: stop, message: 'Stop price would trigger immediately' })).toMatchObject([
      { kind: 'errors', title: 'Protective order failed', body: 'stop loss: SELL 0.01 BTC/USDT (ma-cross, LIVE): Stop price would trigger immediately' },
    ]);
    expect(c.classify({ type: 'order.failed', order, message: 'Insufficient balance' })).toEqual([]);
  });

  it('says "tunnel down" once when it goes offline, and "URL changed" only for a different URL', () => {
    const c = createNoticeClassifier();
    expect(c.classify(tunnel('starting', null))).toEqual([]);
    expect(c.classify(tunnel('online', 'https://pine-abc.loca.lt'))).toEqual([]); // the first URL is not a change
    expect(c.classify(tunnel('offline', 'https://pine-abc.loca.lt', 'connection refused'))).toMatchObject([
      { kind: 'tunnelDown', body: 'TradingView cannot reach Pinebridge: connection refused. Reconnecting…' },
    ]);
    expect(c.classify(tunnel('offline', 'https://pine-abc.loca.lt'))).toEqual([]); // still down: no repeat
    expect(c.classify(tunnel('online', 'https://pine-abc.loca.lt'))).toEqual([]);
    expect(c.classify(tunnel('online', 'https://other-xyz.loca.lt'))).toMatchObject([
      { kind: 'urlChanged', body: 'New URL: https://other-xyz.loca.lt/webhook — update the webhook URL of your TradingView alerts.' },
    ]);
  });

  it('notifies a breaker opening once, and picks up future fill and breaker events', () => {
    const c = createNoticeClassifier();
    const status = (state: 'closed' | 'open'): BusEvent => ({
      type: 'status',
      status: {
        version: 'x',
        mode: 'live',
        startedAt: 0,
        webhook: { listening: true, port: 1, host: '127.0.0.1' },
        journal: { path: '', alerts: 0 },
        trading: { paused: false, reason: null },
        breaker: { state, failures: 5, reason: '5 execution failures in 60 s', reopensAt: null },
      },
    });
    expect(c.classify(status('closed'))).toEqual([]);
    expect(c.classify(status('open'))).toMatchObject([{ kind: 'breaker', body: '5 execution failures in 60 s. Re-arm it by hand in the dashboard.' }]);
    expect(c.classify(status('open'))).toEqual([]);

    // A type not in EngineEvent yet: picked up by its type string.
    expect(c.classify({ type: 'breaker', account: 'main', breaker: { state: 'open', reason: '3 failures', reopensAt: Date.UTC(2026, 0, 1, 14, 30) } })).toMatchObject([
      { kind: 'breaker', body: 'Account main: 3 failures. Re-arms at 14:30 UTC.' },
    ]);
    expect(c.classify({ type: 'something.new', x: 1 })).toEqual([]);
  });

  it('sends only the kinds switched on, read live from settings', async () => {
    const api = await fakeApi();
    const events = new EventBus();
    const toggles = { ...ALL_ON, rejectedAlerts: false };
    const notifier = createNotifier({
      events,
      channels: [{ sender: createTelegramSender({ token: TOKEN, chatId: '1', apiBaseUrl: api.base }), toggles: () => toggles, windowMs: 10, gatherMs: 1 }],
    });
    cleanups.push(() => notifier.stop());

    events.emit(rejected(1));
    await notifier.flush();
    expect(api.requests).toHaveLength(0);

    events.emit({ type: 'log', entry: { time: 1, level: 'error', msg: 'venue unreachable' } });
    await notifier.flush();
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]!.body.text).toBe('Error\nvenue unreachable');

    toggles.rejectedAlerts = true;
    events.emit(rejected(2));
    await notifier.flush();
    expect(api.requests).toHaveLength(2);
  });
});

// --- from a real engine --------------------------------------------------------------------------------------

describe('engine notifications', () => {
  async function engineWith(api: FakeApi, over: { telegram?: boolean; discord?: boolean } = {}) {
    const dir = tempDir();
    const secrets = createFileStore(dir.path);
    await secrets.set(NOTIFY_SECRET_NAMES.telegramToken, TOKEN);
    await secrets.set(NOTIFY_SECRET_NAMES.discordWebhookUrl, DISCORD_URL);
    const consoleOut = new PassThrough();
    let logged = '';
    consoleOut.on('data', (c: Buffer) => (logged += c.toString('utf8')));
    const engine: Engine = await createEngine({
      dataDir: dir.path,
      secrets,
      webhookSecret: 'engine-test-webhook-secret-0123456789',
      overrides: {
        webhook: { port: 0 },
        control: { port: 0 },
        notifications: {
          batchWindowSec: 1,
          telegram: { enabled: over.telegram ?? true, chatId: '-100777', apiBaseUrl: api.base },
          discord: { enabled: over.discord ?? false, apiBaseUrl: api.base },
        },
      },
      log: { console: consoleOut, level: 'debug', json: true },
    });
    const { webhookPort } = await engine.start();
    cleanups.push(async () => {
      await engine.stop();
      dir.cleanup();
    });
    const postBadAlert = () =>
      fetch(`http://127.0.0.1:${webhookPort}/webhook`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ secret: 'wrong-secret', strategy: 'ma-cross', action: 'buy', symbol: 'BTCUSDT', quantity: '1' }),
      });
    return { engine, dir, webhookPort, postBadAlert, logged: () => logged };
  }

  it('sends a rejected alert to Telegram and never logs the bot token, even when the API echoes it', async () => {
    const api = await fakeApi();
    // A hostile or buggy API answer that contains the token must not reach the log.
    api.respond = (r) => ({ status: 401, body: { ok: false, error_code: 401, description: `Unauthorized: ${r.url}` } });
    const { engine, postBadAlert, logged } = await engineWith(api);

    expect((await postBadAlert()).status).toBe(401);
    await api.waitFor(1);
    expect(api.requests[0]!.url).toBe(`/bot${TOKEN}/sendMessage`);
    expect(api.requests[0]!.body.chat_id).toBe('-100777');
    expect(api.requests[0]!.body.text).toMatch(/^Pinebridge · PAPER\nAlert rejected\n/);
    await until(() => logged().includes('notification not sent'));
    await engine.stop();

    const fileLog = readFileSync(engine.paths.logFile, 'utf8');
    for (const text of [logged(), fileLog, JSON.stringify(await engine.api.recentLogs({ limit: 1000 }))]) {
      expect(text).toContain('telegram notification not sent: Telegram: Unauthorized: /bot[redacted]/sendMessage');
      expect(text).not.toContain(TOKEN);
      expect(text).not.toContain(TOKEN.split(':')[1]);
    }
  });

  it('tells Telegram about a paper fill, end to end through the execution worker', async () => {
    const api = await fakeApi();
    const { engine, webhookPort } = await engineWith(api);
    const res = await fetch(`http://127.0.0.1:${webhookPort}/webhook`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({
        secret: 'engine-test-webhook-secret-0123456789',
        strategy: 'ma-cross',
        action: 'buy',
        symbol: 'BINANCE:BTCUSDT',
        quantity: '0.01',
        order_type: 'market',
        price: '65000',
        id: 'fill-notify-1',
      }),
    });
    expect(res.status).toBe(200);
    await until(() => api.requests.some((r) => r.body.text.includes('Order filled')), 10_000);
    const text = api.requests.map((r) => r.body.text).join('\n');
    expect(text).toMatch(/Order filled\nBUY 0\.01 BTC\/USDT @ [\d.]+ \(ma-cross, PAPER\)/);
    expect(engine.settings.mode).toBe('paper');
  });

  it('picks up a channel switched on from the UI without a restart', async () => {
    const api = await fakeApi();
    api.respond = () => ({ status: 204 });
    const { engine, postBadAlert, logged } = await engineWith(api, { telegram: false, discord: false });

    await postBadAlert();
    await new Promise((r) => setTimeout(r, 1300)); // longer than the gather time
    expect(api.requests).toHaveLength(0);

    await engine.api.updateSettings({ patch: { notifications: { discord: { enabled: true } } } });
    await until(() => logged().includes('notifications go to discord'));
    await postBadAlert();
    await api.waitFor(1);
    expect(api.requests[0]!.url).toBe(`/api/webhooks/112233445566778899/${DISCORD_TOKEN}`);
    expect(api.requests[0]!.body.content).toContain('**Alert rejected**');
    expect(logged()).not.toContain(DISCORD_TOKEN);
  });
});

async function until(cond: () => boolean, timeoutMs = 5000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 5));
  }
}
