/**
 * The Bybit v5 simulator's spot side through the REAL ccxt bybit class (unified account): markets,
 * balance, orders by orderLinkId, the duplicate rule and the look-up traps Pinebridge must avoid.
 */
import { afterEach, describe, expect, it } from 'vitest';
import ccxt from 'ccxt';
import { NO_ID, setupBybit } from './bybit-support.js';
import { closeSimulators, rejection } from './support.js';

afterEach(closeSimulators);

describe('bybit simulator: spot through ccxt', () => {
  it('loads spot and linear markets with Bybit filters, and the unified balance', async () => {
    const { sim, ex } = await setupBybit({ balances: { USDT: 500, BTC: 0.5 }, linear: { balances: { USDT: 0 } } });
    const btc = ex.market('BTC/USDT');
    expect(btc.id).toBe('BTCUSDT');
    expect(btc.spot).toBe(true);
    expect(btc.precision.amount).toBe(0.00001);
    expect(btc.limits.cost?.min).toBe(5);
    const perp = ex.market('BTC/USDT:USDT');
    expect(perp.linear).toBe(true);
    expect(perp.swap).toBe(true);
    expect(perp.limits.leverage?.max).toBe(100);
    const balance = await ex.fetchBalance();
    expect(balance.USDT?.free).toBe(500);
    expect(balance.BTC?.total).toBe(0.5);
    // ccxt asked whether the account is unified once, and sent the wallet call for UNIFIED.
    expect(sim.requests({ path: '/v5/account/wallet-balance' })[0]?.params.accountType).toBe('UNIFIED');
  });

  it('a market buy with a price is sent as a quote amount and fills; the balance moves', async () => {
    const { sim, ex } = await setupBybit({ balances: { USDT: 1000 } });
    const placed = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.01, 65000, { clientOrderId: 'pb1-0' });
    expect(placed.clientOrderId).toBe('pb1-0');
    expect(sim.requests({ path: '/v5/order/create' })[0]?.params.qty).toBe('650');
    const [view] = sim.ordersByLinkId('pb1-0');
    expect(view?.status).toBe('Filled');
    expect(view?.cumExecQty).toBe(0.01);
    expect(sim.balances().USDT?.free).toBe(350);
    const found = await ex.fetchOrder(placed.id ?? NO_ID, 'BTC/USDT', { acknowledged: true });
    expect(found.status).toBe('closed');
    expect(found.cost).toBe(650);
    expect(found.filled).toBe(0.01);
  });

  it('a limit order is found, listed and cancelled by orderLinkId', async () => {
    const { sim, ex } = await setupBybit();
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, { clientOrderId: 'pb2-0' });
    const found = await ex.fetchOrder(NO_ID, 'BTC/USDT', { orderLinkId: 'pb2-0', acknowledged: true });
    expect(found.clientOrderId).toBe('pb2-0');
    expect(found.status).toBe('open');
    expect((await ex.fetchOpenOrders('BTC/USDT')).map((o) => o.clientOrderId)).toEqual(['pb2-0']);
    const cancelled = await ex.cancelOrder(NO_ID, 'BTC/USDT', { orderLinkId: 'pb2-0' });
    expect(cancelled.clientOrderId).toBe('pb2-0');
    expect(sim.ordersByLinkId('pb2-0')[0]?.status).toBe('Cancelled');
    expect(sim.balances().USDT?.locked).toBe(0);
    // A second cancel: Bybit's 170213, which ccxt raises as OrderNotFound.
    const again = await rejection(ex.cancelOrder(NO_ID, 'BTC/USDT', { orderLinkId: 'pb2-0' }));
    expect(again).toBeInstanceOf(ccxt.OrderNotFound);
    expect(again.message).toContain('170213');
  });

  it('refuses a reused orderLinkId with 170141 (InvalidOrder, not DuplicateOrderId), even after a fill', async () => {
    const { sim, ex } = await setupBybit();
    await ex.createOrder('ETH/USDT', 'market', 'sell', 0.1, undefined, { clientOrderId: 'pb3-0' });
    const err = await rejection(ex.createOrder('ETH/USDT', 'market', 'sell', 0.1, undefined, { clientOrderId: 'pb3-0' }));
    expect(err).toBeInstanceOf(ccxt.InvalidOrder);
    expect(err).not.toBeInstanceOf(ccxt.DuplicateOrderId);
    expect(err.message).toContain('170141');
    expect(sim.ordersByLinkId('pb3-0')).toHaveLength(1);
    expect(sim.counters().ordersRejected).toBe(1);
  });

  it('refuses an orderLinkId longer than 36 or with characters outside [A-Za-z0-9_-]', async () => {
    const { sim, ex } = await setupBybit();
    for (const id of ['x'.repeat(37), 'pb:1']) {
      const err = await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, { clientOrderId: id }));
      expect(err).toBeInstanceOf(ccxt.BadRequest);
      expect(err.message).toContain('10001');
    }
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, { clientOrderId: `pb_${'9'.repeat(30)}-0` });
    expect(sim.orders()).toHaveLength(1);
  });

  it('shows the ccxt traps: clientOrderId is ignored by look-ups, a missing orderLinkId is a TypeError, fetchOrder wants acknowledged', async () => {
    const { ex } = await setupBybit();
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, { clientOrderId: 'pb4-0' });
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 59000, { clientOrderId: 'pb5-0' });
    // Bybit ignores the unknown parameter: the answer is the newest open order of the symbol, another order.
    const wrong = await ex.fetchOrder(NO_ID, 'BTC/USDT', { clientOrderId: 'pb4-0', acknowledged: true });
    expect(wrong.clientOrderId).toBe('pb5-0');
    const missing = await rejection(ex.fetchOrder(NO_ID, 'BTC/USDT', { orderLinkId: 'nope', acknowledged: true }));
    expect(missing).toBeInstanceOf(TypeError);
    const missingById = await rejection(ex.fetchOrder('123', 'BTC/USDT', { acknowledged: true }));
    expect(missingById).toBeInstanceOf(ccxt.OrderNotFound);
    expect(await rejection(ex.fetchOrder(NO_ID, 'BTC/USDT', { orderLinkId: 'pb4-0' }))).toBeInstanceOf(ccxt.ArgumentsRequired);
    expect(await rejection(ex.cancelOrder(NO_ID, 'BTC/USDT', { clientOrderId: 'pb4-0' }))).toBeInstanceOf(ccxt.BadRequest);
  });

  it('after a restart realtime forgets closed orders; open ones stay, history keeps everything', async () => {
    const { sim, ex } = await setupBybit();
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, 65000, { clientOrderId: 'pb6-0' });
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, { clientOrderId: 'pb7-0' });
    expect((await ex.fetchOrder(NO_ID, 'BTC/USDT', { orderLinkId: 'pb6-0', acknowledged: true })).status).toBe('closed');
    sim.restart();
    expect(await rejection(ex.fetchOrder(NO_ID, 'BTC/USDT', { orderLinkId: 'pb6-0', acknowledged: true }))).toBeInstanceOf(TypeError);
    expect((await ex.fetchOrder(NO_ID, 'BTC/USDT', { orderLinkId: 'pb7-0', acknowledged: true })).status).toBe('open');
    const history = await ex.fetchCanceledAndClosedOrders('BTC/USDT', undefined, undefined, { orderLinkId: 'pb6-0' });
    expect(history.map((o) => [o.clientOrderId, o.status])).toEqual([['pb6-0', 'closed']]);
    // The duplicate rule does not forget: the id is still refused.
    expect((await rejection(ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, 65000, { clientOrderId: 'pb6-0' }))).message).toContain('170141');
  });

  it('a spot trigger order waits untriggered (trigger: true look-ups) and fills when the price reaches it', async () => {
    const { sim, ex } = await setupBybit();
    await ex.createOrder('BTC/USDT', 'market', 'sell', 0.01, undefined, { clientOrderId: 'pb8-0', triggerPrice: 60000 });
    const create = sim.requests({ path: '/v5/order/create' })[0];
    expect(create?.params.orderFilter).toBe('StopOrder');
    const open = await ex.fetchOpenOrders('BTC/USDT', undefined, undefined, { trigger: true });
    expect(open.map((o) => [o.clientOrderId, o.triggerPrice, o.status])).toEqual([['pb8-0', 60000, 'open']]);
    expect(sim.ordersByLinkId('pb8-0')[0]?.status).toBe('Untriggered');
    expect(await ex.fetchOpenOrders('BTC/USDT', undefined, undefined, { orderFilter: 'Order' })).toEqual([]);
    sim.setPrice('BTCUSDT', 59000);
    expect(sim.ordersByLinkId('pb8-0')[0]?.status).toBe('Filled');
    expect(sim.fills().map((f) => [f.orderLinkId, f.price])).toEqual([['pb8-0', 59000]]);
  });

  it('refuses an order over the balance with 170131 (InsufficientFunds)', async () => {
    const { ex } = await setupBybit({ balances: { USDT: 10 } });
    const poor = await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, { clientOrderId: 'pb9-0' }));
    expect(poor).toBeInstanceOf(ccxt.InsufficientFunds);
    expect(poor.message).toContain('170131');
  });
  it('a partial fill reads PartiallyFilled (open); its cancel leaves PartiallyFilledCanceled, which ccxt calls closed', async () => {
    const { sim, ex } = await setupBybit();
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.002, 60000, { clientOrderId: 'pb10-0' });
    sim.fillOrder(placed.id ?? NO_ID, 0.001);
    const part = await ex.fetchOrder(NO_ID, 'BTC/USDT', { orderLinkId: 'pb10-0', acknowledged: true });
    expect([part.info.orderStatus, part.status, part.filled, part.remaining]).toEqual(['PartiallyFilled', 'open', 0.001, 0.001]);
    await ex.cancelOrder(NO_ID, 'BTC/USDT', { orderLinkId: 'pb10-0' });
    const done = await ex.fetchOrder(NO_ID, 'BTC/USDT', { orderLinkId: 'pb10-0', acknowledged: true });
    expect([done.info.orderStatus, done.status, done.filled]).toEqual(['PartiallyFilledCanceled', 'closed', 0.001]);
    expect(sim.balances().BTC?.free).toBeCloseTo(1 + 0.001 * 0.999, 8);
  });
});
