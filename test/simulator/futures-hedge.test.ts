import { afterEach, describe, expect, it } from 'vitest';
import { closeSimulators, setupUsdm } from './support.js';

/**
 * The simulator's Binance USDⓈ-M hedge mode (dualSidePosition), driven by the REAL ccxt
 * `binanceusdm`: every order names its side (positionSide LONG / SHORT, -4061 without or with
 * BOTH), reduceOnly may not be sent with it (-1106), a long and a short on one market are two
 * positions (positionRisk lists one row per side), and algo orders close the side they name.
 */
const BTC = 'BTC/USDT:USDT';
afterEach(closeSimulators);

/** The simulator in hedge mode (dualSidePosition), as the web app's Position Mode setting. */
async function setup() {
  const { sim, ex } = await setupUsdm();
  sim.futures.setDualSide(true);
  return { sim, ex };
}

describe('exchange simulator: USDⓈ-M hedge mode through ccxt binanceusdm', () => {
  it('refuses an order without its position side (-4061), with BOTH (-4061), and reduceOnly beside a side (-1106)', async () => {
    const { sim, ex } = await setup();
    await expect(ex.createOrder(BTC, 'market', 'buy', 0.01)).rejects.toThrow(/-4061/);
    await expect(ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, { positionSide: 'BOTH' })).rejects.toThrow(/-4061/);
    await expect(ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { positionSide: 'LONG', reduceOnly: true })).rejects.toThrow(/-1106.*reduceonly/);
    await expect(ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { positionSide: 'LONG', reduceOnly: true, stopLossPrice: 60_000 })).rejects.toThrow(/-1106/);
    expect(sim.futures.orders()).toEqual([]);
    expect(sim.futures.algoOrders()).toEqual([]);
  });

  it('holds a long and a short on one market as two positions; each close moves only its side; positionRisk lists both', async () => {
    const { sim, ex } = await setup();
    await ex.createOrder(BTC, 'market', 'buy', 0.02, undefined, { positionSide: 'LONG', clientOrderId: 'long-1' });
    await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { positionSide: 'SHORT', clientOrderId: 'short-1' });
    expect(sim.futures.position('BTCUSDT', 'LONG').positionAmt).toBeCloseTo(0.02, 10);
    expect(sim.futures.position('BTCUSDT', 'SHORT').positionAmt).toBeCloseTo(-0.01, 10);
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0);
    const listed = await ex.fetchPositions([BTC]);
    expect(listed.map((p) => [p.side, p.contracts, p.hedged]).sort()).toEqual([['long', 0.02, true], ['short', 0.01, true]]);

    // Closing more than the side holds is refused (-2022), as Binance does in hedge mode.
    await expect(ex.createOrder(BTC, 'market', 'buy', 0.02, undefined, { positionSide: 'SHORT' })).rejects.toThrow(/-2022/);
    const sold = await ex.createOrder(BTC, 'market', 'sell', 0.02, undefined, { positionSide: 'LONG', clientOrderId: 'long-exit' });
    expect(sold).toMatchObject({ status: 'closed', filled: 0.02 });
    expect(sim.futures.position('BTCUSDT', 'LONG').positionAmt).toBe(0);
    expect(sim.futures.position('BTCUSDT', 'SHORT').positionAmt).toBeCloseTo(-0.01, 10);
    expect(sim.futures.ordersByClientId('long-exit')[0]).toMatchObject({ positionSide: 'LONG', side: 'SELL', reduceOnly: false });
    const trades = await ex.fetchMyTrades(BTC);
    expect(trades.map((t) => (t.info as { positionSide: string }).positionSide)).toEqual(['LONG', 'SHORT', 'LONG']);
  });

  it("a stop on the short side fires only the short's close, at most what that side holds", async () => {
    const { sim, ex } = await setup();
    await ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, { positionSide: 'LONG' });
    await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { positionSide: 'SHORT' });
    const stop = await ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, { positionSide: 'SHORT', stopLossPrice: 66_000, clientOrderId: 'short-sl' });
    expect(stop).toMatchObject({ status: 'open', triggerPrice: 66_000 });
    expect(sim.futures.algoOrdersByClientId('short-sl')[0]).toMatchObject({ positionSide: 'SHORT', reduceOnly: false, algoStatus: 'NEW' });
    sim.futures.setPrice('BTCUSDT', 66_500);
    expect(sim.futures.algoOrdersByClientId('short-sl')[0]).toMatchObject({ algoStatus: 'FINISHED' });
    expect(sim.futures.position('BTCUSDT', 'SHORT').positionAmt).toBe(0);
    expect(sim.futures.position('BTCUSDT', 'LONG').positionAmt).toBeCloseTo(0.01, 10);
  });

  it('the mode cannot change while a position is open (-4068), as on Binance', async () => {
    const { sim, ex } = await setup();
    await ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, { positionSide: 'LONG' });
    await expect(ex.setPositionMode(false, BTC)).rejects.toThrow(/-4068/);
    await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { positionSide: 'LONG' });
    await ex.setPositionMode(false, BTC);
    expect(await ex.fetchPositionMode(BTC)).toMatchObject({ hedged: false });
    expect(sim.futures.positions()).toEqual([]);
  });
});
