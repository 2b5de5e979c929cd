/**
 * Orders on the exchange simulator through the REAL ccxt binance client: fills, resting and
 * triggered orders, look-ups and cancels, and the balances they move.
 */
import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { byClientId, closeSimulators, idOf, rejection, setup } from './support.js';

afterEach(closeSimulators);

describe('exchange simulator: orders through ccxt', () => {
  it('market buy fills at the last price, fee in the received asset, balances move', async () => {
    const { sim, ex } = await setup({ balances: { USDT: 1000 } });
    const order = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'mkt-1' });
    expect(order).toMatchObject({ id: expect.any(String), clientOrderId: 'mkt-1', status: 'closed', filled: 0.01, cost: 650, average: 65000 });
    expect(order.fee).toEqual({ currency: 'BTC', cost: 0.00001 });
    expect(sim.balance('USDT')).toEqual({ free: 350, locked: 0 });
    expect(sim.balance('BTC')).toEqual({ free: 0.00999, locked: 0 });
    const balance = await ex.fetchBalance();
    expect(balance['BTC']?.total).toBe(0.00999);
    expect(balance['USDT']?.free).toBe(350);
    const sent = sim.requests({ method: 'POST', path: '/api/v3/order' })[0];
    expect(sent?.params).toMatchObject({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', newClientOrderId: 'mkt-1', newOrderRespType: 'FULL' });
    expect(sent?.params).not.toHaveProperty('signature');
  });

  it('market buy by quote amount (quoteOrderQty) buys what the amount covers, rounded down to the step', async () => {
    const { sim, ex } = await setup({ balances: { USDT: 1000 } });
    const order = await ex.createOrder('BTC/USDT', 'market', 'buy', 0, undefined, { quoteOrderQty: 100, clientOrderId: 'q-1' });
    expect(sim.requests({ path: '/api/v3/order' })[0]?.params.quoteOrderQty).toBe('100');
    expect(order.filled).toBe(0.00153); // 100 / 65000 = 0.0015384… -> step 0.00001
    expect(order.cost).toBeCloseTo(99.45, 8);
    expect(sim.balance('USDT').free).toBeCloseTo(900.55, 8);
  });

  it('a limit order rests with its funds locked, then fills as maker when setPrice crosses it', async () => {
    const { sim, ex } = await setup({ balances: { USDT: 1000 } });
    const order = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: 'lim-1' });
    expect(order.status).toBe('open');
    expect(sim.balance('USDT')).toEqual({ free: 400, locked: 600 });
    expect(await ex.fetchOpenOrders('BTC/USDT')).toHaveLength(1);
    sim.setPrice('BTCUSDT', 61000);
    expect((await ex.fetchOrder(idOf(order), 'BTC/USDT')).status).toBe('open');
    sim.setPrice('BTCUSDT', 59999.99);
    const filled = await ex.fetchOrder(idOf(order), 'BTC/USDT');
    expect(filled).toMatchObject({ status: 'closed', filled: 0.01, average: 60000 });
    expect(sim.balance('USDT')).toEqual({ free: 400, locked: 0 });
    expect(sim.balance('BTC').free).toBe(0.00999);
    const trades = await ex.fetchMyTrades('BTC/USDT');
    expect(trades).toHaveLength(1);
    expect(trades[0]).toMatchObject({ order: order.id, side: 'buy', price: 60000, amount: 0.01, takerOrMaker: 'maker' });
    expect(await ex.fetchOpenOrders('BTC/USDT')).toHaveLength(0);
  });

  it('fetchOrder(undefined, symbol, { clientOrderId }) sends origClientOrderId and finds the order', async () => {
    const { sim, ex } = await setup();
    const placed = await ex.createOrder('ETH/USDT', 'limit', 'sell', 0.5, 3500, { clientOrderId: 'pb-abc' });
    const found = await byClientId(ex, 'ETH/USDT', 'pb-abc');
    expect(found).toMatchObject({ id: placed.id, clientOrderId: 'pb-abc', status: 'open', amount: 0.5, price: 3500 });
    const query = sim.requests({ method: 'GET', path: '/api/v3/order' })[0]?.params;
    expect(query).toMatchObject({ symbol: 'ETHUSDT', origClientOrderId: 'pb-abc' });
    expect(query).not.toHaveProperty('orderId');
    expect(query).not.toHaveProperty('clientOrderId');
    // params.origClientOrderId works too, and the id argument is ignored when either is given.
    expect((await ex.fetchOrder('999999', 'ETH/USDT', { origClientOrderId: 'pb-abc' })).id).toBe(placed.id);
    const missing = await rejection(byClientId(ex, 'ETH/USDT', 'never-sent'));
    expect(missing).toBeInstanceOf(ccxt.OrderNotFound);
    expect(missing.message).toContain('-2013');
  });

  it('cancelOrder returns the cancel id in clientOrderId and the original in info.origClientOrderId; unlocks funds', async () => {
    const { sim, ex } = await setup({ balances: { USDT: 1000 } });
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: 'c-1' });
    const canceled = await ex.cancelOrder(idOf(placed), 'BTC/USDT');
    expect(canceled.status).toBe('canceled');
    expect(canceled.id).toBe(placed.id);
    expect(canceled.clientOrderId).not.toBe('c-1');
    expect(canceled.info['origClientOrderId']).toBe('c-1');
    expect(sim.balance('USDT')).toEqual({ free: 1000, locked: 0 });
    expect((await byClientId(ex, 'BTC/USDT', 'c-1')).status).toBe('canceled');
    const again = await rejection(ex.cancelOrder(idOf(placed), 'BTC/USDT'));
    expect(again).toBeInstanceOf(ccxt.OrderNotFound);
    expect(again.message).toContain('-2011');
    // by clientOrderId
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: 'c-2' });
    const byCid = await ex.cancelOrder(undefined as unknown as string, 'BTC/USDT', { clientOrderId: 'c-2' });
    expect(byCid.info['origClientOrderId']).toBe('c-2');
    expect(sim.requests({ method: 'DELETE' })[2]?.params).toMatchObject({ origClientOrderId: 'c-2' });
  });

  it('cancelAllOrders and fetchOrders (allOrders)', async () => {
    const { sim, ex } = await setup();
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000, { clientOrderId: 'a-1' });
    await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.001, 70000, { clientOrderId: 'a-2' });
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'a-3' });
    const canceled = await ex.cancelAllOrders('BTC/USDT');
    expect(canceled).toHaveLength(2);
    expect(sim.openOrders()).toHaveLength(0);
    const all = await ex.fetchOrders('BTC/USDT');
    expect(all.map((o) => [o.clientOrderId, o.status])).toEqual([['a-1', 'canceled'], ['a-2', 'canceled'], ['a-3', 'closed']]);
    expect(await rejection(ex.cancelAllOrders('BTC/USDT'))).toBeInstanceOf(ccxt.OrderNotFound);
  });

  it('a partially filled order (sim.fillOrder) shows as open with filled/remaining', async () => {
    const { sim, ex } = await setup();
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.1, 70000, { clientOrderId: 'p-1' });
    sim.fillOrder(Number(placed.id), 0.04);
    const o = await byClientId(ex, 'BTC/USDT', 'p-1');
    expect(o).toMatchObject({ status: 'open', filled: 0.04, remaining: 0.06 });
    expect(o.info['status']).toBe('PARTIALLY_FILLED');
    expect(sim.balance('BTC')).toEqual({ free: 0.9, locked: 0.06 });
  });

  it('stop-loss-limit and take-profit-limit orders rest untriggered until the price reaches stopPrice', async () => {
    const { sim, ex } = await setup();
    const sl = await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 59000, { stopPrice: 59500, clientOrderId: 'sl-1' });
    const tp = await ex.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 70000, { takeProfitPrice: 70000, clientOrderId: 'tp-1' });
    expect(sim.order(Number(sl.id))).toMatchObject({ type: 'STOP_LOSS_LIMIT', status: 'NEW', isWorking: false, stopPrice: 59500 });
    expect(sim.order(Number(tp.id))).toMatchObject({ type: 'TAKE_PROFIT_LIMIT', isWorking: false });
    expect(sim.balance('BTC')).toEqual({ free: 0.98, locked: 0.02 });
    sim.setPrice('BTCUSDT', 60000);
    expect(sim.order(Number(sl.id))?.status).toBe('NEW');
    sim.setPrice('BTCUSDT', 59400);
    const slNow = await ex.fetchOrder(idOf(sl), 'BTC/USDT');
    expect(slNow).toMatchObject({ status: 'closed', average: 59400, triggerPrice: 59500 });
    sim.setPrice('BTCUSDT', 70000);
    expect((await byClientId(ex, 'BTC/USDT', 'tp-1')).status).toBe('closed');
    // A stop-market (STOP_LOSS) fills at the price that triggered it.
    const slm = await ex.createOrder('BTC/USDT', 'market', 'sell', 0.01, undefined, { stopLossPrice: 65000, clientOrderId: 'slm-1' });
    expect(sim.order(Number(slm.id))).toMatchObject({ type: 'STOP_LOSS', isWorking: false });
    sim.setPrice('BTCUSDT', 64000);
    expect(sim.order(Number(slm.id))).toMatchObject({ status: 'FILLED', cummulativeQuoteQty: 640 });
    // A stop that would trigger at once is rejected, as on Binance.
    const now = await rejection(ex.createOrder('BTC/USDT', 'limit', 'sell', 0.01, 69000, { stopPrice: 70500, clientOrderId: 'sl-2' }));
    expect(now).toBeInstanceOf(ccxt.OrderImmediatelyFillable);
    expect(now).toBeInstanceOf(ccxt.InvalidOrder);
  });
});
