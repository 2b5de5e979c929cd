import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { rawRequest } from './support/raw-http.js';
import { startHarness, TEST_SECRET, type Harness } from './support/engine-harness.js';

const native = (over: Record<string, unknown> = {}) => ({
  secret: TEST_SECRET,
  strategy: 'ma-cross',
  action: 'buy',
  symbol: 'BINANCE:BTCUSDT',
  quantity: '0.01',
  order_type: 'market',
  price: '65000.5',
  id: `Long-${Math.random()}`,
  time: '2026-11-25T10:00:00Z',
  ...over,
});

describe('webhook intake', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness();
  });
  afterEach(async () => {
    await h.close();
  });

  it('accepts a native alert, journals it without the secret, and answers with its id', async () => {
    const res = await h.post(native({ stop_loss: '64000', take_profit: '2%', extra_field: 'kept' }));
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('accepted');
    expect(res.body.alertId).toMatch(/^[0-9A-Z]{26}$/);

    const row = h.engine.journal().alerts.get(res.body.alertId);
    expect(row?.status).toBe('accepted');
    expect(row?.strategy).toBe('ma-cross');
    expect(row?.body).not.toContain(TEST_SECRET);
    expect(JSON.parse(row!.body)).toMatchObject({ extra_field: 'kept', symbol: 'BINANCE:BTCUSDT' });
    expect(JSON.parse(row!.body)).not.toHaveProperty('secret');
    expect(row?.signal).toMatchObject({
      dialect: 'native',
      action: 'buy',
      symbol: 'BINANCE:BTCUSDT',
      quantity: { kind: 'base', value: 0.01 },
      orderType: 'market',
      price: 65000.5,
      stopLoss: { price: 64000 },
      takeProfit: { percent: 2 },
      time: Date.parse('2026-11-25T10:00:00Z'),
    });
    expect(row?.signal).not.toHaveProperty('extra_field');
  });

  it('tries JSON first for text/plain bodies (what TradingView sends)', async () => {
    const res = await h.post(JSON.stringify(native()), { contentType: 'text/plain; charset=utf-8' });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('accepted');
  });

  it('accepts every quantity form and the target-position form', async () => {
    const cases: [unknown, unknown][] = [
      [0.5, { kind: 'base', value: 0.5 }],
      ['100usdt', { kind: 'quote', value: 100, currency: 'USDT' }],
      ['250 USD', { kind: 'quote', value: 250, currency: 'USD' }],
      ['100eur', { kind: 'quote', value: 100, currency: 'EUR' }],
      ['0.5eth', { kind: 'quote', value: 0.5, currency: 'ETH' }],
      ['25%', { kind: 'percent', value: 25 }],
    ];
    for (const [quantity, expected] of cases) {
      const res = await h.post(native({ quantity }));
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      expect(h.engine.journal().alerts.get(res.body.alertId)?.signal).toMatchObject({ quantity: expected });
    }
    const risk = await h.post(native({ quantity: 'risk=1%', stop_loss: 64000 }));
    expect(risk.status).toBe(200);
    expect(h.engine.journal().alerts.get(risk.body.alertId)?.signal).toMatchObject({ quantity: { kind: 'risk', percent: 1 } });

    const { action: _a, ...noAction } = native();
    const target = await h.post({ ...noAction, position: '-0.02' });
    expect(target.status).toBe(200);
    expect(h.engine.journal().alerts.get(target.body.alertId)?.signal).toMatchObject({ targetPosition: -0.02 });
    expect(h.engine.journal().alerts.get(target.body.alertId)?.signal).not.toHaveProperty('action');
  });

  it('defaults strategy to "default" and accepts the seed document message unchanged', async () => {
    // Exactly what the tutorial's Pine Script sends: price as a number, time as epoch ms string.
    const seed = { action: 'buy', symbol: 'BTCUSDT', secret: TEST_SECRET, price: 65000.25, time: '1764064800000' };
    const res = await h.post(seed);
    expect(res.status).toBe(200);
    const row = h.engine.journal().alerts.get(res.body.alertId);
    expect(row?.dialect).toBe('seed');
    expect(row?.strategy).toBe('default');
    expect(row?.signal).toMatchObject({ action: 'buy', symbol: 'BTCUSDT', price: 65000.25, time: 1764064800000 });
  });

  it('accepts TradersPost-style JSON with the secret in the path', async () => {
    const tp = {
      ticker: 'ETHUSDT',
      action: 'sell',
      sentiment: 'flat',
      quantity: 2,
      price: 3000,
      takeProfit: { limitPrice: 2800 },
      stopLoss: { type: 'stop', stopPrice: 3100 },
    };
    const res = await h.post(tp, { path: `/webhook/${TEST_SECRET}` });
    expect(res.status).toBe(200);
    const row = h.engine.journal().alerts.get(res.body.alertId);
    expect(row?.dialect).toBe('traderspost');
    // sell + sentiment flat: the strategy ends flat (the semantics table's market-flat row).
    expect(row?.signal).toMatchObject({
      action: 'sell',
      marketPosition: 'flat',
      semantics: { row: 'market-flat', dependsOnPosition: true },
      symbol: 'ETHUSDT',
      quantity: { kind: 'base', value: 2 },
      takeProfit: { price: 2800 },
      stopLoss: { price: 3100 },
    });
    const exit = await h.post({ ticker: 'ETHUSDT', action: 'exit' }, { path: `/webhook/${TEST_SECRET}` });
    expect(h.engine.journal().alerts.get(exit.body.alertId)?.signal).toMatchObject({ action: 'exit', semantics: { row: 'close-all' } });
  });

  it('refuses a missing or wrong secret with 401 and journals the attempt without it', async () => {
    const { secret: _s, ...noSecret } = native();
    const missing = await h.post(noSecret);
    expect(missing.status).toBe(401);
    expect(missing.body.error.code).toBe('missing_secret');

    const wrong = await h.post(native({ secret: 'not-the-secret-at-all' }));
    expect(wrong.status).toBe(401);
    expect(wrong.body.error).toMatchObject({ code: 'bad_secret' });
    expect(wrong.body.error.message).not.toContain(TEST_SECRET);

    const wrongPath = await h.post(native(), { path: '/webhook/nope-nope-nope' });
    expect(wrongPath.status).toBe(401);

    const row = h.engine.journal().alerts.get(wrong.body.alertId);
    expect(row?.status).toBe('rejected');
    expect(row?.reasonCode).toBe('bad_secret');
    expect(row?.body).not.toContain('not-the-secret-at-all');
    expect(row?.body).not.toContain(TEST_SECRET);
  });

  it.each([
    ['malformed JSON', '{"action": "buy", "symbol": ', 400, 'malformed_json'],
    ['not JSON at all', 'buy BTCUSDT now please', 400, 'not_json'],
    ['an array', '[1,2,3]', 400, 'not_an_object'],
    ['an empty body', '', 400, 'empty_body'],
  ])('rejects %s with a clear error', async (_name, body, status, code) => {
    const res = await h.post(body, { contentType: 'text/plain' });
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message.length).toBeGreaterThan(20);
    expect(h.engine.journal().alerts.get(res.body.alertId)?.status).toBe('rejected');
  });

  it.each([
    ['a symbol of the wrong type', { symbol: 42 }, 'invalid_field', /symbol/],
    ['a missing symbol', { symbol: undefined }, 'missing_field', /symbol/],
    ['a negative quantity', { quantity: '-1' }, 'invalid_quantity', /greater than 0/],
    ['a zero quantity', { quantity: 0 }, 'invalid_quantity', /greater than 0/],
    ['a NaN quantity', { quantity: 'NaN' }, 'invalid_quantity', /quantity/],
    ['an Infinity quantity', { quantity: 'Infinity' }, 'invalid_quantity', /quantity/],
    ['an overflowing quantity', { quantity: '1e999' }, 'invalid_quantity', /quantity/],
    ['more than 100%', { quantity: '150%' }, 'invalid_quantity', /100%/],
    ['an absurdly large quantity', { quantity: 1e308 }, 'invalid_quantity', /quantity is out of range: 1e\+308 is more than 1000000000000000/],
    ['an absurdly small quantity', { quantity: '1e-300' }, 'invalid_quantity', /quantity is out of range: 1e-300 is less than 1e-15/],
    ['an absurd price', { price: '1e300' }, 'invalid_field', /price is out of range/],
    ['an unknown action', { action: 'yolo' }, 'unknown_action', /yolo.*buy, sell/],
    ['a non-numeric price', { price: 'cheap' }, 'invalid_field', /price/],
    ['risk sizing without a stop', { quantity: 'risk=1%' }, 'invalid_quantity', /stop_loss/],
    ['a bad time', { time: 'yesterday-ish' }, 'invalid_field', /time/],
  ])('rejects %s with 400 and a message naming the field', async (_name, over, code, message) => {
    const res = await h.post(native(over));
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message).toMatch(message);
  });

  it('names an unreplaced placeholder, whether or not it breaks the JSON', async () => {
    const quoted = await h.post(native({ action: '{{strategy.order.action}}' }));
    expect(quoted.status).toBe(400);
    expect(quoted.body.error.code).toBe('unreplaced_placeholder');
    expect(quoted.body.error.message).toContain('{{strategy.order.action}}');
    expect(quoted.body.error.message).toContain('"action"');

    const raw = `{"secret":"${TEST_SECRET}","action":"buy","symbol":"BTCUSDT","price": {{close}} }`;
    const unquoted = await h.post(raw, { contentType: 'text/plain' });
    expect(unquoted.status).toBe(400);
    expect(unquoted.body.error.code).toBe('unreplaced_placeholder');
    expect(unquoted.body.error.message).toContain('{{close}}');
    const row = h.engine.journal().alerts.get(unquoted.body.alertId);
    expect(row?.body).toContain('{{close}}');
    expect(row?.body).not.toContain(TEST_SECRET);
  });

  it('refuses a body over 64 KiB with 413', async () => {
    const res = await h.post(native({ comment: 'x'.repeat(70 * 1024) }));
    expect(res.status).toBe(413);
    expect(res.body.error.code).toBe('body_too_large');
  });

  it('lets a client still sending a big body read the answer it got early (no reset under it)', async () => {
    // Answered before the body is read (413 from the Content-Length, 415, 404): if the server
    // closed at once, the bytes still arriving would meet a TCP reset, the client's write would
    // fail with EPIPE and the reset could discard the answer it had not read yet. Many at once
    // make that race likely.
    const port = Number(new URL(h.url).port);
    const big = Buffer.alloc(6 * 1024 * 1024, 'x');
    const kinds = [
      { path: '/webhook', type: 'application/json', status: 413, code: 'body_too_large' },
      { path: '/webhook', type: 'application/x-www-form-urlencoded', status: 415, code: 'unsupported_media_type' },
      { path: '/elsewhere', type: 'application/json', status: 404, code: 'not_found' },
    ];
    const sent = Array.from({ length: 15 }, (_, i) => ({ ...kinds[i % kinds.length]!, i }));
    const answers = await Promise.all(
      sent.map(({ path, type, i }) =>
        rawRequest(port, {
          head: [`POST ${path} HTTP/1.1`, `Host: 127.0.0.1:${port}`, `X-Forwarded-For: 10.9.0.${i + 1}`, 'Connection: close', `Content-Type: ${type}`, `Content-Length: ${big.length}`].join('\r\n'),
          body: big,
        }),
      ),
    );
    const got = answers.map((a) => [a.status, a.error ?? null, a.status ? (JSON.parse(a.body) as { error: { code: string } }).error.code : null]);
    expect(got).toEqual(sent.map((s) => [s.status, null, s.code]));
  });

  it('answers 405 with Allow for the wrong method, 404 elsewhere, and 415 for forms', async () => {
    const get = await fetch(h.url + '/webhook');
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(((await get.json()) as { error: { code: string } }).error.code).toBe('method_not_allowed');

    const nowhere = await fetch(h.url + '/admin', { method: 'POST' });
    expect(nowhere.status).toBe(404);
    expect(((await nowhere.json()) as { error: { code: string } }).error.code).toBe('not_found');

    const form = await h.post('a=1&b=2', { contentType: 'application/x-www-form-urlencoded' });
    expect(form.status).toBe(415);
    expect(form.body.error.code).toBe('unsupported_media_type');
  });

  it('answers GET /healthz', async () => {
    const res = await fetch(h.url + '/healthz');
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  it('treats a repeated id as a duplicate: 200 with the first id, never accepted twice', async () => {
    const alert = native({ id: 'Long-1764064800' });
    const first = await h.post(alert);
    const second = await h.post(alert);
    expect(first.body.status).toBe('accepted');
    expect(second.status).toBe(200);
    expect(second.body).toEqual({ status: 'duplicate', alertId: first.body.alertId });
    // Taken once: the worker may already be executing it, so any status but duplicate/rejected counts.
    const accepted = h.engine.journal().alerts.list({}).filter((a) => a.status !== 'duplicate' && a.status !== 'rejected');
    expect(accepted.map((a) => a.id)).toEqual([first.body.alertId]);

    // The same id from another strategy is another alert.
    const other = await h.post({ ...alert, strategy: 'other' });
    expect(other.body.status).toBe('accepted');
  });

  it('treats concurrent copies of one alert as one (same group commit)', async () => {
    const alert = native({ id: 'burst-dup' });
    const answers = await Promise.all(Array.from({ length: 20 }, () => h.post(alert)));
    const accepted = answers.filter((a) => a.body.status === 'accepted');
    expect(accepted).toHaveLength(1);
    expect(new Set(answers.map((a) => a.body.alertId))).toEqual(new Set([accepted[0]!.body.alertId]));
  });
});

describe('webhook intake with a controlled clock', () => {
  it('dedups id-less alerts by body hash only within the window', async () => {
    let now = Date.parse('2026-11-25T10:00:00Z');
    const h = await startHarness({ clock: { now: () => now }, overrides: { webhook: { dedupWindowSec: 60 } } });
    try {
      const { id: _id, ...alert } = native();
      const first = await h.post(alert);
      now += 30_000;
      const within = await h.post({ ...alert });
      // Key order and the secret do not change the hash.
      const reordered = await h.post(Object.fromEntries(Object.entries(alert).reverse()));
      now += 31_000;
      const after = await h.post(alert);
      expect(first.body.status).toBe('accepted');
      expect(within.body).toEqual({ status: 'duplicate', alertId: first.body.alertId });
      expect(reordered.body.status).toBe('duplicate');
      expect(after.body.status).toBe('accepted');
    } finally {
      await h.close();
    }
  });

  it('answers 429 with Retry-After when one source sends too much, and journals it', async () => {
    const h = await startHarness({ overrides: { webhook: { rateLimit: { burst: 5, perSecond: 0.5 } } } });
    try {
      const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => h.post(native({ id: `r${i}` }))));
      const limited = answers.filter((a) => a.status === 429);
      expect(answers.filter((a) => a.status === 200)).toHaveLength(5);
      expect(limited).toHaveLength(3);
      expect(Number(limited[0]!.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      expect(limited[0]!.body.error.code).toBe('rate_limited');
      expect(h.engine.journal().alerts.list({ status: 'rejected' })).toHaveLength(3);
    } finally {
      await h.close();
    }
  });

  it('slows down secret guessing: repeated wrong secrets from one source get 429', async () => {
    const h = await startHarness();
    try {
      const codes: string[] = [];
      for (let i = 0; i < 25; i++) codes.push((await h.post(native({ secret: `guess-${i}` }))).body.error.code);
      expect(codes.slice(0, 20).every((c) => c === 'bad_secret')).toBe(true);
      expect(codes.slice(20).every((c) => c === 'too_many_auth_failures')).toBe(true);
    } finally {
      await h.close();
    }
  });
});
