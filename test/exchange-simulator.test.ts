/**
 * The exchange simulator driven by the REAL ccxt binance client (ccxt ~4.5.84), pointed at it
 * through urls.api. These tests pin down both the simulator's Binance behaviour and how ccxt
 * classifies each answer — the facts the execution engine's exactly-once logic relies on.
 */
import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import {
  createSimulatedBinance, DEFAULT_API_KEY, sign, startExchangeSimulator, type SimulatedBinanceOptions, type Simulator,
  type SimulatorOptions,
} from './support/exchange-simulator/index.js';

const running: Simulator[] = [];

afterEach(async () => {
  await Promise.all(running.splice(0).map((s) => s.close()));
});

async function setup(options: SimulatorOptions = {}, exchangeOptions: SimulatedBinanceOptions = {}) {
  const sim = await startExchangeSimulator(options);
  running.push(sim);
  // ccxt's own throttle would add ~200 ms before most signed calls; these tests do not measure it.
  const ex = createSimulatedBinance(sim, { enableRateLimit: false, ...exchangeOptions });
  await ex.loadMarkets();
  return { sim, ex };
}

/** The error a promise rejects with (fails the test if it resolves). */
async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    (value) => {
      throw new Error(`expected a rejection, got ${JSON.stringify(value)}`);
    },
    (err: unknown) => err as Error,
  );
}

/** ccxt types Order.id as string | undefined; Binance always gives one. */
function idOf(order: { id?: string | undefined }): string {
  if (order.id === undefined) throw new Error('order without id');
  return order.id;
}

/** fetchOrder by clientOrderId: ccxt 4.5 ignores the id when params.clientOrderId is set. */
const byClientId = (ex: ReturnType<typeof createSimulatedBinance>, symbol: string, clientOrderId: string) =>
  ex.fetchOrder(undefined as unknown as string, symbol, { clientOrderId });

describe('exchange simulator: markets and market data', () => {
  it('loadMarkets is one GET /api/v3/exchangeInfo and yields Binance precision and limits', async () => {
    const { sim, ex } = await setup();
    expect(sim.requests().map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/v3/exchangeInfo']);
    const btc = ex.market('BTC/USDT');
    expect(btc.id).toBe('BTCUSDT');
    expect(btc.spot).toBe(true);
    expect(btc.precision).toMatchObject({ amount: 0.00001, price: 0.01 });
    expect(btc.limits.amount).toMatchObject({ min: 0.00001, max: 9000 });
    expect(btc.limits.cost?.min).toBe(5);
    expect(ex.market('ETH/USDT').precision.amount).toBe(0.0001);
    expect(Object.keys(ex.markets ?? {})).toEqual(expect.arrayContaining(['BTC/USDT', 'ETH/USDT', 'SOL/USDT', 'ETH/BTC']));
    expect(ex.amountToPrecision('BTC/USDT', 0.0123456)).toBe('0.01234');
  });

  it('fetchTicker, fetchTickers and fetchTime follow setPrice; the server clock can be skewed', async () => {
    const { sim, ex } = await setup();
    sim.setPrice('BTCUSDT', 66000.5);
    const t = await ex.fetchTicker('BTC/USDT');
    expect(t.last).toBe(66000.5);
    expect(t.bid).toBe(66000.5);
    expect(t.high).toBe(66000.5);
    expect(t.low).toBe(65000);
    const all = await ex.fetchTickers(['BTC/USDT', 'ETH/USDT']);
    expect(all['ETH/USDT']?.last).toBe(3200);
    sim.setClockOffset(5000);
    const serverTime = await ex.fetchTime();
    expect(Math.abs((serverTime ?? 0) - (Date.now() + 5000))).toBeLessThan(500);
    expect(sim.requestCount('GET', '/api/v3/ticker/24hr')).toBe(2);
  });
});

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

describe('exchange simulator: Binance clientOrderId semantics', () => {
  it('a newClientOrderId equal to an OPEN order\'s is rejected: -2010 "Duplicate order sent." as InvalidOrder', async () => {
    const { sim, ex } = await setup();
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000, { clientOrderId: 'dup-1' });
    const err = await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000, { clientOrderId: 'dup-1' }));
    expect(err).toBeInstanceOf(ccxt.InvalidOrder);
    expect(err).not.toBeInstanceOf(ccxt.NetworkError);
    expect(err.message).toContain('Duplicate order sent.');
    expect(sim.ordersByClientId('dup-1')).toHaveLength(1);
  });

  it('a reused clientOrderId of a FILLED order is accepted as a second order (why blind retries duplicate)', async () => {
    const { sim, ex } = await setup();
    const first = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'reuse-1' });
    const second = await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'reuse-1' });
    expect(second.id).not.toBe(first.id);
    expect(sim.ordersByClientId('reuse-1').map((o) => o.status)).toEqual(['FILLED', 'FILLED']);
    expect(sim.balance('BTC').free).toBeCloseTo(1 + 2 * 0.000999, 8);
    // A look-up by clientOrderId returns the most recent order with that id.
    expect((await byClientId(ex, 'BTC/USDT', 'reuse-1')).id).toBe(second.id);
  });

  it('a reused clientOrderId of a CANCELED order is accepted too', async () => {
    const { sim, ex } = await setup();
    const first = await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000, { clientOrderId: 'rc-1' });
    await ex.cancelOrder(idOf(first), 'BTC/USDT');
    await ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 50000, { clientOrderId: 'rc-1' });
    expect(sim.ordersByClientId('rc-1').map((o) => o.status)).toEqual(['CANCELED', 'NEW']);
  });

  it('clientOrderIds longer than 36 characters or with illegal characters are rejected (-1100, BadRequest)', async () => {
    const { sim, ex } = await setup();
    const long = await rejection(ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'x'.repeat(37) }));
    expect(long).toBeInstanceOf(ccxt.BadRequest);
    expect(long.message).toContain('-1100');
    expect(await rejection(ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'a b' }))).toBeInstanceOf(ccxt.BadRequest);
    await ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'A.b:c/d_e-f'.padEnd(36, '0') });
    expect(sim.orders()).toHaveLength(1);
  });
});

describe('exchange simulator: rejections and how ccxt classifies them', () => {
  it('filters: NOTIONAL -> BadRequest (not InvalidOrder); LOT_SIZE and PRICE_FILTER -> InvalidOrder', async () => {
    const { sim, ex } = await setup();
    const notional = await rejection(ex.createOrder('BTC/USDT', 'market', 'buy', 0.00005, undefined, { clientOrderId: 'n-1' }));
    expect(notional.message).toContain('Filter failure: NOTIONAL');
    expect(notional).toBeInstanceOf(ccxt.BadRequest);
    expect(notional).not.toBeInstanceOf(ccxt.InvalidOrder);
    // ccxt rounds amount and price to precision itself, so send the raw request to hit the server-side filters.
    const base = { symbol: 'BTCUSDT', side: 'BUY', type: 'LIMIT', timeInForce: 'GTC', newClientOrderId: 'f-1' };
    const lot = await rejection(ex.privatePostOrder({ ...base, quantity: '0.000015', price: '65000' }));
    expect(lot).toBeInstanceOf(ccxt.InvalidOrder);
    expect(lot.message).toContain('Filter failure: LOT_SIZE');
    const tick = await rejection(ex.privatePostOrder({ ...base, quantity: '0.001', price: '65000.005' }));
    expect(tick).toBeInstanceOf(ccxt.InvalidOrder);
    expect(tick.message).toContain('Filter failure: PRICE_FILTER');
    expect(sim.orders()).toHaveLength(0);
    expect(sim.counters().ordersRejected).toBe(3);
  });

  it('insufficient balance -> -2010 as InsufficientFunds; unknown symbol -> -1121 BadSymbol', async () => {
    const { sim, ex } = await setup({ balances: { USDT: 100 } });
    const err = await rejection(ex.createOrder('BTC/USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'i-1' }));
    expect(err).toBeInstanceOf(ccxt.InsufficientFunds);
    expect(err.message).toContain('Account has insufficient balance for requested action.');
    const sym = await rejection(ex.publicGetTicker24hr({ symbol: 'NOPEUSDT' }));
    expect(sym).toBeInstanceOf(ccxt.BadSymbol);
    expect(sim.orders()).toHaveLength(0);
  });

  it('bad signature (-1022) and unknown API key (-2015) -> AuthenticationError', async () => {
    const { sim } = await setup();
    const wrongSecret = createSimulatedBinance(sim, { secret: 'not-the-secret', enableRateLimit: false });
    const sig = await rejection(wrongSecret.fetchBalance());
    expect(sig).toBeInstanceOf(ccxt.AuthenticationError);
    expect(sig.message).toContain('-1022');
    const wrongKey = createSimulatedBinance(sim, { apiKey: 'someone-else', enableRateLimit: false });
    const key = await rejection(wrongKey.fetchBalance());
    expect(key).toBeInstanceOf(ccxt.AuthenticationError);
    expect(key.message).toContain('-2015');
    expect(sim.requests({ path: '/api/v3/account' }).map((r) => [r.status, r.code])).toEqual([[400, -1022], [401, -2015]]);
  });

  it('clock skew: a real skew and the clockSkew fault give -1021 as InvalidNonce; loadTimeDifference fixes the real one', async () => {
    const { sim, ex } = await setup({}, { options: { recvWindow: 5000 } });
    sim.setClockOffset(30_000); // the client is 30 s behind the server
    const behind = await rejection(ex.fetchBalance());
    expect(behind).toBeInstanceOf(ccxt.InvalidNonce);
    expect(behind).toBeInstanceOf(ccxt.NetworkError);
    expect(behind.message).toContain('Timestamp for this request is outside of the recvWindow.');
    sim.setClockOffset(-30_000); // the client is 30 s ahead
    expect((await rejection(ex.fetchBalance())).message).toContain('ahead of the server');
    await ex.loadTimeDifference();
    await ex.fetchBalance();
    sim.injectFault({ kind: 'clockSkew', path: '/api/v3/order' });
    const fault = await rejection(ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId: 'skew-1' }));
    expect(fault).toBeInstanceOf(ccxt.InvalidNonce);
    expect(sim.ordersByClientId('skew-1')).toHaveLength(0);
  });
});

describe('exchange simulator: transport faults and how ccxt classifies them', () => {
  const order = (ex: ReturnType<typeof createSimulatedBinance>, clientOrderId: string) =>
    ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, undefined, { clientOrderId });

  it('http429 -> DDoSProtection (a NetworkError), with Retry-After; applies only to matching requests', async () => {
    const { sim, ex } = await setup();
    const handle = sim.injectFault({ kind: 'http429', method: 'POST', path: '/api/v3/order', retryAfterSec: 7 });
    await ex.fetchBalance(); // not matched
    const err = await rejection(order(ex, 'rl-1'));
    expect(err).toBeInstanceOf(ccxt.DDoSProtection);
    expect(err).toBeInstanceOf(ccxt.NetworkError);
    expect(err.message).toContain('-1003');
    expect(handle.applied()).toBe(1);
    expect(handle.remaining()).toBe(0);
    expect(sim.ordersByClientId('rl-1')).toHaveLength(0);
    await order(ex, 'rl-1'); // the fault was used up
    sim.injectFault({ kind: 'http429', retryAfterSec: 7 });
    const res = await fetch(`${sim.url}/api/v3/ping`);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    expect(sim.counters().faults.http429).toBe(2);
    sim.injectFault({ kind: 'http418', path: '/api/v3/account' });
    expect(await rejection(ex.fetchBalance())).toBeInstanceOf(ccxt.DDoSProtection);
  });

  it("ccxt's default throttle (enableRateLimit) waits ~200 ms before a signed call that follows another", async () => {
    const sim = await startExchangeSimulator();
    running.push(sim);
    const ex = createSimulatedBinance(sim); // ccxt defaults, as in production
    await ex.loadMarkets();
    await ex.fetchBalance();
    const t = Date.now();
    await ex.fetchBalance();
    expect(Date.now() - t).toBeGreaterThanOrEqual(150);
  });

  it('5xx: the body decides the class — -1001 -> OperationFailed (NOT a NetworkError), -1007 -> RequestTimeout, no code -> ExchangeNotAvailable', async () => {
    const { sim, ex } = await setup();
    sim.injectFault({ kind: 'http500', path: '/api/v3/order' });
    const internal = await rejection(order(ex, 'e-1'));
    expect(internal).toBeInstanceOf(ccxt.OperationFailed);
    expect(internal).not.toBeInstanceOf(ccxt.NetworkError);
    expect(internal).not.toBeInstanceOf(ccxt.ExchangeError);
    sim.injectFault({ kind: 'http503', path: '/api/v3/order' });
    const backendTimeout = await rejection(order(ex, 'e-2'));
    expect(backendTimeout).toBeInstanceOf(ccxt.RequestTimeout);
    sim.injectFault({ kind: 'http503', path: '/api/v3/order', body: 'Service Unavailable' });
    const plain = await rejection(order(ex, 'e-3'));
    expect(plain).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    expect(plain).toBeInstanceOf(ccxt.NetworkError);
    expect(sim.orders()).toHaveLength(0);
  });

  it('5xx with execute: true — the order exists although the client saw an error', async () => {
    const { sim, ex } = await setup();
    sim.injectFault({ kind: 'http503', path: '/api/v3/order', execute: true });
    expect(await rejection(order(ex, 'x-1'))).toBeInstanceOf(ccxt.NetworkError);
    expect(sim.ordersByClientId('x-1').map((o) => o.status)).toEqual(['FILLED']);
    expect((await byClientId(ex, 'BTC/USDT', 'x-1')).status).toBe('closed');
  });

  it('drop -> NetworkError; nothing executed unless execute: true', async () => {
    const { sim, ex } = await setup();
    sim.injectFault({ kind: 'drop', method: 'POST', path: '/api/v3/order' });
    const err = await rejection(order(ex, 'd-1'));
    expect(err).toBeInstanceOf(ccxt.NetworkError);
    expect(err).not.toBeInstanceOf(ccxt.RequestTimeout);
    expect(sim.ordersByClientId('d-1')).toHaveLength(0);
    sim.injectFault({ kind: 'drop', method: 'POST', path: '/api/v3/order', execute: true });
    expect(await rejection(order(ex, 'd-2'))).toBeInstanceOf(ccxt.NetworkError);
    expect(sim.ordersByClientId('d-2')).toHaveLength(1);
    expect(sim.requests({ path: '/api/v3/order' }).map((r) => [r.status, r.fault])).toEqual([[0, 'drop'], [0, 'drop']]);
  });

  it('acceptThenTimeout: the order is executed, ccxt gets RequestTimeout, a look-up finds exactly one order; a blind resend makes two', async () => {
    const { sim, ex } = await setup({}, { timeout: 300 });
    sim.injectFault({ kind: 'acceptThenTimeout', method: 'POST', path: '/api/v3/order' });
    const started = Date.now();
    const err = await rejection(order(ex, 'att-1'));
    expect(err).toBeInstanceOf(ccxt.RequestTimeout);
    expect(err).toBeInstanceOf(ccxt.NetworkError);
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(sim.ordersByClientId('att-1')).toHaveLength(1);
    expect(sim.ordersByClientId('att-1')[0]?.status).toBe('FILLED');
    // The right move: look it up by clientOrderId.
    const found = await byClientId(ex, 'BTC/USDT', 'att-1');
    expect(found).toMatchObject({ status: 'closed', filled: 0.001 });
    // The wrong move: resend. Binance accepts the reused id of a filled order.
    await order(ex, 'att-1');
    expect(sim.ordersByClientId('att-1')).toHaveLength(2);
  });

  it('acceptThenTimeout with ms: the socket is destroyed after the delay -> NetworkError', async () => {
    const { sim, ex } = await setup({}, { timeout: 5000 });
    sim.injectFault({ kind: 'acceptThenTimeout', path: '/api/v3/order', ms: 50 });
    const err = await rejection(order(ex, 'att-2'));
    expect(err).toBeInstanceOf(ccxt.NetworkError);
    expect(err).not.toBeInstanceOf(ccxt.RequestTimeout);
    expect(sim.ordersByClientId('att-2')).toHaveLength(1);
  });

  it('latency: a fault adds ms to matching requests; the latencyMs option delays every request', async () => {
    const { sim, ex } = await setup({ latencyMs: 100 });
    let t = Date.now();
    await ex.fetchTicker('BTC/USDT');
    expect(Date.now() - t).toBeGreaterThanOrEqual(95);
    sim.setLatency(0);
    sim.injectFault({ kind: 'latency', ms: 150, path: '/api/v3/order', times: 2 });
    t = Date.now();
    await order(ex, 'lat-1');
    expect(Date.now() - t).toBeGreaterThanOrEqual(145);
    expect(sim.pendingFaults()).toEqual([expect.objectContaining({ kind: 'latency', times: 1 })]);
    sim.clearFaults();
    t = Date.now();
    await ex.fetchTicker('BTC/USDT');
    expect(Date.now() - t).toBeLessThan(100);
  });

  it('setReachable(false): every request fails with NetworkError until switched back', async () => {
    const { sim, ex } = await setup();
    sim.setReachable(false);
    expect(await rejection(ex.fetchTime())).toBeInstanceOf(ccxt.NetworkError);
    expect(await rejection(order(ex, 'u-1'))).toBeInstanceOf(ccxt.NetworkError);
    expect(sim.orders()).toHaveLength(0);
    expect(sim.counters().unreachable).toBeGreaterThanOrEqual(2);
    sim.setReachable(true);
    expect(await ex.fetchTime()).toBeGreaterThan(0);
  });
});

describe('exchange simulator: raw Binance protocol', () => {
  it('verifies HMAC-SHA256 over query string + body, as Binance does (signature in either part)', async () => {
    const sim = await startExchangeSimulator();
    running.push(sim);
    const query = `symbol=BTCUSDT&side=BUY&type=MARKET`;
    const body = `quantity=0.001&newClientOrderId=raw-1&timestamp=${Date.now()}`;
    const signature = sign(query + body, sim.secret);
    const res = await fetch(`${sim.url}/api/v3/order?${query}`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': DEFAULT_API_KEY, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `${body}&signature=${signature}`,
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ clientOrderId: 'raw-1', status: 'FILLED', fills: [expect.objectContaining({ price: '65000.00000000' })] });
    const tampered = await fetch(`${sim.url}/api/v3/order?${query.replace('0.001', '0.002')}&quantity=0.002`, {
      method: 'POST',
      headers: { 'X-MBX-APIKEY': DEFAULT_API_KEY },
      body: `${body}&signature=${signature}`,
    });
    expect(tampered.status).toBe(400);
    expect(await tampered.json()).toEqual({ code: -1022, msg: 'Signature for this request is not valid.' });
    const noKey = await fetch(`${sim.url}/api/v3/account?timestamp=${Date.now()}&signature=00`);
    expect(noKey.status).toBe(401);
    expect(await noKey.json()).toMatchObject({ code: -2014 });
    const unknown = await fetch(`${sim.url}/api/v3/nope`);
    expect(unknown.status).toBe(404);
    expect(sim.counters()).toMatchObject({ ordersCreated: 1, notFound: 1 });
  });
});
