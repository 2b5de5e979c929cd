/**
 * Which engine events become notices (and which are routine), and the per-kind switches read
 * live from settings.
 */
import { afterEach, describe, expect, it } from 'vitest';
import type { AlertSummaryDto, EngineEvent, TunnelStatusDto } from '../../shared/api.js';
import { EventBus } from '../../main/engine/core/event-bus.js';
import { createNoticeClassifier, createNotifier, createTelegramSender, type BusEvent } from '../../main/engine/notify/index.js';
import { ALL_ON, TOKEN, cleanUp, cleanups, fakeApi, rejected } from './support.js';

afterEach(cleanUp);

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
