/**
 * OKX spot algo orders through the REAL ccxt okx class: a spot stop-loss / take-profit is a
 * conditional algo order with its algoClOrdId, holds the coins it would sell, is found by
 * algoClOrdId (order-algo, orders-algo-pending, orders-algo-history), cancelled by it
 * (cancel-algos), and fires when the simulated last price crosses.
 */
import { afterEach, describe, expect, it } from 'vitest';
import ccxt from 'ccxt';
import { createSimulatedOkx, startOkxSimulator } from '../support/okx-simulator/index.js';
import { closeSimulators, rejection, track } from './support.js';

afterEach(closeSimulators);

const NO_ID = undefined as unknown as string;
const SPOT = 'BTC/USDT';

async function setupOkx() {
  const sim = track(await startOkxSimulator({ balances: { USDT: 10000, BTC: 1 }, prices: { BTCUSDT: 65000 }, feeRate: 0 }));
  const ex = createSimulatedOkx(sim, { enableRateLimit: false });
  await ex.loadMarkets();
  return { sim, ex };
}

describe('okx simulator: spot algo orders', () => {
  it('a spot stop-loss rests with its algoClOrdId, holds the coins, is found by it, and sells when the price falls through it', async () => {
    const { sim, ex } = await setupOkx();
    const sl = await ex.createOrder(SPOT, 'market', 'sell', 0.5, undefined, { stopLossPrice: 60000, algoClOrdId: 'pb7L1' });
    const [sent] = sim.requests({ method: 'POST', path: '/api/v5/trade/order-algo' });
    // ccxt sends the margin mode, not cash, for a spot conditional order (cash is 51000 on OKX).
    expect([sent?.params.ordType, sent?.params.tdMode, sent?.params.slTriggerPx, sent?.params.slOrdPx]).toEqual(['conditional', 'cross', '60000', '-1']);
    expect(sim.algoOrders().map((a) => [a.instId, a.algoClOrdId, a.ordType, a.slTriggerPx, a.state])).toEqual([['BTC-USDT', 'pb7L1', 'conditional', 60000, 'live']]);
    expect(sim.balances().BTC).toEqual({ free: 0.5, locked: 0.5 });
    const found = await ex.fetchOrder(NO_ID, SPOT, { clientOrderId: 'pb7L1', trigger: true });
    // ccxt reads clientOrderId from clOrdId (its own broker id here); the algo's own id is in info.
    expect([found.id, found.info.algoClOrdId, found.status, found.stopLossPrice, found.amount]).toEqual([sl.id, 'pb7L1', 'open', 60000, 0.5]);
    expect(sim.requests({ method: 'GET', path: '/api/v5/trade/order-algo' }).map((r) => r.params.algoClOrdId)).toEqual(['pb7L1']);
    const pending = await ex.fetchOpenOrders(SPOT, undefined, undefined, { ordType: 'conditional' });
    expect(pending.map((o) => o.info.algoClOrdId)).toEqual(['pb7L1']);
    // Not yet: a price above the stop leaves it resting; no plain order exists.
    sim.setPrice('BTCUSDT', 61000);
    expect(sim.algoOrders().map((a) => a.state)).toEqual(['live']);
    expect(sim.orders()).toEqual([]);
    sim.setPrice('BTCUSDT', 59500);
    expect(sim.algoOrders().map((a) => a.state)).toEqual(['effective']);
    expect(sim.orders().map((o) => [o.instId, o.side, o.algoId, o.state, o.accFillSz])).toEqual([['BTC-USDT', 'sell', sl.id, 'filled', 0.5]]);
    expect(sim.balances().BTC).toEqual({ free: 0.5, locked: 0 });
    expect(sim.balances().USDT?.free).toBe(10000 + 0.5 * 59500);
    expect(await ex.fetchOpenOrders(SPOT, undefined, undefined, { ordType: 'conditional' })).toEqual([]);
    // With trigger: true ccxt asks orders-algo-history for state effective (without it, "filled").
    const history = await ex.fetchClosedOrders(SPOT, undefined, undefined, { ordType: 'conditional', trigger: true });
    expect(history.map((o) => [o.id, o.info.algoClOrdId, o.status])).toEqual([[sl.id, 'pb7L1', 'closed']]);
    const again = await ex.fetchOrder(NO_ID, SPOT, { clientOrderId: 'pb7L1', trigger: true });
    expect(again.status).toBe('closed');
  });

  it('cancel-algos by algoClOrdId cancels a spot take-profit and frees its coins; a second cancel is refused', async () => {
    const { sim, ex } = await setupOkx();
    await ex.createOrder(SPOT, 'market', 'sell', 0.25, undefined, { takeProfitPrice: 70000, algoClOrdId: 'pb8L2' });
    expect(sim.algoOrders().map((a) => [a.tpTriggerPx, a.state])).toEqual([[70000, 'live']]);
    expect(sim.balances().BTC?.locked).toBe(0.25);
    const [cancelled] = await ex.cancelOrders([], SPOT, { clientOrderId: 'pb8L2', trigger: true });
    expect(cancelled?.info).toMatchObject({ algoClOrdId: 'pb8L2', sCode: '0' });
    const [sent] = sim.requests({ method: 'POST', path: '/api/v5/trade/cancel-algos' });
    // The request log keeps the body's one entry.
    expect(sent?.params).toEqual({ instId: 'BTC-USDT', algoClOrdId: 'pb8L2' });
    expect(sim.algoOrders().map((a) => a.state)).toEqual(['canceled']);
    expect(sim.balances().BTC).toEqual({ free: 1, locked: 0 });
    sim.setPrice('BTCUSDT', 71000);
    expect(sim.orders()).toEqual([]);
    expect(sim.balances().BTC?.free).toBe(1);
    expect(await rejection(ex.cancelOrders([], SPOT, { clientOrderId: 'pb8L2', trigger: true }))).toBeInstanceOf(ccxt.ExchangeError);
    const history = await ex.fetchCanceledOrders(SPOT, undefined, undefined, { ordType: 'conditional' });
    expect(history.map((o) => [o.info.algoClOrdId, o.status])).toEqual([['pb8L2', 'canceled']]);
  });

  it('refuses a spot conditional with tdMode cash (51000) and coins it does not hold; takes a cash trigger order that fires upwards', async () => {
    const { sim, ex } = await setupOkx();
    const cash = await rejection(ex.privatePostTradeOrderAlgo({ instId: 'BTC-USDT', tdMode: 'cash', side: 'sell', ordType: 'conditional', sz: '0.1', slTriggerPx: '60000', slOrdPx: '-1' }));
    expect(cash).toBeInstanceOf(ccxt.BadRequest);
    expect(cash.message).toContain('51000');
    expect(await rejection(ex.createOrder(SPOT, 'market', 'sell', 2, undefined, { stopLossPrice: 60000, algoClOrdId: 'pb9L1' }))).toBeInstanceOf(ccxt.ExchangeError);
    expect(sim.algoOrders()).toEqual([]);
    await ex.privatePostTradeOrderAlgo({ instId: 'BTC-USDT', tdMode: 'cash', side: 'buy', ordType: 'trigger', sz: '0.1', triggerPx: '66000', orderPx: '-1', algoClOrdId: 'pb9L3' });
    expect(sim.algoOrders().map((a) => [a.algoClOrdId, a.ordType, a.triggerPx, a.state])).toEqual([['pb9L3', 'trigger', 66000, 'live']]);
    sim.setPrice('BTCUSDT', 65500);
    expect(sim.algoOrders().map((a) => a.state)).toEqual(['live']);
    sim.setPrice('BTCUSDT', 66500);
    expect(sim.algoOrders().map((a) => a.state)).toEqual(['effective']);
    expect(sim.orders().map((o) => [o.side, o.state, o.accFillSz])).toEqual([['buy', 'filled', 0.1]]);
    expect(sim.balances().BTC?.free).toBeCloseTo(1.1, 9);
  });
});
