/**
 * The simulator's transport faults (rate limits, 5xx, drops, timeouts, latency, unreachable) and
 * how the REAL ccxt client classifies each: whether the order exists although the client saw an error.
 */
import ccxt from 'ccxt';
import { afterEach, describe, expect, it } from 'vitest';
import { createSimulatedBinance } from '../support/exchange-simulator/index.js';
import { byClientId, closeSimulators, rejection, setup, startSimulator } from './support.js';

afterEach(closeSimulators);

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
    const sim = await startSimulator();
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
