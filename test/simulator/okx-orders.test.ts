/**
 * The OKX v5 simulator through the REAL ccxt okx class: markets, balance, orders by clOrdId,
 * 51016, the clOrdId rule, swaps in contracts, reduce-only, algo (trigger / stop-loss) orders,
 * positions, leverage and position mode.
 */
import { afterEach, describe, expect, it } from 'vitest';
import ccxt from 'ccxt';
import { createSimulatedOkx, startOkxSimulator, type OkxSimulatorOptions } from '../support/okx-simulator/index.js';
import { closeSimulators, rejection, track } from './support.js';

afterEach(closeSimulators);

const NO_ID = undefined as unknown as string;
const PERP = 'BTC/USDT:USDT';

async function setupOkx(options: OkxSimulatorOptions = {}) {
  const sim = track(await startOkxSimulator(options));
  const ex = createSimulatedOkx(sim, { enableRateLimit: false });
  await ex.loadMarkets();
  return { sim, ex };
}

describe('okx simulator: orders through ccxt', () => {
  it('loads spot and swap markets (contracts of ctVal) and the trading balance', async () => {
    const { ex } = await setupOkx({ balances: { USDT: 700, BTC: 0.2 }, swap: { balances: { USDT: 0 } } });
    expect(ex.market('BTC/USDT').id).toBe('BTC-USDT');
    const perp = ex.market(PERP);
    expect([perp.id, perp.contractSize, perp.precision.amount, perp.limits.amount?.min]).toEqual(['BTC-USDT-SWAP', 0.01, 0.1, 0.1]);
    const balance = await ex.fetchBalance();
    expect([balance.USDT?.free, balance.BTC?.total]).toEqual([700, 0.2]);
  });

  it('places by batch-orders with clOrdId, looks up, lists and cancels by clientOrderId', async () => {
    const { sim, ex } = await setupOkx();
    const placed = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: 'pb1L0' });
    expect(placed.clientOrderId).toBe('pb1L0');
    expect(sim.requestCount('POST', '/api/v5/trade/batch-orders')).toBe(1);
    const found = await ex.fetchOrder(NO_ID, 'BTC/USDT', { clientOrderId: 'pb1L0' });
    expect([found.id, found.status, found.amount, found.price]).toEqual([placed.id, 'open', 0.01, 60000]);
    expect((await ex.fetchOpenOrders('BTC/USDT')).map((o) => o.clientOrderId)).toEqual(['pb1L0']);
    await ex.cancelOrder(NO_ID, 'BTC/USDT', { clientOrderId: 'pb1L0' });
    expect(sim.ordersByClOrdId('pb1L0').map((o) => o.state)).toEqual(['canceled']);
    const again = await rejection(ex.cancelOrder(NO_ID, 'BTC/USDT', { clientOrderId: 'pb1L0' }));
    expect(again).toBeInstanceOf(ccxt.OrderNotFound);
    expect(again.message).toContain('51400');
    const missing = await rejection(ex.fetchOrder(NO_ID, 'BTC/USDT', { clientOrderId: 'neverSent' }));
    expect(missing).toBeInstanceOf(ccxt.OrderNotFound);
    expect(missing.message).toContain('51603');
    // ccxt's fetchClosedOrders asks orders-history for state=filled only: a cancelled order is not "closed".
    expect(await ex.fetchClosedOrders('BTC/USDT')).toEqual([]);
    expect(sim.requests({ path: '/api/v5/trade/orders-history' })[0]?.params.state).toBe('filled');
    const cancelled = await ex.fetchCanceledOrders('BTC/USDT');
    expect(cancelled.map((o) => [o.clientOrderId, o.status])).toEqual([['pb1L0', 'canceled']]);
  });

  it('refuses a clOrdId of an open order with 51016 (InvalidOrder); a filled one may be reused (clOrdIdScope open)', async () => {
    const { sim, ex } = await setupOkx();
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: 'pb2L0' });
    const dup = await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: 'pb2L0' }));
    expect(dup).toBeInstanceOf(ccxt.InvalidOrder);
    expect(dup).not.toBeInstanceOf(ccxt.DuplicateOrderId);
    expect(dup.message).toContain('"sCode":"51016"');
    await ex.createOrder('BTC/USDT', 'market', 'sell', 0.01, undefined, { clientOrderId: 'pb2L1' });
    await ex.createOrder('BTC/USDT', 'market', 'sell', 0.01, undefined, { clientOrderId: 'pb2L1' });
    expect(sim.ordersByClOrdId('pb2L1').map((o) => o.state)).toEqual(['filled', 'filled']);
  });

  it('with clOrdIdScope all a filled order\'s clOrdId is refused too', async () => {
    const { ex } = await setupOkx({ clOrdIdScope: 'all' });
    await ex.createOrder('BTC/USDT', 'market', 'sell', 0.01, undefined, { clientOrderId: 'pb3L0' });
    expect((await rejection(ex.createOrder('BTC/USDT', 'market', 'sell', 0.01, undefined, { clientOrderId: 'pb3L0' }))).message).toContain('51016');
  });

  it('refuses Pinebridge\'s hyphenated ids and anything over 32 alphanumerics with 51000 (BadRequest)', async () => {
    const { sim, ex } = await setupOkx();
    for (const id of ['pb12-0', 'pb_12', 'a'.repeat(33)]) {
      const err = await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: id }));
      expect(err).toBeInstanceOf(ccxt.BadRequest);
      expect(err.message).toContain('Parameter clOrdId error');
    }
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: 'A'.repeat(32) });
    expect(sim.orders()).toHaveLength(1);
  });

  it('swaps are sized in contracts; reduce-only cannot open (51169); positions and leverage', async () => {
    const { sim, ex } = await setupOkx();
    await ex.createOrder(PERP, 'market', 'buy', 2, undefined, { clientOrderId: 'pb4L0' });
    expect(sim.position('BTC-USDT-SWAP')).toBe(2);
    const [pos] = await ex.fetchPositions([PERP]);
    expect([pos?.contracts, pos?.side, pos?.entryPrice, pos?.notional]).toEqual([2, 'long', 65000, 1300]);
    await ex.createOrder(PERP, 'market', 'sell', 2, undefined, { clientOrderId: 'pb4L1', reduceOnly: true });
    expect(sim.position('BTC-USDT-SWAP')).toBe(0);
    const err = await rejection(ex.createOrder(PERP, 'market', 'sell', 1, undefined, { clientOrderId: 'pb4L2', reduceOnly: true }));
    expect(err.message).toContain('51169');
    await ex.setLeverage(5, PERP, { marginMode: 'cross' });
    // Unlike Bybit (110043), OKX accepts the same leverage again.
    await ex.setLeverage(5, PERP, { marginMode: 'cross' });
    expect((await ex.fetchPositionMode(PERP)).hedged).toBe(false);
  });

  it('a trigger order is an algo order: listed with trigger: true, fires when the price crosses, and places an order', async () => {
    const { sim, ex } = await setupOkx();
    await ex.createOrder(PERP, 'market', 'buy', 1, undefined, { clientOrderId: 'pb5L0' });
    const stop = await ex.createOrder(PERP, 'market', 'sell', 1, undefined, { clientOrderId: 'pb5L1', triggerPrice: 60000, reduceOnly: true });
    expect(sim.requestCount('POST', '/api/v5/trade/order-algo')).toBe(1);
    const open = await ex.fetchOpenOrders(PERP, undefined, undefined, { trigger: true });
    expect(open.map((o) => [o.id, o.clientOrderId, o.triggerPrice])).toEqual([[stop.id, 'pb5L1', 60000]]);
    expect(await ex.fetchOpenOrders(PERP)).toEqual([]);
    // ccxt sends the id as clOrdId but looks algo orders up by algoClOrdId: found by algoId only.
    expect(await rejection(ex.fetchOrder(NO_ID, PERP, { clientOrderId: 'pb5L1', trigger: true }))).toBeInstanceOf(ccxt.OrderNotFound);
    expect((await ex.fetchOrder(stop.id ?? NO_ID, PERP, { trigger: true })).status).toBe('open');
    sim.setPrice('BTCUSDT', 59000);
    expect(sim.position('BTC-USDT-SWAP')).toBe(0);
    expect(sim.algoOrders().map((a) => a.state)).toEqual(['effective']);
    const placed = sim.orders().filter((o) => o.algoId !== '');
    expect(placed.map((o) => [o.algoId, o.state, o.accFillSz])).toEqual([[stop.id, 'filled', 1]]);
  });

  it('a stop-loss price is a conditional algo order; cancelled with trigger: true', async () => {
    const { sim, ex } = await setupOkx();
    await ex.createOrder(PERP, 'market', 'buy', 1, undefined, { clientOrderId: 'pb6L0' });
    const sl = await ex.createOrder(PERP, 'market', 'sell', 1, undefined, { clientOrderId: 'pb6L1', stopLossPrice: 61000, reduceOnly: true });
    expect(sim.algoOrders().map((a) => [a.ordType, a.slTriggerPx, a.state])).toEqual([['conditional', 61000, 'live']]);
    const [listed] = await ex.fetchOpenOrders(PERP, undefined, undefined, { ordType: 'conditional' });
    expect(listed?.stopLossPrice).toBe(61000);
    await ex.cancelOrder(sl.id ?? NO_ID, PERP, { trigger: true });
    expect(sim.algoOrders().map((a) => a.state)).toEqual(['canceled']);
    sim.setPrice('BTCUSDT', 60000);
    expect(sim.position('BTC-USDT-SWAP')).toBe(1);
  });
});
