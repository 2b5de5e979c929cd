import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PositionDto, ReconciliationDto } from '../../shared/api.js';
import { createSimulatedBybit } from '../support/bybit-simulator/ccxt.js';
import { startBybitSimulator, type BybitSimulator } from '../support/bybit-simulator/index.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, writeSettings } from '../support/live-serve.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { command, eventually, listOrders, WEBHOOK_SECRET } from './serve-client.js';
import { send } from './tv-support.js';

/**
 * Hedge mode on Bybit (issue 16 item 3), through `pinebridge serve` and real ccxt `bybit` against
 * the Bybit simulator with the linear market in hedge mode (switch-mode 3): orders name
 * `positionIdx` 1 (the long side) or 2 (the short side), closes are reduce-only beside it, a long
 * and a short of two strategies are two positions and two ledger rows, each exit and each stop
 * closes its own side, and reconciliation compares side by side.
 */
const PERP = 'BTC/USDT:USDT';

describe('hedge mode on Bybit, through pinebridge serve', () => {
  let sim: BybitSimulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-hedge-bybit-');
  const live = (strategy: string, body: Record<string, unknown>) => send(child, { strategy, symbol: 'BYBIT:BTCUSDT.P', price: '65000', ...body });
  const rows = async (strategy: string) => (await command<PositionDto[]>(child, 'getPositions', { strategy, includeFlat: true })).filter((p) => p.symbol === PERP);
  const sent = (cid: string) => sim.requests({ method: 'POST', path: '/v5/order/create' }).filter((r) => r.params.orderLinkId === cid);
  /** What each order of an alert asked Bybit: side, positionIdx, reduceOnly. */
  const asked = async (alertId: string) =>
    (await listOrders(child, alertId)).map((o) => {
      const [r] = sent(o.clientOrderId);
      return [o.purpose, r?.params.side, Number(r?.params.positionIdx), String(r?.params.reduceOnly) === 'true'];
    });
  const long = () => sim.position('BTCUSDT', 'LONG').size;
  const short = () => sim.position('BTCUSDT', 'SHORT').size;

  beforeAll(async () => {
    sim = await startBybitSimulator({ linear: { balances: { USDT: 100_000 } } });
    const ex = createSimulatedBybit(sim, { enableRateLimit: false });
    await ex.loadMarkets();
    await ex.setPositionMode(true, PERP);
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

  it('a long and a short of two strategies are two positions (positionIdx 1 and 2); each exit closes its side; reconciliation per side', async () => {
    // The baseline first, while flat: a run that lands between a Bybit market order's acceptance
    // and the read of its fill would count that fill as held outside Pinebridge.
    await eventually(async () => ((await command<ReconciliationDto[]>(child, 'reconcile', {})).find((r) => r.exchange === 'bybit')?.status === 'ok' ? true : undefined), 20_000, 'the baseline taken');
    const a = await live('hb-a', { action: 'buy', quantity: '0.01' });
    expect(a.alert!.status, a.alert!.reason ?? '').toBe('executed');
    const b = await live('hb-b', { action: 'sell', quantity: '0.02' });
    expect(b.alert!.status, b.alert!.reason ?? '').toBe('executed');
    expect(await asked(a.alert!.id)).toEqual([['entry', 'Buy', 1, false]]);
    expect(await asked(b.alert!.id)).toEqual([['entry', 'Sell', 2, false]]);
    await eventually(async () => ((await rows('hb-b'))[0]?.qty === -0.02 ? true : undefined), 20_000, 'the short recorded');
    expect(long()).toBeCloseTo(0.01, 10);
    expect(short()).toBeCloseTo(-0.02, 10);
    expect(await rows('hb-a')).toMatchObject([{ positionSide: 'long', qty: 0.01 }]);
    expect(await rows('hb-b')).toMatchObject([{ positionSide: 'short', qty: -0.02 }]);
    const recon = (await command<ReconciliationDto[]>(child, 'reconcile', {})).find((r) => r.exchange === 'bybit');
    expect(recon, JSON.stringify(recon)).toMatchObject({ status: 'ok' });
    expect(recon!.assets.filter((x) => x.kind === 'position').map((x) => [x.asset, x.exchange, x.drift])).toEqual([
      [`${PERP} long`, 0.01, false],
      [`${PERP} short`, -0.02, false],
    ]);

    const closeA = await live('hb-a', { action: 'close' });
    expect(closeA.alert!.status, closeA.alert!.reason ?? '').toBe('executed');
    expect(await asked(closeA.alert!.id)).toEqual([['exit', 'Sell', 1, true]]);
    await eventually(async () => ((await rows('hb-a'))[0]?.qty === 0 ? true : undefined), 20_000, 'the close recorded');
    expect(long()).toBe(0);
    expect(short()).toBeCloseTo(-0.02, 10);
  });

  it("a short's stop-loss is a buy of the short side (positionIdx 2, reduce-only); it fires without touching the long", async () => {
    const l = await live('hb-long', { action: 'buy', quantity: '0.01' });
    expect(l.alert!.status, l.alert!.reason ?? '').toBe('executed');
    const s = await live('hb-short', { action: 'sell', quantity: '0.01', stop_loss: '66000' });
    expect(s.alert!.status, s.alert!.reason ?? '').toBe('executed');
    const stop = await eventually(async () => (await listOrders(child, s.alert!.id)).find((o) => o.purpose === 'stop_loss' && o.status === 'open'), 20_000, 'the stop placed');
    expect(sent(stop.clientOrderId).map((r) => [r.params.side, Number(r.params.positionIdx), r.params.triggerPrice])).toEqual([['Buy', 2, '66000']]);
    const shortBefore = short();
    sim.setPrice('BTCUSDT', 66_100);
    await eventually(async () => ((await rows('hb-short'))[0]?.qty === 0 ? true : undefined), 20_000, "the short's stop recorded");
    expect(short()).toBeCloseTo(shortBefore + 0.01, 10);
    expect(long()).toBeCloseTo(0.01, 10);
    expect(await rows('hb-long')).toMatchObject([{ positionSide: 'long', qty: 0.01 }]);
  });
});
