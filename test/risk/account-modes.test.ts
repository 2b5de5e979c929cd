import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialName } from '../../main/engine/core/ports.js';
import { createMemoryStore } from '../../main/engine/secrets/index.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { buy, EXACT_PAPER, FAST, startRisk, type RiskHarness } from './risk-harness.js';

/**
 * An account alias is exchange + mode + keys: here the engine trades on paper, while the account
 * "sim" names its own mode (testnet, the simulator standing for the exchange's testnet). Each
 * alert trades in its account's mode; positions, P&L, reconciliation and the account list say
 * which; putting an account on live asks for the same confirmation as the global switch.
 */
describe('accounts with their own mode', () => {
  let sim: Simulator;
  let h: RiskHarness;

  beforeAll(async () => {
    sim = await startExchangeSimulator({ balances: { USDT: 10_000 }, prices: { BTCUSDT: 65_000 } });
    const secrets = createMemoryStore();
    await secrets.set(credentialName('sim', 'testnet', 'apiKey'), sim.apiKey);
    await secrets.set(credentialName('sim', 'testnet', 'secret'), sim.secret);
    h = await startRisk({
      secrets,
      overrides: {
        ...EXACT_PAPER,
        ...FAST,
        mode: 'paper',
        accounts: [{ name: 'sim', mode: 'testnet', exchange: 'binance', exchangeUrl: sim.url }],
        strategies: [{ name: 'on-sim', account: 'sim', symbol: 'BINANCE:BTCUSDT', quantity: '0.001' }],
        limits: { maxAlertAgeSec: null },
      },
    });
  });
  afterAll(async () => {
    await h?.close();
    await sim?.close();
  });

  it('trades each alert in its account\'s mode: the default account on paper, "sim" on the testnet exchange', async () => {
    const paper = await h.run(buy({ strategy: 'plain', quantity: '0.001', price: '65000' }));
    const testnet = await h.run(buy({ strategy: 'on-sim', quantity: '0.002', price: '65000' }));
    for (const a of [paper, testnet]) expect(a.status, a.reason ?? '').toBe('executed');
    expect(h.intents(paper.id)[0]).toMatchObject({ account: 'main', mode: 'paper', exchange: 'paper' });
    expect(h.intents(testnet.id)[0]).toMatchObject({ account: 'sim', mode: 'testnet', exchange: 'binance' });
    // Only the testnet alert reached the exchange.
    expect(sim.orders().map((o) => o.clientOrderId)).toEqual([`pb${testnet.id}-0`]);

    const positions = h.engine.journal().positions;
    expect(positions.get({ account: 'main', mode: 'paper', strategy: 'plain', symbol: 'BTC/USDT' }).qty).toBeCloseTo(0.001, 12);
    expect(positions.get({ account: 'sim', mode: 'testnet', strategy: 'on-sim', symbol: 'BTC/USDT' }).qty).toBeGreaterThan(0.0019);
    expect(positions.get({ account: 'sim', mode: 'paper', strategy: 'on-sim', symbol: 'BTC/USDT' }).qty).toBe(0);

    const accounts = await h.engine.api.listAccounts({});
    expect(accounts.map((a) => [a.name, a.mode, a.exchange, a.exchangeUrl, a.keysSet])).toEqual([
      ['main', 'paper', 'paper', null, true],
      ['sim', 'testnet', 'binance', sim.url, true],
    ]);
    const pnl = await h.engine.api.getPnlSummary({});
    expect(pnl.byStrategy.map((r) => [r.account, r.mode, r.strategy, r.fills])).toEqual([
      ['main', 'paper', 'plain', 1],
      ['sim', 'testnet', 'on-sim', 1],
    ]);
  });

  it('reconciles each account against where it trades: the paper book, and the testnet exchange', async () => {
    const results = await h.engine.api.reconcile({});
    expect(results.map((r) => [r.account, r.mode, r.exchange, r.status])).toEqual([
      ['main', 'paper', 'paper', 'ok'],
      ['sim', 'testnet', 'binance', 'ok'],
    ]);
    // A withdrawal on the exchange shows on the testnet account only.
    sim.setBalance('USDT', 5_000);
    const [simResult] = await h.engine.api.reconcile({ account: 'sim' });
    expect(simResult).toMatchObject({ account: 'sim', mode: 'testnet', status: 'drift' });
    expect(simResult!.message).toMatch(/USDT/);
    expect((await h.engine.api.getReconciliation({ account: 'main' }))[0]).toMatchObject({ mode: 'paper', status: 'ok' });
  });

  it('putting an account on live needs the explicit confirmation; then it needs live keys, and test alerts are refused', async () => {
    const live = { accounts: [{ name: 'sim', mode: 'live' as const, exchange: 'binance', exchangeUrl: sim.url }] };
    await expect(h.engine.api.updateSettings({ patch: live })).rejects.toMatchObject({ code: 'confirm_live' });
    expect((await h.engine.api.listAccounts({})).find((a) => a.name === 'sim')?.mode).toBe('testnet');

    const saved = await h.engine.api.updateSettings({ patch: live, confirmLive: true });
    expect(saved.mode).toBe('paper');
    expect(saved.accounts).toEqual([{ name: 'sim', mode: 'live', exchange: 'binance', exchangeUrl: sim.url }]);
    expect((await h.engine.api.listAccounts({})).find((a) => a.name === 'sim')).toMatchObject({ mode: 'live', keysSet: false });
    await expect(h.engine.api.sendTestAlert({ strategy: 'on-sim', via: 'local' })).rejects.toMatchObject({ code: 'live_test_refused' });

    const before = sim.orders().length;
    const noKeys = await h.run(buy({ strategy: 'on-sim', quantity: '0.001', price: '65000' }));
    expect(noKeys).toMatchObject({ status: 'failed', reasonCode: 'MissingCredentials' });
    expect(noKeys.reason).toMatch(/No live API keys for account "sim"/);
    expect(sim.orders()).toHaveLength(before);
    // The default account still trades on paper.
    expect((await h.run(buy({ strategy: 'plain', quantity: '0.001', price: '65000' }))).status).toBe('executed');
  });
});
