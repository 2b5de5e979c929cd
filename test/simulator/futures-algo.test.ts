import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import type { Simulator } from '../support/exchange-simulator/index.js';
import { closeSimulators, setupUsdm } from './support.js';

/**
 * The simulator's Binance USDⓈ-M algo (conditional) orders, driven by the REAL ccxt
 * `binanceusdm`: stop-loss / take-profit / trailing orders go to POST /fapi/v1/algoOrder, are
 * found, listed and cancelled only with ccxt's `trigger: true` (GET/DELETE /fapi/v1/algoOrder,
 * GET /fapi/v1/openAlgoOrders), and trigger a plain market order when the price crosses them.
 */
const BTC = 'BTC/USDT:USDT';
afterEach(closeSimulators);

const setup = setupUsdm;

type Usdm = Awaited<ReturnType<typeof setup>>['ex'];
const NO_ID = undefined as unknown as string;
const lookUp = (ex: Usdm, clientOrderId: string, trigger = true) => ex.fetchOrder(NO_ID, BTC, trigger ? { clientOrderId, trigger } : { clientOrderId });
const stopLoss = (ex: Usdm, clientOrderId: string, amount: number, at: number) =>
  ex.createOrder(BTC, 'market', 'sell', amount, undefined, { clientOrderId, reduceOnly: true, stopLossPrice: at });
const algoCalls = (sim: Simulator) => sim.requests().filter((r) => r.path.includes('lgo'));

describe('exchange simulator: USDⓈ-M algo orders through ccxt binanceusdm', () => {
  it('a reduce-only STOP_MARKET is an algo order: found by clientOrderId and listed only with trigger, cancelled, unique while open', async () => {
    const { sim, ex } = await setup();
    await ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'entry-1' });
    const stop = await stopLoss(ex, 'sl-1', 0.01, 63_000);
    expect(stop).toMatchObject({ clientOrderId: 'sl-1', status: 'open', type: 'market', side: 'sell', amount: 0.01, filled: 0, triggerPrice: 63_000, reduceOnly: true });
    const [algo] = sim.futures.algoOrdersByClientId('sl-1');
    expect(algo).toMatchObject({ orderType: 'STOP_MARKET', side: 'SELL', quantity: 0.01, triggerPrice: 63_000, reduceOnly: true, algoStatus: 'NEW', actualOrderId: null });
    expect(stop.id).toBe(String(algo!.algoId));
    expect(algoCalls(sim).map((r) => [r.method, r.path, r.params.algoType, r.params.type, r.params.triggerPrice, r.params.quantity, r.params.reduceOnly, r.params.clientAlgoId])).toEqual([
      ['POST', '/fapi/v1/algoOrder', 'CONDITIONAL', 'STOP_MARKET', '63000', '0.01', 'true', 'sl-1'],
    ]);
    // Not a plain order: the plain order book knows nothing of it.
    expect(sim.futures.ordersByClientId('sl-1')).toEqual([]);
    await expect(lookUp(ex, 'sl-1', false)).rejects.toThrow(ccxt.OrderNotFound);
    expect(await ex.fetchOpenOrders(BTC)).toEqual([]);

    expect(await lookUp(ex, 'sl-1')).toMatchObject({ id: stop.id, clientOrderId: 'sl-1', status: 'open', triggerPrice: 63_000 });
    expect(await ex.fetchOrder(stop.id!, BTC, { trigger: true })).toMatchObject({ clientOrderId: 'sl-1', status: 'open' });
    expect((await ex.fetchOpenOrders(BTC, undefined, undefined, { trigger: true })).map((o) => [o.clientOrderId, o.status])).toEqual([['sl-1', 'open']]);
    expect(sim.requestCount('GET', '/fapi/v1/openAlgoOrders')).toBe(1);
    // While it is open its clientAlgoId cannot be used again; one that would trigger at once is refused.
    await expect(stopLoss(ex, 'sl-1', 0.01, 62_000)).rejects.toThrow(/-4116/);
    await expect(stopLoss(ex, 'sl-now', 0.01, 66_000)).rejects.toThrow(/-2021,"msg":"Order would immediately trigger/);

    await expect(ex.cancelOrder(NO_ID, BTC, { clientOrderId: 'sl-1' })).rejects.toThrow(ccxt.OrderNotFound);
    const cancelled = await ex.cancelOrder(NO_ID, BTC, { clientOrderId: 'sl-1', trigger: true });
    expect(cancelled).toMatchObject({ id: stop.id, clientOrderId: 'sl-1' });
    expect(sim.requests({ method: 'DELETE', path: '/fapi/v1/algoOrder' })[0]?.params).toMatchObject({ symbol: 'BTCUSDT', clientAlgoId: 'sl-1' });
    expect(await lookUp(ex, 'sl-1')).toMatchObject({ status: 'canceled' });
    await expect(ex.cancelOrder(NO_ID, BTC, { clientOrderId: 'sl-1', trigger: true })).rejects.toThrow(ccxt.OrderNotFound);
    expect(sim.futures.openAlgoOrders()).toEqual([]);
    // Cancelled, it no longer triggers.
    sim.futures.setPrice('BTCUSDT', 60_000);
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0.01);
    expect(sim.futures.algoOrdersByClientId('sl-1').map((a) => a.algoStatus)).toEqual(['CANCELED']);
  });

  it('triggers when the price crosses: a market order fills and closes the position; the algo order names it', async () => {
    const { sim, ex } = await setup();
    await ex.createOrder(BTC, 'market', 'buy', 0.01);
    await stopLoss(ex, 'sl-2', 0.01, 63_000);
    await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { clientOrderId: 'tp-2', reduceOnly: true, takeProfitPrice: 70_000 });
    expect(sim.futures.openAlgoOrders().map((a) => [a.clientAlgoId, a.orderType])).toEqual([['sl-2', 'STOP_MARKET'], ['tp-2', 'TAKE_PROFIT_MARKET']]);

    sim.futures.setPrice('BTCUSDT', 63_100);
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0.01);
    sim.futures.setPrice('BTCUSDT', 62_900);
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0);
    const [algo] = sim.futures.algoOrdersByClientId('sl-2');
    expect(algo).toMatchObject({ algoStatus: 'FINISHED', actualOrderId: expect.any(Number) });
    expect(sim.futures.order(algo!.actualOrderId!)).toMatchObject({ type: 'MARKET', side: 'SELL', status: 'FILLED', executedQty: 0.01, avgPrice: 62_900, reduceOnly: true });
    // Binance taker fee on the stop's 629 USDT, and the 21 USDT loss realized.
    expect(sim.futures.wallet().walletBalance).toBeCloseTo(10_000 - 0.325 - 21 - 0.3145, 8);

    // The algo order itself carries no fills: the order it placed does (found by its actualOrderId).
    const fired = await lookUp(ex, 'sl-2');
    expect(fired).toMatchObject({ status: 'closed', filled: 0 });
    expect(fired.info).toMatchObject({ algoStatus: 'FINISHED', actualOrderId: String(algo!.actualOrderId), actualPrice: '62900.00000000' });
    expect(await ex.fetchOrder(String(algo!.actualOrderId), BTC)).toMatchObject({ status: 'closed', filled: 0.01, average: 62_900 });
    expect(await ex.fetchOpenOrders(BTC, undefined, undefined, { trigger: true })).toHaveLength(1);

    // The take-profit triggers with nothing left to close: reduce-only, it expires without an order.
    sim.futures.setPrice('BTCUSDT', 70_000);
    expect(await lookUp(ex, 'tp-2')).toMatchObject({ status: 'expired', filled: 0 });
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0);
    expect(sim.futures.orders()).toHaveLength(2);
  });

  it('a trailing stop follows the high and fires on the callback; a closePosition stop closes whatever is held', async () => {
    const { sim, ex } = await setup();
    await ex.createOrder(BTC, 'market', 'buy', 0.02);
    const trail = await ex.createTrailingPercentOrder(BTC, 'market', 'sell', 0.01, undefined, 1, undefined, { clientOrderId: 'tr-1', reduceOnly: true });
    expect(trail).toMatchObject({ clientOrderId: 'tr-1', status: 'open' });
    expect(algoCalls(sim)[0]?.params).toMatchObject({ type: 'TRAILING_STOP_MARKET', callbackRate: '1', quantity: '0.01' });
    sim.futures.setPrice('BTCUSDT', 66_000);
    sim.futures.setPrice('BTCUSDT', 65_400); // above 66,000 - 1 %
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0.02);
    sim.futures.setPrice('BTCUSDT', 65_300);
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0.01);
    expect(sim.futures.algoOrdersByClientId('tr-1')[0]).toMatchObject({ algoStatus: 'FINISHED', callbackRate: 1 });

    await ex.createOrder(BTC, 'market', 'sell', undefined as unknown as number, undefined, { clientOrderId: 'all-1', stopLossPrice: 64_000, closePosition: true });
    expect(sim.futures.algoOrdersByClientId('all-1')[0]).toMatchObject({ closePosition: true, quantity: 0 });
    sim.futures.setPrice('BTCUSDT', 63_900);
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0);
  });

  it('applies the fault injection to the algo routes: an algo order executed but unanswered is there to be found', async () => {
    const { sim, ex } = await setup();
    await ex.createOrder(BTC, 'market', 'buy', 0.01);
    sim.injectFault({ kind: 'drop', method: 'POST', path: '/fapi/v1/algoOrder', execute: true });
    await expect(stopLoss(ex, 'sl-lost', 0.01, 63_000)).rejects.toThrow(ccxt.NetworkError);
    expect(sim.futures.algoOrdersByClientId('sl-lost')).toHaveLength(1);
    sim.injectFault({ kind: 'http503', method: 'GET', path: '/fapi/v1/algoOrder' });
    await expect(lookUp(ex, 'sl-lost')).rejects.toThrow(ccxt.NetworkError);
    expect(await lookUp(ex, 'sl-lost')).toMatchObject({ status: 'open', amount: 0.01 });
    sim.injectFault({ kind: 'http500', method: 'DELETE', path: '/fapi/v1/algoOrder' });
    // -1001 is ccxt's OperationFailed: the cancel's outcome is unknown, and here it did not happen.
    await expect(ex.cancelOrder(NO_ID, BTC, { clientOrderId: 'sl-lost', trigger: true })).rejects.toThrow(ccxt.OperationFailed);
    expect(sim.futures.openAlgoOrders()).toHaveLength(1);
    expect(sim.counters().faults).toEqual({ drop: 1, http503: 1, http500: 1 });
  });
});
