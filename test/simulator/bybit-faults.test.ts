/**
 * The Bybit v5 simulator's signing checks and faults through the REAL ccxt bybit class: each fault
 * with the ccxt error class it becomes, and whether the order exists afterwards (count per orderLinkId).
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import ccxt from 'ccxt';
import { createSimulatedBybit } from '../support/bybit-simulator/index.js';
import { NO_ID, setupBybit } from './bybit-support.js';
import { closeSimulators, rejection } from './support.js';

afterEach(closeSimulators);

const CREATE = { method: 'POST', path: '/v5/order/create' } as const;

describe('bybit simulator: signing and faults through ccxt', () => {
  it('checks X-BAPI-SIGN as Bybit defines it and refuses a wrong secret with 10004', async () => {
    const { sim } = await setupBybit();
    const ts = String(Date.now());
    const query = 'accountType=UNIFIED';
    const sign = createHmac('sha256', sim.secret).update(`${ts}${sim.apiKey}5000${query}`).digest('hex');
    const headers = { 'X-BAPI-API-KEY': sim.apiKey, 'X-BAPI-TIMESTAMP': ts, 'X-BAPI-RECV-WINDOW': '5000', 'X-BAPI-SIGN': sign };
    const ok = await fetch(`${sim.url}/v5/account/wallet-balance?${query}`, { headers });
    expect(((await ok.json()) as { retCode: number }).retCode).toBe(0);
    const bad = await fetch(`${sim.url}/v5/account/wallet-balance?${query}`, { headers: { ...headers, 'X-BAPI-SIGN': sign.replace(/^./, sign[0] === 'a' ? 'b' : 'a') } });
    expect(bad.status).toBe(200);
    expect(((await bad.json()) as { retCode: number }).retCode).toBe(10004);
    // With keys set, ccxt's loadMarkets itself signs a call (/v5/asset/coin/query-info): a bad key fails there.
    const wrong = createSimulatedBybit(sim, { secret: 'not-the-secret', enableRateLimit: false });
    const err = await rejection(wrong.loadMarkets());
    expect(err).toBeInstanceOf(ccxt.AuthenticationError);
    expect(err.message).toContain('10004');
    // The request log keeps the parameters, never a key or a signature.
    expect(JSON.stringify(sim.requests())).not.toContain(sim.secret);
    expect(JSON.stringify(sim.requests())).not.toContain(sign);
  });

  it('a skewed client clock gets 10002 (InvalidNonce, a NetworkError); adjustForTimeDifference fixes it', async () => {
    const { sim, ex } = await setupBybit();
    sim.setClockOffset(-30_000);
    const err = await rejection(ex.fetchBalance());
    expect(err).toBeInstanceOf(ccxt.InvalidNonce);
    expect(err).toBeInstanceOf(ccxt.NetworkError);
    expect(err.message).toContain('10002');
    await ex.loadTimeDifference();
    expect((await ex.fetchBalance()).USDT?.free).toBe(20000);
    expect(sim.requestCount('GET', '/v5/market/time')).toBe(1);
  });

  it('clockSkew fault answers 10002 without touching the order book', async () => {
    const { sim, ex } = await setupBybit();
    sim.injectFault({ kind: 'clockSkew', ...CREATE });
    expect(await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, { clientOrderId: 'pbF1-0' }))).toBeInstanceOf(ccxt.InvalidNonce);
    expect(sim.ordersByLinkId('pbF1-0')).toHaveLength(0);
  });

  it('http 500 / 503 are ExchangeNotAvailable; with execute the order exists though the answer was an error', async () => {
    const { sim, ex } = await setupBybit();
    sim.injectFault({ kind: 'http500', ...CREATE });
    expect(await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, { clientOrderId: 'pbF2-0' }))).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    expect(sim.ordersByLinkId('pbF2-0')).toHaveLength(0);
    sim.injectFault({ kind: 'http503', execute: true, ...CREATE });
    expect(await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, { clientOrderId: 'pbF2-1' }))).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    expect(sim.ordersByLinkId('pbF2-1')).toHaveLength(1);
  });

  it('the 429 fault is Bybit\'s rate limit: HTTP 200 retCode 10006, RateLimitExceeded (a NetworkError)', async () => {
    const { sim, ex } = await setupBybit();
    sim.injectFault({ kind: 'http429', ...CREATE });
    const err = await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, { clientOrderId: 'pbF3-0' }));
    expect(err).toBeInstanceOf(ccxt.RateLimitExceeded);
    expect(err).toBeInstanceOf(ccxt.NetworkError);
    expect(err.message).toContain('10006');
    expect(sim.requests({ path: '/v5/order/create' })[0]?.status).toBe(200);
    expect(sim.ordersByLinkId('pbF3-0')).toHaveLength(0);
  });

  it('10016 and 170146 may hide an executed order and are not NetworkErrors', async () => {
    const { sim, ex } = await setupBybit();
    sim.injectFault({ kind: 'exchangeError', code: 10016, execute: true, ...CREATE });
    const sys = await rejection(ex.createOrder('BTC/USDT:USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: 'pbF4-0' }));
    expect(sys).toBeInstanceOf(ccxt.ExchangeError);
    expect(sys).not.toBeInstanceOf(ccxt.NetworkError);
    expect(sys.message).toContain('System error');
    expect(sim.ordersByLinkId('pbF4-0')).toHaveLength(1);
    sim.injectFault({ kind: 'exchangeError', code: 170146, execute: true, ...CREATE });
    const timeout = await rejection(ex.createOrder('BTC/USDT', 'market', 'buy', 0.001, 65000, { clientOrderId: 'pbF4-1' }));
    expect(timeout).toBeInstanceOf(ccxt.InvalidOrder);
    expect(timeout).not.toBeInstanceOf(ccxt.NetworkError);
    expect(sim.ordersByLinkId('pbF4-1').map((o) => o.status)).toEqual(['Filled']);
  });

  it('drop and execute-then-drop are NetworkErrors; only the second left an order, found by orderLinkId', async () => {
    const { sim, ex } = await setupBybit();
    sim.injectFault({ kind: 'drop', ...CREATE });
    expect(await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, { clientOrderId: 'pbF5-0' }))).toBeInstanceOf(ccxt.NetworkError);
    sim.injectFault({ kind: 'drop', execute: true, ...CREATE });
    expect(await rejection(ex.createOrder('BTC/USDT', 'limit', 'buy', 0.001, 60000, { clientOrderId: 'pbF5-1' }))).toBeInstanceOf(ccxt.NetworkError);
    expect(sim.ordersByLinkId('pbF5-0')).toHaveLength(0);
    expect(sim.ordersByLinkId('pbF5-1')).toHaveLength(1);
    expect((await ex.fetchOrder(NO_ID, 'BTC/USDT', { orderLinkId: 'pbF5-1', acknowledged: true })).status).toBe('open');
    expect(sim.counters().faults.drop).toBe(2);
  });

  it('accept-then-hang: the order executes, the answer never comes (RequestTimeout), a resend is refused with 110072', async () => {
    const { sim, ex } = await setupBybit({}, { timeout: 500 });
    sim.injectFault({ kind: 'acceptThenTimeout', ...CREATE });
    expect(await rejection(ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'pbF6-0' }))).toBeInstanceOf(ccxt.RequestTimeout);
    expect(sim.position('BTCUSDT').size).toBe(0.01);
    const again = await rejection(ex.createOrder('BTC/USDT:USDT', 'market', 'buy', 0.01, undefined, { clientOrderId: 'pbF6-0' }));
    expect(again.message).toContain('110072');
    expect(sim.ordersByLinkId('pbF6-0')).toHaveLength(1);
  });

  it('latency delays the answer; an unreachable simulator is a NetworkError', async () => {
    const { sim, ex } = await setupBybit();
    sim.injectFault({ kind: 'latency', ms: 300, method: 'GET', path: '/v5/market/time' });
    const started = Date.now();
    await ex.fetchTime();
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    sim.setReachable(false);
    expect(await rejection(ex.fetchTime())).toBeInstanceOf(ccxt.NetworkError);
    sim.setReachable(true);
    expect(await ex.fetchTime()).toBeGreaterThan(0);
  });
});
