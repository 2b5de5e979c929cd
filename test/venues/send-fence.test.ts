/**
 * The send fence on Binance, through the product's ccxt set-up against the Binance simulator:
 * an order request carries the time of the lease check as its `timestamp` and the lease time
 * left then (at most the configured recvWindow) as its `recvWindow`, so a request that reaches
 * the exchange after the lease lapsed (the process frozen between the check and the send, or the
 * request held on the way) is refused (-1021) and no order exists.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CcxtVenue } from '../../main/engine/venues/ccxt-venue.js';
import { createExchange } from '../../main/engine/venues/ccxt-setup.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { startBybitSimulator, type BybitSimulator } from '../support/bybit-simulator/index.js';

type Expiry = { timestamp: number; windowMs: number };
const orderOn = (venue: CcxtVenue, symbol: string) => (clientOrderId: string, expiry?: Expiry) =>
  venue.createOrder({ symbol, side: 'buy', type: 'market', amount: 0.001, clientOrderId, ...(expiry ? { expiry } : {}) });

/** The real ccxt venue of `exchangeId` against its simulator, markets loaded. */
async function liveVenue(exchangeId: string, sim: { apiKey: string; secret: string; url: string }): Promise<CcxtVenue> {
  const ex = await createExchange({ exchangeId, mode: 'live', credentials: { apiKey: sim.apiKey, secret: sim.secret }, exchangeUrl: sim.url, recvWindowMs: 5000 });
  const venue = new CcxtVenue(ex, { account: 'main', mode: 'live', marketsRefreshMs: 60_000, now: Date.now });
  await venue.loadMarkets();
  return venue;
}

describe('the send fence on Binance', () => {
  let sim: Simulator;
  let venue: CcxtVenue;
  beforeAll(async () => {
    sim = await startExchangeSimulator({ prices: { BTCUSDT: 65_000 }, balances: { USDT: 1_000_000, BTC: 0 } });
    venue = await liveVenue('binance', sim);
  });
  afterAll(async () => {
    await venue?.close?.();
    await sim?.close();
  });
  const order = (id: string, expiry?: Expiry) => orderOn(venue, 'BTC/USDT')(id, expiry);
  const sent = (id: string) => sim.requests({ method: 'POST', path: '/api/v3/order' }).filter((q) => q.params.newClientOrderId === id);

  it('in time: placed, with the check time as timestamp and the lease time left as recvWindow', async () => {
    const checkedAt = Date.now();
    const o = await order('fence-ok', { timestamp: checkedAt, windowMs: 2_345.6 });
    expect(o.clientOrderId).toBe('fence-ok');
    const [q] = sent('fence-ok');
    expect(q?.params.recvWindow).toBe('2345');
    // ccxt's own clock correction (adjustForTimeDifference) applies to the check time.
    expect(Math.abs(Number(q?.params.timestamp) - checkedAt)).toBeLessThan(1000);
    expect(sim.ordersByClientId('fence-ok')).toHaveLength(1);
  });

  it('the lease time left beyond the configured recvWindow: the configured one', async () => {
    await order('fence-cap', { timestamp: Date.now(), windowMs: 60_000 });
    expect(sent('fence-cap')[0]?.params.recvWindow).toBe('5000');
  });

  it('checked 3 s before the send with 2 s of lease left: refused by the exchange (-1021), no order', async () => {
    await expect(order('fence-late', { timestamp: Date.now() - 3_000, windowMs: 2_000 })).rejects.toThrow(/-1021|recvWindow/);
    expect(sent('fence-late')).toHaveLength(1);
    expect(sim.ordersByClientId('fence-late')).toHaveLength(0);
  });

  it('without a fence (one node): ccxt signs with its own clock and the configured recvWindow', async () => {
    await order('fence-none');
    expect(sent('fence-none')[0]?.params.recvWindow).toBe('5000');
    expect(sim.ordersByClientId('fence-none')).toHaveLength(1);
  });
});

/**
 * Bybit: ccxt signs with its own nonce() and options.recvWindow (no params for them), so the
 * profile's sign wrapper puts the check time in X-BAPI-TIMESTAMP and the window in
 * X-BAPI-RECV-WINDOW for that one request; the simulator refuses a late one (10002) as Bybit does.
 */
describe('the send fence on Bybit', () => {
  let sim: BybitSimulator;
  let venue: CcxtVenue;
  beforeAll(async () => {
    sim = await startBybitSimulator({ prices: { BTCUSDT: 65_000 }, balances: { USDT: 1_000_000, BTC: 0 } });
    venue = await liveVenue('bybit', sim);
  });
  afterAll(async () => {
    await venue?.close?.();
    await sim?.close();
  });
  const order = (id: string, expiry?: Expiry) => orderOn(venue, 'BTC/USDT')(id, expiry);

  it('in time: placed; checked 3 s before the send with 2 s left: refused (10002), no order; the requests after it are signed as usual', async () => {
    await order('bfence-ok', { timestamp: Date.now(), windowMs: 2_000 });
    expect(sim.ordersByLinkId('bfence-ok')).toHaveLength(1);
    await expect(order('bfence-late', { timestamp: Date.now() - 3_000, windowMs: 2_000 })).rejects.toThrow(/10002|recv_window/);
    expect(sim.ordersByLinkId('bfence-late')).toHaveLength(0);
    // The wrapper left ccxt's own clock and window in place.
    await order('bfence-none');
    expect(sim.ordersByLinkId('bfence-none')).toHaveLength(1);
  });

  it('the same late request with a window wider than its 3 s delay (the configured 5 s) is placed: the shorter lease window is what refuses it', async () => {
    // The same late signing with the configured 5 s window (what ccxt alone would send) is accepted:
    // only the lease's shorter window refuses it.
    await order('bfence-wide', { timestamp: Date.now() - 3_000, windowMs: 60_000 });
    expect(sim.ordersByLinkId('bfence-wide')).toHaveLength(1);
  });
});

