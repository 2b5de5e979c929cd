/**
 * The exchange simulator's markets and market data, read through the REAL ccxt binance client:
 * what loadMarkets, the tickers and the server time give the execution engine.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { closeSimulators, setup } from './support.js';

afterEach(closeSimulators);

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
