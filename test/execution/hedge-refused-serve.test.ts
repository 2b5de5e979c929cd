import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBybitSimulator, type BybitSimulator } from '../support/bybit-simulator/index.js';
import { createSimulatedBybit } from '../support/bybit-simulator/ccxt.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, writeSettings } from '../support/live-serve.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { listOrders, WEBHOOK_SECRET } from './serve-client.js';
import { send } from './tv-support.js';

/**
 * Hedge mode where Pinebridge places no hedge-mode orders (Bybit: its positionIdx 1 / 2 is not
 * sent), through `pinebridge serve` and real ccxt `bybit` against the Bybit simulator: the mode
 * is read from the position list (positionIdx), the alert is refused before any order with what
 * to do, nothing is sent; back in one-way mode the next alert trades.
 */
describe('hedge mode refused on an exchange without hedge orders (Bybit), through pinebridge serve', () => {
  let sim: BybitSimulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-hedge-refused-');
  const creates = () => sim.requests({ method: 'POST', path: '/v5/order/create' }).length;

  beforeAll(async () => {
    sim = await startBybitSimulator({ linear: { balances: { USDT: 100_000 } } });
    writeSettings(dir.path, { ...NO_RISK_LIMITS, reconciliation: { intervalSec: 0 }, execution: FAST_EXECUTION });
    child = await spawnServe({
      dataDir: dir.path,
      args: ['--mode', 'live', '--exchange', 'bybit', '--exchange-url', sim.url],
      env: { PINEBRIDGE_API_KEY: sim.apiKey, PINEBRIDGE_API_SECRET: sim.secret, PINEBRIDGE_WEBHOOK_SECRET: WEBHOOK_SECRET },
    });
  });
  afterAll(async () => {
    await child?.stop();
    await sim?.close();
    dir.cleanup();
  });

  it('refuses the alert with hedge_mode_unsupported, sending nothing; trades once the account is one-way again', async () => {
    const ex = createSimulatedBybit(sim, { enableRateLimit: false });
    await ex.loadMarkets();
    await ex.setPositionMode(true, 'BTC/USDT:USDT');
    const before = creates();
    const r = await send(child, { strategy: 'hr', symbol: 'BYBIT:BTCUSDT.P', action: 'buy', quantity: '0.01', price: '65000' });
    expect(r.alert!.status).toBe('failed');
    expect(r.alert!.reasonCode).toBe('hedge_mode_unsupported');
    expect(r.alert!.reason).toMatch(/the bybit account is in hedge mode .* hedge-mode orders on Binance USDⓈ-M only; switch the bybit account to one-way mode/);
    expect(creates()).toBe(before);
    expect(await listOrders(child, r.alert!.id)).toEqual([]);

    await ex.setPositionMode(false, 'BTC/USDT:USDT');
    const ok = await send(child, { strategy: 'hr', symbol: 'BYBIT:BTCUSDT.P', action: 'buy', quantity: '0.01', price: '65000' });
    expect(ok.alert!.status, ok.alert!.reason ?? '').toBe('executed');
    expect(sim.position('BTCUSDT').size).toBeCloseTo(0.01, 10);
  });
});
