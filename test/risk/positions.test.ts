import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { buy, startRisk, type RiskHarness } from './risk-harness.js';

/**
 * The position ledger per account + strategy + symbol, live against the exchange simulator (real
 * ccxt): two strategies share one account (which also holds 1 BTC of its own); each one's close
 * sells exactly its own position, from fills only, and P&L is kept per strategy and per day.
 */
describe('two strategies on one account', () => {
  let sim: Simulator;
  let h: RiskHarness;

  beforeAll(async () => {
    sim = await startExchangeSimulator({ balances: { USDT: 10_000, BTC: 1 }, prices: { BTCUSDT: 65_000 } });
    h = await startRisk({ sim });
  });
  afterAll(async () => {
    await h?.close();
    await sim?.close();
  });

  it('each close sells only its own strategy\'s position; quantity, average entry, realized P&L and fees come from the fills', async () => {
    const a1 = await h.run(buy({ strategy: 'trend', quantity: '0.01', price: '65000' }));
    const b1 = await h.run(buy({ strategy: 'swing', quantity: '0.02', price: '65000' }));
    expect([a1.status, b1.status]).toEqual(['executed', 'executed']);
    // Binance takes a spot buy's fee (0.1%) in the coin: each strategy holds what it received.
    expect(h.position('trend', 'BTC/USDT')).toEqual({ qty: 0.00999, avgEntry: 65000, realizedPnl: 0, fees: 0.65 });
    expect(h.position('swing', 'BTC/USDT')).toEqual({ qty: 0.01998, avgEntry: 65000, realizedPnl: 0, fees: 1.3 });

    // A resting order moves no position: only fills do.
    const rest = await h.run(buy({ strategy: 'trend', quantity: '0.01', order_type: 'limit', price: '60000' }));
    expect(h.intents(rest.id)[0]!.status).toBe('open');
    expect(h.position('trend', 'BTC/USDT').qty).toBe(0.00999);
    const cancel = await h.run(buy({ strategy: 'trend', action: 'cancel' }));
    expect(cancel.status, cancel.reason ?? '').toBe('executed');
    expect(h.intents(rest.id)[0]!.status).toBe('cancelled');

    sim.setPrice('BTCUSDT', 66_000);
    const closeA = await h.run(buy({ strategy: 'trend', action: 'close', price: '66000' }));
    expect(closeA.status, closeA.reason ?? '').toBe('executed');
    expect(sim.ordersByClientId(`pb${closeA.id}-0`)[0]).toMatchObject({ side: 'SELL', origQty: 0.00999, status: 'FILLED' });
    const a = h.position('trend', 'BTC/USDT');
    expect(a.qty).toBe(0);
    expect(a.realizedPnl).toBeCloseTo(0.00999 * 1000, 8);
    expect(a.fees).toBeCloseTo(0.65 + 0.00999 * 66_000 * 0.001, 8);
    // The other strategy's trade and the account's own coin are untouched.
    expect(h.position('swing', 'BTC/USDT')).toEqual({ qty: 0.01998, avgEntry: 65000, realizedPnl: 0, fees: 1.3 });
    expect(sim.balance('BTC').free).toBeCloseTo(1 + 0.01998, 10);

    const closeB = await h.run(buy({ strategy: 'swing', action: 'close', price: '66000' }));
    expect(sim.ordersByClientId(`pb${closeB.id}-0`)[0]).toMatchObject({ side: 'SELL', origQty: 0.01998 });
    expect(h.position('swing', 'BTC/USDT').qty).toBe(0);
    expect(sim.balance('BTC').free).toBeCloseTo(1, 10);
    // Nothing more to close for either: the account's own BTC is not theirs.
    expect((await h.run(buy({ strategy: 'trend', action: 'close' }))).reasonCode).toBe('nothing_to_close');

    const positions = await h.engine.api.getPositions({ includeFlat: true });
    expect(positions.map((p) => [p.strategy, p.qty])).toEqual([
      ['swing', 0],
      ['trend', 0],
    ]);
  });

  it('P&L per strategy and per UTC day, from the ledger', async () => {
    const pnl = await h.engine.api.getPnlSummary({});
    const trend = pnl.byStrategy.find((r) => r.strategy === 'trend')!;
    const swing = pnl.byStrategy.find((r) => r.strategy === 'swing')!;
    expect(trend).toMatchObject({ account: 'main', mode: 'live', quote: 'USDT', fills: 2, openPositions: 0 });
    expect(trend.realizedPnl).toBeCloseTo(9.99, 8);
    expect(trend.net).toBeCloseTo(9.99 - 0.65 - 0.65934, 8);
    expect(swing.realizedPnl).toBeCloseTo(19.98, 8);
    expect(pnl.byDay).toHaveLength(1);
    expect(pnl.byDay[0]).toMatchObject({ day: new Date().toISOString().slice(0, 10), quote: 'USDT', fills: 4 });
    expect(pnl.byDay[0]!.net).toBeCloseTo(trend.net + swing.net, 8);
    expect((await h.engine.api.getPnlSummary({ strategy: 'swing' })).byStrategy.map((r) => r.strategy)).toEqual(['swing']);
  });
});
