import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { spawnLive, writePerpSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { listOrders, WEBHOOK_SECRET } from './serve-client.js';
import { send } from './tv-support.js';

/**
 * Issue 16 (hedge mode) through `pinebridge serve` and real ccxt `binanceusdm`: the account's
 * position mode is read (`GET /fapi/v1/positionSide/dual`, kept a minute) before a perpetual
 * order. In hedge mode every order names its position side; in one-way mode none does. A mode
 * changed behind Pinebridge's back within that minute is refused by Binance (-4061): that alert
 * fails saying so, nothing trades, and the next alert reads the mode again and trades.
 * (Hedge mode on an exchange Pinebridge does not place hedge orders on: hedge-refused-serve.test.ts.)
 */
describe('the account position mode, through pinebridge serve', () => {
  let sim: Simulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-posmode-');
  const live = (body: Record<string, unknown>) => send(child, { strategy: 'pm', account: 'perp', symbol: 'BINANCE:BTCUSDT.P', ...body });
  const orderPosts = () => sim.requests({ method: 'POST', path: '/fapi/v1/order' });

  beforeAll(async () => {
    sim = await startExchangeSimulator({ prices: { BTCUSDT: 65_000 }, futures: { balances: { USDT: 10_000 } } });
    writePerpSettings(dir.path, sim);
    child = await spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET });
  });
  afterAll(async () => {
    await child?.stop();
    await sim?.close();
    dir.cleanup();
  });

  it('trades a hedge-mode account with position sides; a switch to one-way fails one alert with what happened, the next trades one-way', async () => {
    sim.futures.setDualSide(true);
    const r = await live({ action: 'buy', quantity: '0.01', price: 65_000 });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    expect(sim.requests({ method: 'GET', path: '/fapi/v1/positionSide/dual' }).length).toBeGreaterThan(0);
    expect(orderPosts().at(-1)?.params).toMatchObject({ side: 'BUY', positionSide: 'LONG' });
    expect(sim.futures.position('BTCUSDT', 'LONG').positionAmt).toBeCloseTo(0.01, 10);
    const closed = await live({ action: 'close', price: 65_000 });
    expect(closed.alert!.status, closed.alert!.reason ?? '').toBe('executed');
    expect(orderPosts().at(-1)?.params).toMatchObject({ side: 'SELL', positionSide: 'LONG' });
    expect(orderPosts().at(-1)?.params.reduceOnly).toBeUndefined();

    // Flat, the user switches the account to one-way mode in Binance's app.
    sim.futures.setDualSide(false);
    const before = orderPosts().length;
    const refused = await live({ action: 'buy', quantity: '0.01', price: 65_000 });
    expect(refused.alert!.status).toBe('failed');
    expect(refused.alert!.reasonCode).toBe('PositionModeChanged');
    expect(refused.alert!.reason).toMatch(/position side does not match the account's position mode .* send the alert again/);
    expect(orderPosts().length).toBe(before + 1);
    expect(sim.futures.positions()).toEqual([]);
    expect((await listOrders(child, refused.alert!.id)).map((o) => o.status)).toEqual(['rejected']);

    const ok = await live({ action: 'buy', quantity: '0.01', price: 65_000 });
    expect(ok.alert!.status, ok.alert!.reason ?? '').toBe('executed');
    expect(orderPosts().at(-1)?.params.positionSide).toBeUndefined();
    expect(sim.futures.position('BTCUSDT').positionAmt).toBeCloseTo(0.01, 10);
  });
});
