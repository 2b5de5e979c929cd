import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EngineEvent, ReconAssetDto, ReconciliationDto } from '../../shared/api.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { buy, startRisk, type RiskHarness } from './risk-harness.js';

/**
 * Reconciliation: the ledger against the exchange's balances (real ccxt, the simulator). The
 * account holds coins of its own, so the comparison is against the baseline taken when it was
 * first seen; an injected drift (sim.setBalance) is reported with the numbers and nothing is
 * ever traded to fix it.
 */
async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > end) throw new Error(`${what}: not within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const row = (r: ReconciliationDto, asset: string): ReconAssetDto | undefined => r.assets.find((a) => a.asset === asset);
const ORDER_CALLS = (sim: Simulator) => sim.requests().filter((q) => q.path.startsWith('/api/v3/order') && q.method !== 'GET').length;

describe('reconciliation against the exchange simulator', () => {
  let sim: Simulator;
  let h: RiskHarness;

  beforeAll(async () => {
    sim = await startExchangeSimulator({ balances: { USDT: 10_000, BTC: 1, ETH: 10 }, prices: { BTCUSDT: 65_000 } });
    h = await startRisk({ sim, overrides: { reconciliation: { intervalSec: 0 } } });
  });
  afterAll(async () => {
    await h?.close();
    await sim?.close();
  });

  it('on start, takes the baseline: what the account holds beyond Pinebridge\'s trades is its own', async () => {
    const [first] = await until('the start reconciliation', async () => {
      const list = await h.engine.api.getReconciliation({});
      return list.length > 0 && list;
    });
    expect(first).toMatchObject({ account: 'main', mode: 'live', exchange: 'binance', trigger: 'start', status: 'ok', openOrders: 0 });
    expect(first!.message).toMatch(/^baseline taken/);
    expect(row(first!, 'BTC')).toMatchObject({ exchange: 1, baseline: 1, ledger: 0, expected: 1, difference: 0, drift: false });
    expect(row(first!, 'USDT')).toMatchObject({ exchange: 10_000, baseline: 10_000, drift: false });
  });

  it("after trades (fees in the coin, a resting order's locked funds) the ledger still matches", async () => {
    expect((await h.run(buy({ quantity: '0.01', price: '65000' }))).status).toBe('executed');
    const rest = await h.run(buy({ strategy: 'resting', quantity: '0.01', order_type: 'limit', price: '60000' }));
    expect(h.intents(rest.id)[0]!.status).toBe('open');
    const [r] = await h.engine.api.reconcile({ account: 'main' });
    expect(r).toMatchObject({ status: 'ok', trigger: 'manual', openOrders: 1 });
    expect(row(r!, 'BTC')).toMatchObject({ exchange: 1.00999, baseline: 1, ledger: 0.00999, difference: 0, drift: false });
    expect(row(r!, 'USDT')).toMatchObject({ exchange: 9350, locked: 600, ledger: -650, expected: 9350, drift: false });
  });

  it('reports an injected drift with the numbers, as state and as an event, and trades nothing', async () => {
    const ordersBefore = sim.orders().length;
    const callsBefore = ORDER_CALLS(sim);
    sim.setBalance('BTC', '0.9');
    const [r] = await h.engine.api.reconcile({});
    expect(r!.status).toBe('drift');
    const btc = row(r!, 'BTC')!;
    expect(btc).toMatchObject({ exchange: 0.9, baseline: 1, ledger: 0.00999, expected: 1.00999, difference: -0.10999, drift: true });
    expect(btc.value).toBeCloseTo(0.10999 * 65_000, 6);
    expect(r!.assets.filter((a) => a.drift).map((a) => a.asset)).toEqual(['BTC']);
    expect(r!.message).toContain('BTC: the exchange holds 0.9, 0.10999 less than the 1.00999 expected (baseline 1 + Pinebridge 0.00999), worth 7,149.35 USD');
    expect(r!.message).toContain('Nothing was traded');

    const event = h.events.filter((e): e is Extract<EngineEvent, { type: 'reconciliation' }> => e.type === 'reconciliation').at(-1);
    expect(event?.reconciliation).toMatchObject({ account: 'main', status: 'drift' });
    expect(h.engine.journal().events.recent(10, 'reconciliation')[0]!.data).toMatchObject({ reconciliation: { status: 'drift' } });
    expect((await h.engine.api.getReconciliation({ account: 'main' }))[0]).toMatchObject({ status: 'drift' });

    // It never trades to "fix" it: no order placed or cancelled, the resting one still rests.
    expect(ORDER_CALLS(sim)).toBe(callsBefore);
    expect(sim.orders()).toHaveLength(ordersBefore);
    expect(sim.openOrders()).toHaveLength(1);
  });

  it('a difference worth less than the tolerance (1 USD) is not a drift; accepting the balances takes a new baseline', async () => {
    const usdt = sim.balance('USDT');
    sim.setBalance('USDT', String(usdt.free + 0.5));
    const [still] = await h.engine.api.reconcile({});
    expect(row(still!, 'USDT')).toMatchObject({ difference: 0.5, value: 0.5, drift: false });
    expect(still!.status).toBe('drift'); // BTC is still off

    const accepted = await h.engine.api.acceptReconciliation({ account: 'main' });
    expect(accepted.status).toBe('ok');
    expect(row(accepted, 'BTC')).toMatchObject({ exchange: 0.9, baseline: 0.89001, ledger: 0.00999, difference: 0, drift: false });
    expect(accepted.baselineAt).toBeGreaterThan(0);
    const ok = h.events.filter((e): e is Extract<EngineEvent, { type: 'reconciliation' }> => e.type === 'reconciliation').at(-1);
    expect(ok?.reconciliation.status).toBe('ok');
  });
  it('an accepted market order whose fill is not read yet is in flight: no baseline is accepted until it settles', async () => {
    const resting = (await h.engine.api.reconcile({ account: 'main' }))[0]!.openOrders;
    const j = h.engine.journal();
    const alertId = `acked-${Date.now()}`;
    j.alerts.record({
      id: alertId, receivedAt: Date.now(), source: '127.0.0.1', dialect: 'native', strategy: 'ma-cross', action: 'buy', symbol: 'BTC/USDT', idemKey: alertId,
      idemSince: 0, body: '{}', signal: { strategy: 'ma-cross' }, status: 'accepted', httpStatus: 200, reasonCode: null, reason: null,
    });
    const clientOrderId = `${alertId}-0`;
    j.intents.insert([{
      clientOrderId, alertId, leg: 0, account: 'main', mode: 'live', exchange: 'binance', strategy: 'ma-cross', symbol: 'BTC/USDT',
      side: 'buy', type: 'market', amount: 0.01, price: null, triggerPrice: null, params: {}, purpose: 'entry', createdAt: Date.now(),
    }]);
    // As an exchange that answers an id only leaves it: open, nothing filled as far as the journal knows.
    j.intents.applyOrder(clientOrderId, { status: 'open', exchangeOrderId: 'x1', filled: 0, average: null, fee: 0, feeCurrency: null }, Date.now());
    await expect(h.engine.api.acceptReconciliation({ account: 'main' })).rejects.toThrow(/1 order\(s\) of account main are in flight/);
    const [r] = await h.engine.api.reconcile({ account: 'main' });
    // Not a resting order: an order in flight (the message says so; a drift now would be while it is in flight).
    expect(r!.openOrders).toBe(resting);
    j.intents.applyOrder(clientOrderId, { status: 'cancelled', exchangeOrderId: 'x1', filled: 0, average: null, fee: 0, feeCurrency: null }, Date.now());
    expect((await h.engine.api.acceptReconciliation({ account: 'main' })).status).toBe('ok');
  });
});

describe('reconciliation, periodic and in paper mode', () => {
  it('runs every intervalSec by itself and finds a drift without being asked', async () => {
    const sim = await startExchangeSimulator({ balances: { USDT: 10_000, BTC: 1 } });
    const h = await startRisk({ sim, overrides: { reconciliation: { intervalSec: 1 } } });
    try {
      await until('the start reconciliation', async () => (await h.engine.api.getReconciliation({}))[0]?.status === 'ok');
      sim.setBalance('BTC', '0.5');
      const drift = await until('a periodic drift', async () =>
        h.events.find((e): e is Extract<EngineEvent, { type: 'reconciliation' }> => e.type === 'reconciliation' && e.reconciliation.status === 'drift'),
      );
      expect(drift.reconciliation).toMatchObject({ trigger: 'periodic' });
      expect(row(drift.reconciliation, 'BTC')).toMatchObject({ exchange: 0.5, expected: 1, difference: -0.5, drift: true });
      expect(sim.orders()).toHaveLength(0);
    } finally {
      await h.close();
      await sim.close();
    }
  });

  it('the paper book matches the ledger after trades with fees and slippage', async () => {
    const h = await startRisk({ overrides: { paper: { balances: { USDT: 10_000 }, feeRate: 0.001, slippageBps: 10 } } });
    try {
      await h.run(buy({ symbol: 'SOLUSDT', quantity: '3', price: '150' }));
      await h.run(buy({ symbol: 'SOLUSDT', action: 'sell', quantity: '1', price: '155' }));
      const [r] = await h.engine.api.reconcile({ account: 'main' });
      expect(r).toMatchObject({ exchange: 'paper', status: 'ok' });
      expect(row(r!, 'SOL')).toMatchObject({ baseline: 0, drift: false });
      expect(row(r!, 'SOL')!.exchange).toBeCloseTo(2, 10);
      expect(row(r!, 'USDT')!.difference).toBeCloseTo(0, 8);
    } finally {
      await h.close();
    }
  });
});
