import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AccountBreakerDto, EngineEvent } from '../../shared/api.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { tempDir } from '../support/temp-dir.js';
import { buy, ManualClock, startRisk, type RiskHarness } from './risk-harness.js';

/**
 * The circuit breaker per account, live against the exchange simulator (real ccxt): orders the
 * exchange fails on (a faulty simulator answering Binance's -1099, an error of the exchange's own) are execution failures; 3
 * within 10 minutes halt the account, a controlled clock runs the 15-minute cool-down, and a reset
 * re-arms it by hand. Refusals caused by the alert or the setup (insufficient balance, below the
 * minimum, unknown symbol, a short on spot) fail their alert and do not count.
 */
const LIMITS_OFF = { maxOrderNotional: null, maxPositionPerSymbol: null, maxTotalExposure: null, maxOrdersPerMinute: null, dailyLossLimit: null, maxAlertAgeSec: null };

describe('circuit breaker', () => {
  let sim: Simulator;
  let h: RiskHarness;
  const clock = new ManualClock();
  const dir = tempDir('pinebridge-risk-');
  const overrides = { limits: LIMITS_OFF, breaker: { maxFailures: 3, windowSec: 600, coolDownSec: 900 }, accounts: [{ name: 'second' }] };

  beforeAll(async () => {
    // 1,000 USDT: a 0.1 BTC buy (6,500 USDT) is refused by the exchange, a 0.001 BTC one fills.
    sim = await startExchangeSimulator({ balances: { USDT: 1000 } });
    h = await startRisk({ sim, clock, overrides, dataDir: dir.path, simAccounts: ['main', 'second'] });
  });
  afterAll(async () => {
    await h?.close(false);
    await sim?.close();
    dir.cleanup();
  });

  const good = (over: Record<string, unknown> = {}) => buy({ strategy: 'b', quantity: '0.001', price: '65000', ...over });
  const breaker = async (account = 'main'): Promise<AccountBreakerDto> => (await h.engine.api.getBreakers({})).find((b) => b.account === account)!;
  const breakerEvents = () => h.events.filter((e): e is Extract<EngineEvent, { type: 'breaker' }> => e.type === 'breaker');

  /** The exchange fails on the next order with an error of its own (Binance -1099: ccxt's ExchangeError). */
  async function fail(times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      sim.injectFault({ kind: 'exchangeError', method: 'POST', path: '/api/v3/order', code: -1099, msg: 'Not found, unauthenticated, or unauthorized.' });
      const a = await h.run(good());
      expect(a.status).toBe('failed');
      expect(h.intents(a.id)[0]).toMatchObject({ status: 'rejected', errorCode: 'ExchangeError' });
    }
  }

  it('does not count refusals caused by the alert or the setup: each fails its alert with its reason, the breaker stays closed', async () => {
    const mistakes: [Record<string, unknown>, RegExp][] = [
      // 1,000 USDT cannot buy 0.1 BTC (6,500 USDT): the exchange refuses it.
      [{ quantity: '0.1' }, /insufficient balance/i],
      // Below the market's minimum notional.
      [{ quantity: '0.00001' }, /minimum|notional|lot size/i],
      [{ symbol: 'BINANCE:NOSUCHCOIN' }, /NOSUCHCOIN/],
      // A short entry on a spot market.
      [{ action: 'sell', quantity: '0.01' }, /./],
    ];
    for (const [over, reason] of mistakes) {
      for (let i = 0; i < 4; i++) {
        const a = await h.run(good(over));
        expect(a.status, JSON.stringify(over)).toBe('failed');
        expect(a.reason).toMatch(reason);
      }
    }
    expect(await breaker()).toMatchObject({ state: 'closed', failures: 0 });
    expect((await h.run(good())).status).toBe('executed');
  });

  it('counts failures within the window only, then opens at the third: trading on the account halts, with an event, status and metrics', async () => {
    await fail(2);
    expect(await breaker()).toMatchObject({ state: 'closed', failures: 2 });
    clock.advance(601_000);
    await fail(1);
    expect(await breaker()).toMatchObject({ state: 'closed', failures: 1 });
    await fail(2);

    const b = await breaker();
    expect(b).toMatchObject({ state: 'open', failures: 3, openedAt: clock.now(), reopensAt: clock.now() + 900_000 });
    expect(b.reason).toMatch(/^3 execution failures within 10 min; the last: market buy 0\.001 BTC\/USDT: .*code -1099/i);
    expect(breakerEvents().at(-1)).toMatchObject({ account: 'main', breaker: { state: 'open' } });
    expect(h.engine.journal().events.recent(20, 'breaker')[0]!.data).toMatchObject({ account: 'main', breaker: { state: 'open' } });
    expect((await h.engine.api.getStatus({})).breaker).toMatchObject({ account: 'main', state: 'open', failures: 3 });
    // The one state says it, and every failure before the trip was streamed with its count (the account card follows it).
    expect((await h.engine.api.getStatus({})).state).toMatchObject({ kind: 'halted', label: 'Halted (breaker on account main)', account: 'main' });
    expect(breakerEvents().map((e) => `${e.breaker.state}:${e.breaker.failures}`)).toEqual(['closed:1', 'closed:2', 'closed:1', 'closed:2', 'open:3']);
    expect(breakerEvents().at(-2)!.breaker.lastFailure).toMatch(/code -1099/);
    expect((await h.engine.api.listAccounts({})).find((a) => a.name === 'main')!.reach).toMatchObject({ state: 'reachable', lastAnswerAt: expect.any(Number) });
    const metrics = (await h.engine.metrics.render()).body;
    expect(metrics).toContain('pinebridge_breaker_state{account="main",state="open"} 1');
    expect(metrics).toContain('pinebridge_breaker_state{account="main",state="closed"} 0');

    // Halted: a good alert is not executed, and the exchange is not even asked.
    const sent = sim.requestCount('POST', '/api/v3/order');
    const halted = await h.run(good());
    expect(halted).toMatchObject({ status: 'skipped', reasonCode: 'breaker_open' });
    expect(halted.reason).toMatch(/^trading on account main is halted: circuit breaker open \(3 execution failures.*\); it re-arms at \d\d:\d\d UTC, or reset it by hand$/);
    expect(sim.requestCount('POST', '/api/v3/order')).toBe(sent);

    // Per account: the other account's breaker is its own.
    const other = await h.run(good({ account: 'second' }));
    expect(other.status, other.reason ?? '').toBe('executed');
    expect(await breaker('second')).toMatchObject({ state: 'closed' });
  });

  it('stays open across a restart', async () => {
    await h.close(false);
    h = await startRisk({ sim, clock, overrides, dataDir: dir.path, simAccounts: ['main', 'second'] });
    expect(await breaker()).toMatchObject({ state: 'open', reason: expect.stringMatching(/^3 execution failures/) });
    expect((await h.run(good())).reasonCode).toBe('breaker_open');
  });

  it('re-arms after the cool-down (half-open); an order the exchange accepts closes it', async () => {
    clock.advance(899_000);
    expect((await breaker()).state).toBe('open');
    clock.advance(1000);
    expect(await breaker()).toMatchObject({ state: 'half-open', reopensAt: null });
    expect(breakerEvents().at(-1)).toMatchObject({ account: 'main', breaker: { state: 'half-open' } });
    const ok = await h.run(good());
    expect(ok.status, ok.reason ?? '').toBe('executed');
    expect(await breaker()).toMatchObject({ state: 'closed', failures: 0 });
    expect(breakerEvents().at(-1)).toMatchObject({ breaker: { state: 'closed' } });
  });

  it('half-open: the first failure opens it again at once', async () => {
    await fail(3);
    expect((await breaker()).state).toBe('open');
    clock.advance(900_000);
    expect((await breaker()).state).toBe('half-open');
    await fail(1);
    const b = await breaker();
    expect(b.state).toBe('open');
    expect(b.reason).toMatch(/^failed again after the cool-down: /);
  });

  it('re-arms by hand (resetBreaker), and trading goes on', async () => {
    expect((await breaker()).state).toBe('open');
    const reset = await h.engine.api.resetBreaker({ account: 'main' });
    expect(reset).toMatchObject({ account: 'main', state: 'closed', failures: 0, reason: 'reset by hand' });
    expect(breakerEvents().at(-1)).toMatchObject({ account: 'main', breaker: { state: 'closed' } });
    const ok = await h.run(good());
    expect(ok.status, ok.reason ?? '').toBe('executed');
    expect((await h.engine.metrics.render()).body).toContain('pinebridge_breaker_state{account="main",state="closed"} 1');
  });
});
