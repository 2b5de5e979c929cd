/**
 * The simulator's raw Binance protocol, without ccxt: HMAC-SHA256 signatures, API keys, unknown paths.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_API_KEY, sign } from '../support/exchange-simulator/index.js';
import { closeSimulators, startSimulator } from './support.js';

afterEach(closeSimulators);

describe('exchange simulator: raw Binance protocol', () => {
  it('verifies HMAC-SHA256 over query string + body, as Binance does (signature in either part)', async () => {
    const sim = await startSimulator();
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
