import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { alertBody, FAST, startExec, type ExecHarness } from './exec-harness.js';

/**
 * Live mode: the real ccxt binance client (loaded lazily by the engine) against the exchange
 * simulator, through the webhook. Each test uses its own strategy; the simulator is one account.
 */
describe('live trading against the exchange simulator', () => {
  let sim: Simulator;
  let h: ExecHarness;
  const orders = (alertId: string, leg = 0) => sim.ordersByClientId(`pb${alertId}-${leg}`);

  beforeAll(async () => {
    sim = await startExchangeSimulator({ balances: { USDT: 100_000, BTC: 1, ETH: 10 } });
    h = await startExec({ sim, overrides: FAST });
  });
  afterAll(async () => {
    await h?.close();
    await sim?.close();
  });

  it('turns a market buy into exactly one exchange order with the deterministic clientOrderId, and the fill into the ledger', async () => {
    const a = await h.run(alertBody({ strategy: 'l-buy', quantity: '0.01', price: '65000' }));
    expect(a.status, a.reason ?? '').toBe('executed');
    const [o] = orders(a.id);
    expect(orders(a.id)).toHaveLength(1);
    expect(o).toMatchObject({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', status: 'FILLED', origQty: 0.01 });
    const [i] = h.intents(a.id);
    expect(i).toMatchObject({ status: 'filled', filled: 0.01, exchangeOrderId: String(o!.orderId), mode: 'live', exchange: 'binance', attempts: 1 });
    // Binance takes a spot buy's fee in the coin: the strategy holds what it received.
    expect(i!.feeCurrency).toBe('BTC');
    expect(h.position('l-buy', 'BTC/USDT').qty).toBeCloseTo(0.01 * 0.999, 12);

    const close = await h.run(alertBody({ strategy: 'l-buy', action: 'close', price: '65000' }));
    expect(close.status, close.reason ?? '').toBe('executed');
    expect(orders(close.id)[0]).toMatchObject({ side: 'SELL', origQty: 0.00999, status: 'FILLED' });
    expect(h.position('l-buy', 'BTC/USDT').qty).toBe(0);
  });

  it('sizes from the exchange: quote amount, percent of free balance, risk with the stop distance', async () => {
    sim.setPrice('ETHUSDT', 3200);
    const quote = await h.run(alertBody({ strategy: 'l-size', symbol: 'ETHUSDT', quantity: '320usdt', price: '3200' }));
    expect(orders(quote.id)[0]!.origQty).toBeCloseTo(0.1, 10);

    const freeUsdt = sim.balance('USDT').free;
    const pct = await h.run(alertBody({ strategy: 'l-size', symbol: 'ETHUSDT', quantity: '1%', price: '3200' }));
    expect(pct.status, pct.reason ?? '').toBe('executed');
    expect(orders(pct.id)[0]!.origQty).toBeCloseTo(Math.floor(((freeUsdt * 0.01 * 0.995) / 3200) * 1e4) / 1e4, 10);

    const b = sim.balances();
    const equity = b.USDT!.free + b.USDT!.locked + (b.ETH!.free + b.ETH!.locked) * 3200;
    const risk = await h.run(alertBody({ strategy: 'l-size', symbol: 'ETHUSDT', quantity: 'risk=0.1%', price: '3200', stop_loss: '3000' }));
    expect(risk.status, risk.reason ?? '').toBe('executed');
    expect(orders(risk.id)[0]!.origQty).toBeCloseTo(Math.floor(((equity * 0.001) / 200) * 1e4) / 1e4, 4);
    // The stop-loss rests on the exchange for what was received.
    const stop = sim.ordersByClientId(`pb${risk.id}-100`)[0];
    expect(stop).toMatchObject({ type: 'STOP_LOSS', side: 'SELL', stopPrice: 3000, status: 'NEW' });
  });

  it('refuses amounts below the market minimums with the numbers, and never calls the exchange', async () => {
    sim.resetRequests();
    const tiny = await h.run(alertBody({ strategy: 'l-min', quantity: '0.00005', price: '65000' }));
    expect(tiny.status).toBe('failed');
    expect(tiny.reason).toBe('0.00005 BTC = 3.25 USDT is below the 5 USDT minimum order value for BTC/USDT.');
    const dust = await h.run(alertBody({ strategy: 'l-min', quantity: '0.000004', price: '65000' }));
    expect(dust.reason).toBe('0.000004 BTC is below the 0.00001 BTC minimum amount for BTC/USDT.');
    expect(sim.requestCount('POST', '/api/v3/order')).toBe(0);
    // Precision: 0.0123456 is sent as 0.01234 (the lot step), never rejected by the exchange.
    const odd = await h.run(alertBody({ strategy: 'l-min', quantity: '0.0123456', price: '65000' }));
    expect(orders(odd.id)[0]!.origQty).toBe(0.01234);
  });

  it('refuses an unknown symbol naming the close matches', async () => {
    const a = await h.run(alertBody({ strategy: 'l-sym', symbol: 'BINANCE:BTCUSTD', quantity: '0.01' }));
    expect(a.status).toBe('failed');
    expect(a.reason).toBe('binance has no market "BINANCE:BTCUSTD": did you mean BTC/USDT?');
    const perp = await h.run(alertBody({ strategy: 'l-sym', symbol: 'BTCUSDT.P', quantity: '0.01' }));
    expect(perp.reason).toMatch(/no perpetual market "BTCUSDT.P"/);
    const unified = await h.run(alertBody({ strategy: 'l-sym', symbol: 'ETH/BTC', quantity: '0.1', price: '0.05' }));
    expect(unified.status, unified.reason ?? '').toBe('executed');
    expect(orders(unified.id)[0]!.symbol).toBe('ETHBTC');
  });

  it('rests a limit order, records its fill from the exchange, then the strategy can cancel the next one', async () => {
    const limit = await h.run(alertBody({ strategy: 'l-limit', quantity: '0.01', order_type: 'limit', price: '60000' }));
    expect(limit.status, limit.reason ?? '').toBe('executed');
    const [o] = orders(limit.id);
    expect(o).toMatchObject({ type: 'LIMIT', price: 60000, status: 'NEW' });
    sim.fillOrder(o!.orderId);
    await waitFor(() => h.intents(limit.id)[0]!.status === 'filled');
    expect(h.position('l-limit', 'BTC/USDT').qty).toBeCloseTo(0.01 * 0.999, 12);

    const next = await h.run(alertBody({ strategy: 'l-limit', quantity: '0.01', order_type: 'limit', price: '59000' }));
    const cancel = await h.run(alertBody({ strategy: 'l-limit', action: 'cancel' }));
    expect(cancel.status, cancel.reason ?? '').toBe('executed');
    expect(orders(next.id)[0]!.status).toBe('CANCELED');
    expect(h.intents(next.id)[0]!.status).toBe('cancelled');
  });

  it('on spot places the stop-loss and the take-profit as one OCO order list, and says so; close cancels the list first', async () => {
    const entry = await h.run(alertBody({ strategy: 'l-prot', quantity: '0.01', price: '65000', stop_loss: '2%', take_profit: '4%' }));
    expect(entry.status, entry.reason ?? '').toBe('executed');
    expect(entry.reason).toMatch(/stop-loss and take-profit placed as one binance OCO order list/);
    const stop = sim.ordersByClientId(`pb${entry.id}-100`)[0]!;
    expect(stop).toMatchObject({ type: 'STOP_LOSS', status: 'NEW', origQty: 0.00999 });
    expect(stop.stopPrice).toBeCloseTo(Math.round(65000 * 0.98 * 100) / 100, 2);
    expect(sim.ordersByClientId(`pb${entry.id}-101`)[0]).toMatchObject({ type: 'LIMIT_MAKER', status: 'NEW', origQty: 0.00999, orderListId: stop.orderListId, price: 67600 });
    const close = await h.run(alertBody({ strategy: 'l-prot', action: 'close', price: '65000' }));
    expect(close.status, close.reason ?? '').toBe('executed');
    expect(sim.ordersByClientId(`pb${entry.id}-100`)[0]!.status).toBe('CANCELED');
    expect(sim.ordersByClientId(`pb${entry.id}-101`)[0]!.status).toBe('CANCELED');
    expect(orders(close.id)[0]).toMatchObject({ side: 'SELL', origQty: 0.00999, status: 'FILLED' });
  });

  it('a spot sell of coins the strategy never bought is an exit: it sells them and the strategy stays flat', async () => {
    const a = await h.run(alertBody({ strategy: 'l-sell', action: 'sell', quantity: '0.01', price: '65000', stop_loss: '70000' }));
    expect(a.status, a.reason ?? '').toBe('executed');
    expect(orders(a.id)).toHaveLength(1);
    expect(h.intents(a.id)).toEqual([expect.objectContaining({ purpose: 'exit', side: 'sell', status: 'filled' })]);
    expect(h.position('l-sell', 'BTC/USDT').qty).toBe(0);
    const close = await h.run(alertBody({ strategy: 'l-sell', action: 'close', price: '65000' }));
    expect(close.status).toBe('skipped');
  });

  it('answers the balance query from the exchange', async () => {
    const b = await h.engine.api.getBalances({});
    expect(b).toMatchObject({ account: 'main', mode: 'live', exchange: 'binance' });
    expect(b.balances.find((x) => x.currency === 'USDT')!.free).toBeCloseTo(sim.balance('USDT').free, 6);
  });
});

export async function waitFor(cond: () => boolean, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!cond()) {
    if (Date.now() > until) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}
