import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSimulatedOkx } from '../support/okx-simulator/ccxt.js';
import { startOkxSimulator, type OkxSimulator } from '../support/okx-simulator/index.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, writeSettings } from '../support/live-serve.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { listOrders, WEBHOOK_SECRET } from './serve-client.js';
import { send } from './tv-support.js';

/**
 * Hedge mode where Pinebridge places no hedge-mode orders (OKX: its `posSide` long / short is
 * not sent), through `pinebridge serve` and real ccxt `okx` against the OKX simulator: the mode is
 * read (ccxt fetchPositionMode, the account config's posMode), the alert is refused before any
 * order with what to do, nothing is sent; back in one-way (net) mode the next alert trades.
 */
describe('hedge mode refused on an exchange without hedge orders (OKX), through pinebridge serve', () => {
  let sim: OkxSimulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-hedge-refused-');
  const creates = () => sim.requests({ method: 'POST' }).filter((r) => r.path.startsWith('/api/v5/trade/')).length;

  beforeAll(async () => {
    sim = await startOkxSimulator({ swap: { balances: { USDT: 100_000 } } });
    writeSettings(dir.path, { ...NO_RISK_LIMITS, reconciliation: { intervalSec: 0 }, execution: FAST_EXECUTION });
    child = await spawnServe({
      dataDir: dir.path,
      args: ['--mode', 'live', '--exchange', 'okx', '--exchange-url', sim.url],
      env: { PINEBRIDGE_API_KEY: sim.apiKey, PINEBRIDGE_API_SECRET: sim.secret, PINEBRIDGE_API_PASSWORD: sim.passphrase, PINEBRIDGE_WEBHOOK_SECRET: WEBHOOK_SECRET },
    });
  });
  afterAll(async () => {
    await child?.stop();
    await sim?.close();
    dir.cleanup();
  });

  it('refuses the alert with hedge_mode_unsupported, sending nothing; trades once the account is one-way again', async () => {
    const ex = createSimulatedOkx(sim, { enableRateLimit: false });
    await ex.loadMarkets();
    await ex.setPositionMode(true);
    const before = creates();
    const r = await send(child, { strategy: 'hr', symbol: 'OKX:BTCUSDT.P', action: 'buy', quantity: '0.01', price: '65000' });
    expect(r.alert!.status).toBe('failed');
    expect(r.alert!.reasonCode).toBe('hedge_mode_unsupported');
    expect(r.alert!.reason).toMatch(/the okx account is in hedge mode .* hedge-mode orders on Binance USDⓈ-M and Bybit only; switch the okx account to one-way mode/);
    expect(creates()).toBe(before);
    expect(await listOrders(child, r.alert!.id)).toEqual([]);

    await ex.setPositionMode(false);
    const ok = await send(child, { strategy: 'hr', symbol: 'OKX:BTCUSDT.P', action: 'buy', quantity: '0.01', price: '65000' });
    expect(ok.alert!.status, ok.alert!.reason ?? '').toBe('executed');
    // OKX counts contracts: 0.01 BTC is one BTC-USDT-SWAP contract.
    expect(sim.position('BTC-USDT-SWAP')).toBe(1);
  });
});
