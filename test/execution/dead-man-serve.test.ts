/**
 * The dead man's switch through `pinebridge serve` (live, real ccxt binanceusdm, real SQLite)
 * against the simulator's USDⓈ-M countdownCancelAll: armed on a market with a resting entry and
 * no protective order, renewed while serve runs (the entry outlives many countdowns), never armed
 * on a market with a stop-loss open; after `kill -9` the countdown runs out and the exchange
 * cancels the resting entry, while the other market's stop-loss (and its entry) stay. A graceful
 * stop stops the countdown instead.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertDetailDto } from '../../shared/api.js';
import { eventually, getAlert, postAlert, WEBHOOK_SECRET } from './serve-client.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, spawnLive, writeSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';

const COUNTDOWN_SEC = 2;
let sim: Simulator;
const dirs: { cleanup: () => void }[] = [];

beforeAll(async () => {
  sim = await startExchangeSimulator({ prices: { BTCUSDT: 65_000 }, futures: { balances: { USDT: 20_000 } } });
});
afterAll(async () => {
  await sim?.close();
  for (const d of dirs) d.cleanup();
});

async function serveWithSwitch(): Promise<ServeProcess> {
  const dir = tempDir('pb-deadman-');
  dirs.push(dir);
  writeSettings(dir.path, {
    accounts: [{ name: 'perp', exchange: 'binanceusdm', exchangeUrl: sim.url }],
    strategies: [
      { name: 'btc-dip', account: 'perp', symbol: 'BINANCE:BTCUSDT.P', quantity: '0.01' },
      { name: 'eth-trend', account: 'perp', symbol: 'BINANCE:ETHUSDT.P', quantity: '0.05' },
      { name: 'eth-dip', account: 'perp', symbol: 'BINANCE:ETHUSDT.P', quantity: '0.05' },
    ],
    reconciliation: { intervalSec: 0 },
    execution: FAST_EXECUTION,
    ...NO_RISK_LIMITS,
    deadManSwitch: { enabled: true, countdownSec: COUNTDOWN_SEC, renewSec: 0.3 },
  });
  return spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET });
}

async function settled(child: ServeProcess, body: Record<string, unknown>): Promise<AlertDetailDto> {
  const id = await postAlert(child, { id: `dm-${Math.random()}`, ...body });
  return eventually(async () => {
    const a = await getAlert(child, id);
    return a && a.status !== 'accepted' && a.status !== 'executing' ? a : undefined;
  });
}

const countdowns = (symbol: string) => sim.requests({ method: 'POST', path: '/fapi/v1/countdownCancelAll' }).filter((r) => r.params.symbol === symbol);

describe("the dead man's switch on Binance USDⓈ-M", () => {
  it('cancels the resting entry after kill -9, keeps the market with a stop-loss untouched', async () => {
    const child = await serveWithSwitch();
    try {
      // ETH: a position with its stop-loss on the exchange, and a resting entry beside it.
      const trend = await settled(child, { strategy: 'eth-trend', action: 'buy', symbol: 'BINANCE:ETHUSDT.P', price: '3200', stop_loss: '2800' });
      expect(trend.status, JSON.stringify(trend)).toBe('executed');
      const ethDip = await settled(child, { strategy: 'eth-dip', action: 'buy', symbol: 'BINANCE:ETHUSDT.P', order_type: 'limit', price: '2000' });
      expect(ethDip.status, JSON.stringify(ethDip)).not.toBe('failed');
      // BTC: only a resting entry far below the market.
      const btcDip = await settled(child, { strategy: 'btc-dip', action: 'buy', symbol: 'BINANCE:BTCUSDT.P', order_type: 'limit', price: '30000' });
      expect(btcDip.status, JSON.stringify(btcDip)).not.toBe('failed');
      const btcEntry = () => sim.futures.openOrders('BTCUSDT').find((o) => o.price === 30_000) ?? sim.futures.orders().find((o) => o.symbol === 'BTCUSDT' && o.price === 30_000);
      expect(btcEntry()?.status).toBe('NEW');

      // Armed on BTCUSDT and renewed well past one countdown: the entry is still resting.
      const renewals = COUNTDOWN_SEC / 0.3 + 3;
      await eventually(() => countdowns('BTCUSDT').length >= renewals, 30_000, `${renewals} renewals of the BTCUSDT countdown`);
      expect(countdowns('BTCUSDT').every((r) => r.params.countdownTime === String(COUNTDOWN_SEC * 1000) && r.status === 200)).toBe(true);
      expect(btcEntry()?.status).toBe('NEW');
      // Never armed where a stop-loss rests: the countdown would cancel it too.
      expect(countdowns('ETHUSDT')).toEqual([]);
      expect(child.output()).toMatch(/dead man's switch not armed on ETH\/USDT:USDT \(account perp\): its stop-loss/);
      expect(child.output()).toMatch(/dead man's switch armed on BTC\/USDT:USDT \(account perp, binanceusdm\)/);

      await child.kill9();
      await eventually(() => btcEntry()?.status === 'CANCELED', 30_000, 'the exchange cancelling the BTC entry after the countdown');
      // ETH's stop-loss and resting entry are still there.
      expect(sim.futures.openAlgoOrders('ETHUSDT').map((o) => o.orderType)).toEqual(['STOP_MARKET']);
      expect(sim.futures.openOrders('ETHUSDT').map((o) => o.price)).toEqual([2000]);
      expect(sim.futures.position('ETHUSDT').positionAmt).toBe(0.05);
    } finally {
      await child.kill9();
    }
  }, 90_000);

  it('a graceful stop stops the countdown: the entry keeps resting', async () => {
    const child = await serveWithSwitch();
    const before = countdowns('BTCUSDT').length;
    const dip = await settled(child, { strategy: 'btc-dip', action: 'buy', symbol: 'BINANCE:BTCUSDT.P', order_type: 'limit', price: '31000' });
    expect(dip.status, JSON.stringify(dip)).not.toBe('failed');
    await eventually(() => countdowns('BTCUSDT').length > before, 30_000, 'the BTCUSDT countdown armed for the new entry');
    expect(await child.stop()).toBe(0);
    expect(countdowns('BTCUSDT').at(-1)!.params.countdownTime).toBe('0');
    const entry = sim.futures.orders().find((o) => o.symbol === 'BTCUSDT' && o.price === 31_000);
    expect(entry?.status).toBe('NEW');
  }, 60_000);
});
