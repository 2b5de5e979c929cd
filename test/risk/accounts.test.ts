import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNoticeClassifier } from '../../main/engine/notify/index.js';
import type { CredentialsDto, EngineEvent } from '../../shared/api.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { buy, startRisk, type RiskHarness } from './risk-harness.js';

/**
 * Accounts: an alias is an exchange (and base URL) + the engine's mode + its own keys. Two
 * simulators stand for two exchange accounts; an alert names one, else its strategy's, else the
 * default. Positions, limits and breakers are per account.
 */
describe('accounts', () => {
  let simA: Simulator;
  let simB: Simulator;
  let h: RiskHarness;

  beforeAll(async () => {
    [simA, simB] = await Promise.all([
      startExchangeSimulator({ balances: { USDT: 10_000 }, prices: { BTCUSDT: 65_000 } }),
      startExchangeSimulator({ balances: { USDT: 10_000 }, prices: { BTCUSDT: 65_000 } }),
    ]);
    h = await startRisk({
      sim: simA,
      simAccounts: ['main', 'side'],
      overrides: {
        accounts: [{ name: 'side', exchange: 'binance', exchangeUrl: simB.url }],
        strategies: [{ name: 'on-side', account: 'side', symbol: 'BINANCE:BTCUSDT', quantity: '0.001' }],
        limits: { maxPositionPerSymbol: 1000, maxOrderNotional: null, maxAlertAgeSec: null },
        breaker: { maxFailures: 1, coolDownSec: 0 },
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await Promise.all([simA?.close(), simB?.close()]);
  });

  it('routes each alert to its account: named in the alert, else the strategy\'s, else the default', async () => {
    const byDefault = await h.run(buy({ strategy: 'plain', quantity: '0.001', price: '65000' }));
    const byStrategy = await h.run(buy({ strategy: 'on-side', quantity: '0.001', price: '65000' }));
    const named = await h.run(buy({ strategy: 'plain', account: 'side', quantity: '0.002', price: '65000' }));
    for (const a of [byDefault, byStrategy, named]) expect(a.status, a.reason ?? '').toBe('executed');
    expect(simA.ordersByClientId(`pb${byDefault.id}-0`)).toHaveLength(1);
    expect(simB.ordersByClientId(`pb${byStrategy.id}-0`)).toHaveLength(1);
    expect(simB.ordersByClientId(`pb${named.id}-0`)).toHaveLength(1);
    expect(simA.orders()).toHaveLength(1);
    expect(h.intents(named.id)[0]).toMatchObject({ account: 'side', exchange: 'binance' });
    // Positions per account + strategy: the same strategy holds one position per account.
    expect(h.position('plain', 'BTC/USDT', 'main').qty).toBeCloseTo(0.000999, 12);
    expect(h.position('plain', 'BTC/USDT', 'side').qty).toBeCloseTo(0.001998, 12);

    const accounts = await h.engine.api.listAccounts({});
    expect(accounts.map((a) => [a.name, a.exchangeUrl, a.isDefault, a.keysSet, a.strategies])).toEqual([
      ['main', simA.url, true, true, []],
      ['side', simB.url, false, true, ['on-side']],
    ]);
    const creds = await h.engine.api.listCredentials({});
    expect(creds.filter((c: CredentialsDto) => c.mode === 'live').map((c) => c.account)).toEqual(['main', 'side']);
  });

  it('refuses an alert naming an account that is not configured, before any exchange call', async () => {
    const a = await h.run(buy({ strategy: 'plain', account: 'typo', quantity: '0.001', price: '65000' }));
    expect(a).toMatchObject({ status: 'failed', reasonCode: 'unknown_account' });
    expect(a.reason).toBe('Not executed: the alert names account "typo", which is not configured (accounts: main, side). Add it in Settings > Accounts.');
  });

  it('measures global limits per account: a full position on one account does not block the other', async () => {
    // 0.015 BTC = 975 USDT on each account, under the 1,000 USDT per-symbol limit.
    expect((await h.run(buy({ strategy: 'fill', quantity: '0.014', price: '65000' }))).status).toBe('executed');
    const over = await h.run(buy({ strategy: 'fill', quantity: '0.001', price: '65000' }));
    expect(over).toMatchObject({ status: 'skipped', reasonCode: 'risk_max_position_per_symbol' });
    expect(over.reason).toMatch(/\(account main\); raise Settings > Limits > max position per symbol, or close part of the position first$/);
    const other = await h.run(buy({ strategy: 'fill', account: 'side', quantity: '0.001', price: '65000' }));
    expect(other.status, other.reason ?? '').toBe('executed');
  });

  it("opens one account's breaker only, and the trip is one notification (event and status carry the same account)", async () => {
    const classifier = createNoticeClassifier();
    const notices: string[] = [];
    const unsubscribe = h.engine.events.subscribe((e: EngineEvent) => {
      for (const n of classifier.classify(e)) if (n.kind === 'breaker') notices.push(n.body);
    });
    try {
      // The side account's exchange fails on the order with an error of its own.
      simB.injectFault({ kind: 'exchangeError', method: 'POST', path: '/api/v3/order', code: -1099, msg: 'Not found, unauthenticated, or unauthorized.' });
      const refused = await h.run(buy({ strategy: 'fail', account: 'side', quantity: '0.001', price: '65000' }));
      expect(refused.status).toBe('failed');
      expect(h.intents(refused.id)[0]).toMatchObject({ status: 'rejected', errorCode: 'ExchangeError' });
      expect((await h.engine.api.getBreakers({})).map((b) => [b.account, b.state])).toEqual([
        ['main', 'closed'],
        ['side', 'open'],
      ]);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatch(/^Account side: 1 execution failures within 10 min; the last: .*Re-arm it by hand in the dashboard\.$/);
      expect((await h.run(buy({ strategy: 'fill', account: 'side', quantity: '0.001', price: '65000' }))).reasonCode).toBe('breaker_open');
      expect((await h.run(buy({ strategy: 'small', quantity: '0.0001', price: '65000' }))).status).toBe('executed');
      // The status shows the halted account's breaker.
      expect((await h.engine.api.getStatus({})).breaker).toMatchObject({ account: 'side', state: 'open' });
    } finally {
      unsubscribe();
    }
  });
});
