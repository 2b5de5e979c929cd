/**
 * The Bybit v5 simulator's USDT perpetuals through the REAL ccxt bybit class: orders by
 * orderLinkId, reduce-only, conditional orders, TP/SL on create, positions, leverage, position mode.
 */
import { afterEach, describe, expect, it } from 'vitest';
import ccxt from 'ccxt';
import { NO_ID, setupBybit } from './bybit-support.js';
import { closeSimulators, rejection } from './support.js';

afterEach(closeSimulators);

const PERP = 'BTC/USDT:USDT';

describe('bybit simulator: linear perpetuals through ccxt', () => {
  it('opens and closes a position; a reduce-only order that would open one is refused (110017)', async () => {
    const { sim, ex } = await setupBybit();
    await ex.createOrder(PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'pbL1-0' });
    const [pos] = await ex.fetchPositions([PERP]);
    expect(pos?.side).toBe('long');
    expect(pos?.contracts).toBe(0.01);
    expect(pos?.entryPrice).toBe(65000);
    expect(pos?.leverage).toBe(10);
    sim.setPrice('BTCUSDT', 66000);
    await ex.createOrder(PERP, 'market', 'sell', 0.01, undefined, { clientOrderId: 'pbL1-1', reduceOnly: true });
    expect(sim.position('BTCUSDT').size).toBe(0);
    // 10 USDT of profit, minus the taker fees of both legs (0.055 %).
    expect(sim.linearWallet()).toBeCloseTo(10000 + 10 - 0.3575 - 0.363, 6);
    const err = await rejection(ex.createOrder(PERP, 'market', 'sell', 0.01, undefined, { clientOrderId: 'pbL1-2', reduceOnly: true }));
    expect(err).toBeInstanceOf(ccxt.InvalidOrder);
    expect(err.message).toContain('110017');
    expect(await ex.fetchPositions(undefined)).toEqual([]);
  });

  it('refuses a reused orderLinkId with 110072 (InvalidOrder) and finds / cancels by orderLinkId', async () => {
    const { sim, ex } = await setupBybit();
    await ex.createOrder(PERP, 'limit', 'buy', 0.01, 60000, { clientOrderId: 'pbL2-0' });
    const dup = await rejection(ex.createOrder(PERP, 'limit', 'buy', 0.01, 60000, { clientOrderId: 'pbL2-0' }));
    expect(dup).toBeInstanceOf(ccxt.InvalidOrder);
    expect(dup.message).toContain('110072');
    const found = await ex.fetchOrder(NO_ID, PERP, { orderLinkId: 'pbL2-0', acknowledged: true });
    expect([found.clientOrderId, found.status, found.amount, found.price]).toEqual(['pbL2-0', 'open', 0.01, 60000]);
    expect(found.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    // Without a symbol ccxt lists USDT-settled open orders (settleCoin).
    expect((await ex.fetchOpenOrders(undefined, undefined, undefined, { type: 'swap' })).map((o) => o.clientOrderId)).toEqual(['pbL2-0']);
    await ex.cancelOrder(NO_ID, PERP, { orderLinkId: 'pbL2-0' });
    const gone = await rejection(ex.cancelOrder(NO_ID, PERP, { orderLinkId: 'pbL2-0' }));
    expect(gone).toBeInstanceOf(ccxt.OrderNotFound);
    expect(gone.message).toContain('110001');
    expect(sim.ordersByLinkId('pbL2-0', 'linear').map((o) => o.status)).toEqual(['Cancelled']);
  });

  it('a conditional order needs a direction that is not met yet (110092 / 110093) and fires when the price crosses', async () => {
    const { sim, ex } = await setupBybit();
    const rising = await rejection(ex.createOrder(PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'pbL3-0', triggerPrice: 64000, triggerDirection: 'above' }));
    expect(rising).toBeInstanceOf(ccxt.InvalidOrder);
    expect(rising.message).toContain('110092');
    expect((await rejection(ex.createOrder(PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'pbL3-1', triggerPrice: 66000, triggerDirection: 'below' }))).message).toContain('110093');
    await ex.createOrder(PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'pbL3-2', triggerPrice: 66000, triggerDirection: 'above' });
    const open = await ex.fetchOpenOrders(PERP, undefined, undefined, { trigger: true });
    expect(open.map((o) => [o.clientOrderId, o.triggerPrice, o.info.orderStatus, o.info.stopOrderType])).toEqual([['pbL3-2', 66000, 'Untriggered', 'Stop']]);
    expect(sim.position('BTCUSDT').size).toBe(0);
    sim.setPrice('BTCUSDT', 66500);
    expect(sim.position('BTCUSDT').size).toBe(0.01);
    const done = await ex.fetchOrder(NO_ID, PERP, { orderLinkId: 'pbL3-2', acknowledged: true });
    expect([done.status, done.filled, done.average]).toEqual(['closed', 0.01, 66500]);
    expect(sim.fills().map((f) => f.orderLinkId)).toEqual(['pbL3-2']);
  });

  it('a stop-loss price (ccxt stopLossPrice) is a reduce-only conditional order that closes the position', async () => {
    const { sim, ex } = await setupBybit();
    await ex.createOrder(PERP, 'market', 'buy', 0.02, undefined, { clientOrderId: 'pbL4-0' });
    await ex.createOrder(PERP, 'market', 'sell', 0.02, undefined, { clientOrderId: 'pbL4-1', stopLossPrice: 63000, reduceOnly: true });
    const sent = sim.requests({ path: '/v5/order/create' })[1]?.params;
    expect([sent?.triggerDirection, sent?.triggerPrice, sent?.reduceOnly]).toEqual(['2', '63000', 'true']);
    const stop = await ex.fetchOrder(NO_ID, PERP, { orderLinkId: 'pbL4-1', acknowledged: true });
    expect([stop.status, stop.stopLossPrice, stop.reduceOnly]).toEqual(['open', 63000, true]);
    sim.setPrice('BTCUSDT', 62900);
    expect(sim.position('BTCUSDT').size).toBe(0);
    expect(sim.ordersByLinkId('pbL4-1')[0]?.status).toBe('Filled');
  });

  it('TP/SL on create become the position take profit and stop loss once the entry fills', async () => {
    const { sim, ex } = await setupBybit();
    const bad = await rejection(ex.createOrder(PERP, 'limit', 'buy', 0.01, 64000, { clientOrderId: 'pbL5-x', stopLoss: { triggerPrice: 64500 } }));
    expect(bad).toBeInstanceOf(ccxt.BadRequest);
    expect(bad.message).toContain('StopLoss:64500 set for Buy position should be lower than base_price:64000');
    await ex.createOrder(PERP, 'limit', 'buy', 0.01, 64000, { clientOrderId: 'pbL5-0', takeProfit: { triggerPrice: 70000 }, stopLoss: { triggerPrice: 60000 } });
    expect(sim.openOrders('linear').map((o) => o.stopOrderType)).toEqual(['']);
    sim.setPrice('BTCUSDT', 63900);
    const stops = sim.openOrders('linear').map((o) => [o.stopOrderType, o.triggerPrice, o.side]);
    expect(stops).toEqual([['TakeProfit', 70000, 'Sell'], ['StopLoss', 60000, 'Sell']]);
    const [pos] = await ex.fetchPositions([PERP]);
    expect([pos?.takeProfitPrice, pos?.stopLossPrice]).toEqual([70000, 60000]);
    sim.setPrice('BTCUSDT', 59000);
    expect(sim.position('BTCUSDT').size).toBe(0);
    // The stop loss closed the position; the take profit of a flat position is deactivated.
    expect(sim.orders('linear').filter((o) => o.stopOrderType !== '').map((o) => o.status)).toEqual(['Deactivated', 'Filled']);
  });

  it('leverage: set once, the same value again is 110043 (BadRequest); the position mode: 110025 when unchanged', async () => {
    const { sim, ex } = await setupBybit();
    await ex.setLeverage(5, PERP);
    expect(sim.position('BTCUSDT').leverage).toBe(5);
    const same = await rejection(ex.setLeverage(5, PERP));
    expect(same).toBeInstanceOf(ccxt.BadRequest);
    expect(same.message).toContain('110043');
    expect(await rejection(ex.setPositionMode(false, PERP))).toBeInstanceOf(ccxt.NoChange);
    await ex.setPositionMode(true, PERP);
    // Hedge mode is accepted but not simulated: one-way orders (positionIdx 0) are refused as Bybit refuses them.
    const oneWay = await rejection(ex.createOrder(PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'pbL6-0' }));
    expect(oneWay.message).toContain('position idx not match position mode');
    await ex.setPositionMode(false, PERP);
    await ex.createOrder(PERP, 'market', 'buy', 0.01, undefined, { clientOrderId: 'pbL6-1' });
    const [pos] = await ex.fetchPositions([PERP]);
    expect([pos?.leverage, pos?.initialMargin]).toEqual([5, 130]);
  });
});
