/**
 * The OKX v5 simulator's signing checks and faults through the REAL ccxt okx class: each fault
 * with the ccxt error class it becomes, and whether the order exists afterwards (count per clOrdId).
 */
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import ccxt from 'ccxt';
import { createSimulatedOkx, startOkxSimulator } from '../support/okx-simulator/index.js';
import { closeSimulators, rejection, track } from './support.js';

afterEach(closeSimulators);

const NO_ID = undefined as unknown as string;
const BATCH = { method: 'POST', path: '/api/v5/trade/batch-orders' } as const;

async function setupOkx(timeout?: number) {
  const sim = track(await startOkxSimulator());
  const ex = createSimulatedOkx(sim, { enableRateLimit: false, ...(timeout !== undefined ? { timeout } : {}) });
  await ex.loadMarkets();
  return { sim, ex };
}

const limitBuy = (ex: ReturnType<typeof createSimulatedOkx>, id: string) => ex.createOrder('BTC/USDT', 'limit', 'buy', 0.01, 60000, { clientOrderId: id });

describe('okx simulator: signing and faults through ccxt', () => {
  it('checks OK-ACCESS-SIGN (base64 HMAC of timestamp + method + path + body) and the passphrase', async () => {
    const { sim } = await setupOkx();
    const ts = new Date().toISOString();
    const path = '/api/v5/account/balance?ccy=USDT';
    const sign = createHmac('sha256', sim.secret).update(`${ts}GET${path}`).digest('base64');
    const headers = { 'OK-ACCESS-KEY': sim.apiKey, 'OK-ACCESS-SIGN': sign, 'OK-ACCESS-TIMESTAMP': ts, 'OK-ACCESS-PASSPHRASE': sim.passphrase };
    const ok = await fetch(sim.url + path, { headers });
    expect(((await ok.json()) as { code: string }).code).toBe('0');
    const bad = await fetch(sim.url + path, { headers: { ...headers, 'OK-ACCESS-SIGN': createHmac('sha256', 'x').update('y').digest('base64') } });
    expect([bad.status, ((await bad.json()) as { code: string }).code]).toEqual([401, '50113']);
    const wrongPass = createSimulatedOkx(sim, { password: 'nope', enableRateLimit: false });
    const err = await rejection(wrongPass.loadMarkets());
    expect(err).toBeInstanceOf(ccxt.AuthenticationError);
    expect(err.message).toContain('50105');
    expect(JSON.stringify(sim.requests())).not.toContain(sim.passphrase);
    expect(JSON.stringify(sim.requests())).not.toContain(sign);
  });

  it('a client clock 60 s behind gets 50102 (InvalidNonce, a NetworkError); loadTimeDifference fixes it', async () => {
    const { sim, ex } = await setupOkx();
    sim.setClockOffset(60_000);
    const err = await rejection(ex.fetchBalance());
    expect(err).toBeInstanceOf(ccxt.InvalidNonce);
    expect(err).toBeInstanceOf(ccxt.NetworkError);
    expect(err.message).toContain('50102');
    await ex.loadTimeDifference();
    expect((await ex.fetchBalance()).USDT?.free).toBe(20000);
  });

  it('429 is 50011 (RateLimitExceeded), 503 is 50001 (OnMaintenance), a 500 page ExchangeNotAvailable: NetworkErrors, no order', async () => {
    const { sim, ex } = await setupOkx();
    sim.injectFault({ kind: 'http429', ...BATCH });
    const limited = await rejection(limitBuy(ex, 'pbF1x0'));
    expect(limited).toBeInstanceOf(ccxt.RateLimitExceeded);
    expect(limited.message).toContain('50011');
    sim.injectFault({ kind: 'http503', ...BATCH });
    const down = await rejection(limitBuy(ex, 'pbF1x1'));
    expect(down).toBeInstanceOf(ccxt.OnMaintenance);
    expect(down).toBeInstanceOf(ccxt.NetworkError);
    sim.injectFault({ kind: 'http500', ...BATCH });
    expect(await rejection(limitBuy(ex, 'pbF1x2'))).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    expect(sim.orders()).toEqual([]);
  });

  it('50013 (systems busy) and 50001 may hide an executed order: ExchangeNotAvailable, the order is there by clOrdId', async () => {
    const { sim, ex } = await setupOkx();
    sim.injectFault({ kind: 'exchangeError', code: '50013', execute: true, ...BATCH });
    const busy = await rejection(limitBuy(ex, 'pbF2x0'));
    expect(busy).toBeInstanceOf(ccxt.ExchangeNotAvailable);
    expect(busy.message).toContain('Systems are busy');
    expect((await ex.fetchOrder(NO_ID, 'BTC/USDT', { clientOrderId: 'pbF2x0' })).status).toBe('open');
    sim.injectFault({ kind: 'exchangeError', code: '50001', execute: true, ...BATCH });
    expect(await rejection(limitBuy(ex, 'pbF2x1'))).toBeInstanceOf(ccxt.OnMaintenance);
    expect(sim.ordersByClOrdId('pbF2x1')).toHaveLength(1);
  });

  it('drop, execute-then-drop and accept-then-hang: NetworkErrors; the executed ones are found and refused again (51016)', async () => {
    const { sim, ex } = await setupOkx(500);
    sim.injectFault({ kind: 'drop', ...BATCH });
    expect(await rejection(limitBuy(ex, 'pbF3x0'))).toBeInstanceOf(ccxt.NetworkError);
    sim.injectFault({ kind: 'drop', execute: true, ...BATCH });
    expect(await rejection(limitBuy(ex, 'pbF3x1'))).toBeInstanceOf(ccxt.NetworkError);
    sim.injectFault({ kind: 'acceptThenTimeout', ...BATCH });
    expect(await rejection(limitBuy(ex, 'pbF3x2'))).toBeInstanceOf(ccxt.RequestTimeout);
    expect(sim.ordersByClOrdId('pbF3x0')).toHaveLength(0);
    expect(sim.ordersByClOrdId('pbF3x1')).toHaveLength(1);
    expect(sim.ordersByClOrdId('pbF3x2')).toHaveLength(1);
    expect((await rejection(limitBuy(ex, 'pbF3x2'))).message).toContain('51016');
    expect(sim.counters().faults).toEqual({ drop: 2, acceptThenTimeout: 1 });
  });

  it('latency delays the answer and a fault applies only to its path', async () => {
    const { sim, ex } = await setupOkx();
    sim.injectFault({ kind: 'latency', ms: 300, method: 'GET', path: '/api/v5/public/time' });
    const started = Date.now();
    await ex.fetchTime();
    expect(Date.now() - started).toBeGreaterThanOrEqual(280);
    sim.injectFault({ kind: 'http503', method: 'GET', path: '/api/v5/public/time' });
    await ex.fetchBalance();
    expect(sim.pendingFaults()).toHaveLength(1);
  });
});
