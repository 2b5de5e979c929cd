import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, spawnLive, writeSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { listOrders, WEBHOOK_SECRET } from './serve-client.js';
import { send } from './tv-support.js';

/**
 * Issue 16 (hedge mode, first part) through `pinebridge serve` and real ccxt `binanceusdm`: the
 * account's position mode is read (`GET /fapi/v1/positionSide/dual`) before a perpetual order;
 * in hedge mode, where an order without LONG / SHORT is refused by Binance (-4061), the alert is
 * refused first with what to do, and nothing is sent. Back in one-way mode the next alert trades.
 */
describe('the account position mode, through pinebridge serve', () => {
  let sim: Simulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-posmode-');
  const live = (body: Record<string, unknown>) => send(child, { strategy: 'pm', account: 'perp', symbol: 'BINANCE:BTCUSDT.P', ...body });
  const orderRequests = () => sim.requests({ method: 'POST', path: '/fapi/v1/order' }).length + sim.requests({ method: 'POST', path: '/fapi/v1/algoOrder' }).length;

  beforeAll(async () => {
    sim = await startExchangeSimulator({ prices: { BTCUSDT: 65_000 }, futures: { balances: { USDT: 10_000 } } });
    writeSettings(dir.path, { ...NO_RISK_LIMITS, accounts: [{ name: 'perp', exchange: 'binanceusdm', exchangeUrl: sim.url }], reconciliation: { intervalSec: 0 }, execution: FAST_EXECUTION });
    child = await spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET });
  });
  afterAll(async () => {
    await child?.stop();
    await sim?.close();
    dir.cleanup();
  });

  it('refuses an alert while the account is in hedge mode, sending nothing; trades once it is one-way again', async () => {
    sim.futures.setDualSide(true);
    const before = orderRequests();
    const r = await live({ action: 'buy', quantity: '0.01', price: 65_000, stop_loss: 64_000 });
    expect(r.alert!.status).toBe('failed');
    expect(r.alert!.reasonCode).toBe('hedge_mode_unsupported');
    expect(r.alert!.reason).toMatch(/binanceusdm account is in hedge mode .* switch the account to one-way mode/);
    expect(sim.requests({ method: 'GET', path: '/fapi/v1/positionSide/dual' }).length).toBeGreaterThan(0);
    expect(orderRequests()).toBe(before);
    expect(await listOrders(child, r.alert!.id)).toEqual([]);

    sim.futures.setDualSide(false);
    const ok = await live({ action: 'buy', quantity: '0.01', price: 65_000 });
    expect(ok.alert!.status, ok.alert!.reason ?? '').toBe('executed');
    expect(sim.futures.position('BTCUSDT').positionAmt).toBeCloseTo(0.01, 10);
  });
});
