import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { CcxtVenue } from '../main/engine/venues/ccxt-venue.js';
import { createExchange } from '../main/engine/venues/ccxt-setup.js';
import { VenueError } from '../main/engine/venues/venue-error.js';
import {
  createSimulatedBinanceUsdm, startExchangeSimulator, type Simulator, type SimulatorOptions,
} from './support/exchange-simulator/index.js';

/**
 * The simulator's Binance USDⓈ-M perpetuals, driven by the REAL ccxt `binanceusdm` (~4.5.84)
 * pointed at it: the fapi endpoints ccxt calls for markets, orders, trades, positions and the
 * account, one-way position mode, reduce-only, client order ids, the outside-the-API position hook
 * and the fault injection shared with spot.
 */
const BTC = 'BTC/USDT:USDT';
const running: Simulator[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function setup(options: SimulatorOptions = {}) {
  const sim = await startExchangeSimulator(options);
  running.push(sim);
  const ex = createSimulatedBinanceUsdm(sim, { enableRateLimit: false, timeout: 2000 });
  await ex.loadMarkets();
  return { sim, ex };
}

const orderCalls = (sim: Simulator) => sim.requests().filter((r) => r.path === '/fapi/v1/order' && r.method !== 'GET');
/** ccxt types Order.id as string | undefined; Binance always gives one. */
function idOf(order: { id?: string | undefined }): string {
  if (order.id === undefined) throw new Error('order without id');
  return order.id;
}
const byClientId = (ex: ReturnType<typeof createSimulatedBinanceUsdm>, clientOrderId: string) =>
  ex.fetchOrder(undefined as unknown as string, BTC, { clientOrderId });

describe('exchange simulator: USDⓈ-M perpetuals through ccxt binanceusdm', () => {
  it('loads the perpetual markets with one fapi call, and nothing from the spot wallet (sapi)', async () => {
    const { sim, ex } = await setup();
    expect(sim.requests().map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual(['GET /fapi/v1/exchangeInfo 200']);
    expect(Object.keys(ex.markets ?? {}).sort()).toEqual([BTC, 'ETH/USDT:USDT']);
    expect(ex.market(BTC)).toMatchObject({
      id: 'BTCUSDT', type: 'swap', swap: true, linear: true, contract: true, settle: 'USDT', contractSize: 1, active: true,
      precision: { amount: 0.001, price: 0.1 }, limits: { amount: { min: 0.001, max: 1000 }, cost: { min: 100 } },
    });
    expect(await ex.fetchTime()).toBeCloseTo(sim.serverTime(), -3);
    const ticker = await ex.fetchTicker(BTC);
    expect(ticker).toMatchObject({ symbol: BTC, last: 65_000 });
    expect(sim.requestCount('GET', '/fapi/v1/ticker/24hr')).toBe(1);
  });

  it('fills a market order at the last price: the order, its trade (fee in USDT), the long position and the wallet', async () => {
    const { sim, ex } = await setup();
    const o = await ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'pb-fut-1' });
    expect(o).toMatchObject({ clientOrderId: 'pb-fut-1', status: 'closed', filled: 0.01, average: 65_000, cost: 650, reduceOnly: false });
    // The order answer carries no fee on Binance futures: the trades do.
    expect(o.fee).toBeUndefined();
    expect(orderCalls(sim)[0]?.params).toMatchObject({ symbol: 'BTCUSDT', side: 'BUY', type: 'MARKET', quantity: '0.01', newClientOrderId: 'pb-fut-1', newOrderRespType: 'RESULT' });

    const looked = await byClientId(ex, 'pb-fut-1');
    expect(looked).toMatchObject({ id: o.id, status: 'closed', filled: 0.01, average: 65_000 });
    const trades = await ex.fetchMyTrades(BTC, undefined, undefined, { orderId: o.id });
    expect(trades.map((t) => [t.order, t.side, t.amount, t.price, t.fee?.cost, t.fee?.currency, t.takerOrMaker])).toEqual([[o.id, 'buy', 0.01, 65_000, 0.325, 'USDT', 'taker']]);

    const [p] = await ex.fetchPositions();
    expect(p).toMatchObject({ symbol: BTC, side: 'long', contracts: 0.01, entryPrice: 65_000, markPrice: 65_000, unrealizedPnl: 0, notional: 650, marginMode: 'cross', hedged: false });
    expect(sim.futures.position('BTCUSDT')).toMatchObject({ positionAmt: 0.01, entryPrice: 65_000, leverage: 20 });
    const b = await ex.fetchBalance();
    // 20x: 650 USDT of position holds 32.5 USDT of initial margin.
    expect(b.USDT).toEqual({ free: 9967.175, used: 32.5, total: 9999.675 });
    expect(sim.futures.wallet()).toMatchObject({ walletBalance: 9999.675, initialMargin: 32.5 });
  });

  it('rests a limit order until the price crosses it (maker fee), averages the entry, and realizes P&L on a reduce', async () => {
    const { sim, ex } = await setup();
    await ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'open-1' });
    const resting = await ex.createOrder(BTC, 'limit', 'buy', 0.01, 63_000, { clientOrderId: 'dip-1' });
    expect(resting).toMatchObject({ status: 'open', filled: 0, price: 63_000 });
    expect((await ex.fetchOpenOrders(BTC)).map((x) => x.clientOrderId)).toEqual(['dip-1']);
    // A resting entry holds margin: 630 / 20.
    expect((await ex.fetchBalance()).USDT?.used).toBe(32.5 + 31.5);

    sim.futures.setPrice('BTCUSDT', 62_900);
    expect(await byClientId(ex, 'dip-1')).toMatchObject({ status: 'closed', filled: 0.01, average: 63_000 });
    expect(sim.futures.position('BTCUSDT')).toMatchObject({ positionAmt: 0.02, entryPrice: 64_000 });
    // Taker 0.05 % on 650, maker 0.02 % on 630.
    expect(sim.futures.wallet().walletBalance).toBeCloseTo(10_000 - 0.325 - 0.126, 8);

    sim.futures.setPrice('BTCUSDT', 66_000);
    const [p] = await ex.fetchPositions();
    expect(p).toMatchObject({ contracts: 0.02, entryPrice: 64_000, unrealizedPnl: 40 });
    const reduce = await ex.createOrder(BTC, 'market', 'sell', 0.015, undefined, { reduceOnly: true, clientOrderId: 'take-1' });
    expect(reduce).toMatchObject({ status: 'closed', filled: 0.015, reduceOnly: true });
    const [t] = await ex.fetchMyTrades(BTC, undefined, undefined, { orderId: reduce.id });
    expect(t?.info).toMatchObject({ realizedPnl: '30.00000000', commission: '0.49500000', side: 'SELL', buyer: false, maker: false });
    expect(sim.futures.position('BTCUSDT')).toMatchObject({ positionAmt: 0.005, entryPrice: 64_000 });
    expect(sim.futures.wallet().walletBalance).toBeCloseTo(10_000 - 0.325 - 0.126 + 30 - 0.495, 8);
  });

  it('refuses a reduce-only order that would open, grow or flip the position (-2022), and trades nothing', async () => {
    const { sim, ex } = await setup();
    const flatRefusal = await ex.createOrder(BTC, 'market', 'sell', 0.01, undefined, { reduceOnly: true }).catch((e: unknown) => e);
    expect(flatRefusal).toBeInstanceOf(ccxt.ExchangeError);
    expect(String(flatRefusal)).toContain('{"code":-2022,"msg":"ReduceOnly Order is rejected."}');

    await ex.createOrder(BTC, 'market', 'buy', 0.01);
    await expect(ex.createOrder(BTC, 'market', 'buy', 0.005, undefined, { reduceOnly: true })).rejects.toThrow(/-2022/);
    await expect(ex.createOrder(BTC, 'market', 'sell', 0.02, undefined, { reduceOnly: true })).rejects.toThrow(/-2022/);
    await expect(ex.createOrder(BTC, 'limit', 'sell', 0.011, 70_000, { reduceOnly: true })).rejects.toThrow(/-2022/);
    expect(sim.counters().ordersRejected).toBe(4);
    expect(orderCalls(sim).map((r) => [r.params.reduceOnly, r.status, r.code])).toEqual([
      ['true', 400, -2022],
      [undefined, 200, undefined],
      ['true', 400, -2022],
      ['true', 400, -2022],
      ['true', 400, -2022],
    ]);
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0.01);
    expect(sim.futures.orders()).toHaveLength(1);

    // A resting reduce-only order only closes what is left when it fills: the rest expires.
    const rest = await ex.createOrder(BTC, 'limit', 'sell', 0.01, 66_000, { reduceOnly: true, clientOrderId: 'tp-1' });
    sim.futures.adjustPosition('BTCUSDT', -0.006, { fee: 0 });
    sim.futures.setPrice('BTCUSDT', 66_000);
    expect(await ex.fetchOrder(idOf(rest), BTC)).toMatchObject({ status: 'expired', filled: 0.004 });
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0);
  });

  it('refuses orders below the minimum notional (-4164, reduce-only exempt) and beyond the margin (-2019)', async () => {
    const { sim, ex } = await setup({ futures: { balances: { USDT: 100 } } });
    await expect(ex.createOrder(BTC, 'market', 'buy', 0.001)).rejects.toThrow(/-4164.*no smaller than 100 \(unless you choose reduce only\)/);
    // 100 USDT at 20x carries 2,000 USDT of position, not 3,250.
    await expect(ex.createOrder(BTC, 'market', 'buy', 0.05)).rejects.toThrow(/-2019,"msg":"Margin is insufficient\."/);
    await ex.createOrder(BTC, 'market', 'buy', 0.03);
    await expect(ex.createOrder(BTC, 'limit', 'buy', 0.01, 60_000)).rejects.toThrow(/-2019/);
    // Reducing needs no margin and no minimum notional.
    const small = await ex.createOrder(BTC, 'market', 'sell', 0.001, undefined, { reduceOnly: true });
    expect(small).toMatchObject({ status: 'closed', filled: 0.001 });
    // More decimals than the market's quantity precision.
    await expect(ex.createOrder(BTC, 'market', 'sell', 0.001, undefined, { quantity: '0.0015', reduceOnly: true })).rejects.toThrow(/-1111/);
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0.029);
  });

  it("duplicate newClientOrderId: -4116 while the first order is open, accepted again once it is not (Binance futures' rule)", async () => {
    const { sim, ex } = await setup();
    const first = await ex.createOrder(BTC, 'limit', 'buy', 0.002, 60_000, { clientOrderId: 'dup-1' });
    const dup = await ex.createOrder(BTC, 'limit', 'buy', 0.002, 60_000, { clientOrderId: 'dup-1' }).catch((e: unknown) => e);
    expect(String(dup)).toContain('{"code":-4116,"msg":"ClientOrderId is duplicated."}');
    expect(sim.futures.ordersByClientId('dup-1')).toHaveLength(1);

    // Unlike spot, the cancel's answer names the order's own client id.
    const cancelled = await ex.cancelOrder(undefined as unknown as string, BTC, { clientOrderId: 'dup-1' });
    expect(cancelled).toMatchObject({ id: first.id, clientOrderId: 'dup-1', status: 'canceled' });
    await expect(ex.cancelOrder(undefined as unknown as string, BTC, { clientOrderId: 'dup-1' })).rejects.toThrow(ccxt.OrderNotFound);

    const again = await ex.createOrder(BTC, 'market', 'buy', 0.002, undefined, { clientOrderId: 'dup-1' });
    expect(again.id).not.toBe(first.id);
    expect(sim.futures.ordersByClientId('dup-1').map((o) => o.status)).toEqual(['CANCELED', 'FILLED']);
    // A look-up by client id finds the newest.
    expect(await byClientId(ex, 'dup-1')).toMatchObject({ id: again.id, status: 'closed' });
    await expect(byClientId(ex, 'never-sent')).rejects.toThrow(ccxt.OrderNotFound);
  });

  it('lists short positions with their sign and unrealized P&L; the wallet moves only by realized P&L and fees', async () => {
    const { sim, ex } = await setup();
    await ex.createOrder('ETH/USDT:USDT', 'market', 'sell', 0.5);
    sim.futures.setPrice('ETHUSDT', 3_100);
    const [p] = await ex.fetchPositions(['ETH/USDT:USDT']);
    expect(p).toMatchObject({ symbol: 'ETH/USDT:USDT', side: 'short', contracts: 0.5, entryPrice: 3_200, unrealizedPnl: 50, notional: 1_550 });
    expect(sim.requests({ path: '/fapi/v3/positionRisk' })).toHaveLength(1);
    const b = await ex.fetchBalance();
    // ccxt's total is Binance's margin balance (unrealized P&L included); the wallet is not moved by the price.
    expect(b.USDT?.total).toBeCloseTo(10_000 - 0.8 + 50, 8);
    expect(b.info.assets[0]).toMatchObject({ asset: 'USDT', walletBalance: '9999.20000000', unrealizedProfit: '50.00000000' });
    expect(sim.futures.wallet()).toMatchObject({ walletBalance: 9999.2, unrealizedProfit: 50, marginBalance: 10_049.2 });
  });

  it('changes a position outside the API (manual trade, liquidation) without a request, moving the wallet by realized P&L and fee', async () => {
    const { sim, ex } = await setup();
    await ex.createOrder(BTC, 'market', 'buy', 0.01);
    const requests = sim.requests().length;
    const manual = sim.futures.adjustPosition('BTCUSDT', 0.005, { price: 64_000 });
    expect(manual).toMatchObject({ side: 'BUY', qty: 0.005, price: 64_000, commission: 0.16, realizedPnl: 0 });
    expect(sim.futures.position('BTCUSDT')).toMatchObject({ positionAmt: 0.015 });
    expect(sim.futures.position('BTCUSDT').entryPrice).toBeCloseTo(64_666.66666666, 6);

    const liq = sim.futures.adjustPosition('BTCUSDT', -0.012, { price: 60_000, fee: 9, kind: 'liquidation' });
    expect(liq.realizedPnl).toBeCloseTo(-0.012 * 4_666.66666666, 5);
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0.003);
    expect(sim.futures.orders().map((o) => [o.origin, o.side, o.status])).toEqual([
      ['api', 'BUY', 'FILLED'],
      ['manual', 'BUY', 'FILLED'],
      ['liquidation', 'SELL', 'FILLED'],
    ]);
    expect(sim.futures.ordersByClientId(sim.futures.orders()[2]!.clientOrderId)[0]?.clientOrderId).toMatch(/^autoclose-/);
    expect(sim.futures.wallet().walletBalance).toBeCloseTo(10_000 - 0.325 - 0.16 + liq.realizedPnl - 9, 8);
    expect(sim.requests()).toHaveLength(requests);
    // A liquidation only ever shrinks a position.
    expect(() => sim.futures.adjustPosition('BTCUSDT', -0.004, { kind: 'liquidation' })).toThrow(/cannot open, grow or flip/);
    const [p] = await ex.fetchPositions();
    expect(p).toMatchObject({ contracts: 0.003, side: 'long' });
  });

  it('applies the fault injection to fapi routes: an order executed but unanswered is found by its client id; 429 is DDoSProtection', async () => {
    const { sim, ex } = await setup();
    sim.injectFault({ kind: 'acceptThenTimeout', method: 'POST', path: '/fapi/v1/order', ms: 300 });
    const lost = await ex.createOrder(BTC, 'market', 'buy', 0.01, undefined, { clientOrderId: 'lost-1' }).catch((e: unknown) => e);
    expect(lost).toBeInstanceOf(ccxt.NetworkError);
    expect(sim.counters().faults).toEqual({ acceptThenTimeout: 1 });
    expect(await byClientId(ex, 'lost-1')).toMatchObject({ status: 'closed', filled: 0.01 });
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0.01);

    sim.injectFault({ kind: 'http429', path: /^\/fapi\/v3\//, times: 2 });
    await expect(ex.fetchBalance()).rejects.toThrow(ccxt.DDoSProtection);
    await expect(ex.fetchPositions()).rejects.toThrow(ccxt.DDoSProtection);
    expect((await ex.fetchPositions())[0]).toMatchObject({ contracts: 0.01 });
    sim.injectFault({ kind: 'clockSkew', path: '/fapi/v1/userTrades' });
    await expect(ex.fetchMyTrades(BTC)).rejects.toThrow(ccxt.InvalidNonce);
  });
});

describe("Pinebridge's live venue on binanceusdm against the simulator", () => {
  async function venue(sim: Simulator): Promise<CcxtVenue> {
    const exchange = await createExchange({
      exchangeId: 'binanceusdm', mode: 'live', credentials: { apiKey: sim.apiKey, secret: sim.secret }, exchangeUrl: sim.url, timeoutMs: 2000, recvWindowMs: 5000,
    });
    const v = new CcxtVenue(exchange, { account: 'perp', mode: 'live', marketsRefreshMs: 60_000, now: Date.now });
    await v.loadMarkets();
    return v;
  }

  it('loads only fapi markets, places reduce-only exits, and reads signed positions and the wallet balance', async () => {
    const sim = await startExchangeSimulator();
    running.push(sim);
    const v = await venue(sim);
    expect(sim.requests().map((r) => r.path).sort()).toEqual(['/fapi/v1/exchangeInfo', '/fapi/v1/time']);
    expect(v.market(BTC)).toMatchObject({ type: 'swap', contract: true, settle: 'USDT', contractSize: 1 });

    await v.createOrder({ symbol: BTC, side: 'sell', type: 'market', amount: 0.02, clientOrderId: 'pb-short-0' });
    const exit = await v.createOrder({ symbol: BTC, side: 'buy', type: 'market', amount: 0.005, reduceOnly: true, clientOrderId: 'pb-exit-0' });
    expect(exit).toMatchObject({ status: 'closed', filled: 0.005 });
    expect(sim.futures.ordersByClientId('pb-exit-0')[0]).toMatchObject({ reduceOnly: true });
    expect(await v.fetchPositions!()).toEqual([{ symbol: BTC, contracts: -0.015, markPrice: 65_000 }]);

    // The price moves: the position's unrealized P&L is not part of the balance reconciled.
    sim.futures.setPrice('BTCUSDT', 60_000);
    const b = await v.fetchBalance();
    expect(sim.futures.wallet().unrealizedProfit).toBe(75);
    expect(b.USDT?.total).toBeCloseTo(sim.futures.wallet().walletBalance, 8);
    const trades = await v.fetchOrderTrades(BTC, exit.id);
    expect(trades.map((t) => [t.amount, t.price, t.fee])).toEqual([[0.005, 65_000, { cost: 0.1625, currency: 'USDT' }]]);
  });

  it('classifies a reused client id of an open order (-4116) as a duplicate: the order exists', async () => {
    const sim = await startExchangeSimulator();
    running.push(sim);
    const v = await venue(sim);
    await v.createOrder({ symbol: BTC, side: 'buy', type: 'limit', amount: 0.002, price: 60_000, clientOrderId: 'pb-dup-0' });
    const err = await v.createOrder({ symbol: BTC, side: 'buy', type: 'limit', amount: 0.002, price: 60_000, clientOrderId: 'pb-dup-0' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(VenueError);
    expect(err).toMatchObject({ kind: 'duplicate', code: 'DuplicateOrderId' });
    expect(await v.fetchOrderByClientId(BTC, 'pb-dup-0')).toMatchObject({ status: 'open', amount: 0.002 });
    // A reduce-only refusal is the exchange's "no": never retried.
    const refused = await v.createOrder({ symbol: BTC, side: 'sell', type: 'market', amount: 0.01, reduceOnly: true, clientOrderId: 'pb-ro-0' }).catch((e: unknown) => e);
    expect(refused).toMatchObject({ kind: 'permanent' });
    expect((refused as Error).message).toMatch(/ReduceOnly Order is rejected/);
  });
});
