import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertDetailDto, PositionDto } from '../../shared/api.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { spawnLive, writePerpSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { command, eventually, getAlert, listOrders, postAlert, WEBHOOK_SECRET } from './serve-client.js';
import { send } from './tv-support.js';

/**
 * Hedge mode and kill -9 (issue 16: "a crash between fills recovering every order exactly
 * once"): `pinebridge serve` against the Binance USDⓈ-M simulator in dualSidePosition mode,
 * killed while the exchange holds the answers of a reversal's two orders (close LONG, open SHORT),
 * and while it holds a protective stop's answer; restarted, every order is found by its
 * clientOrderId, none is sent twice, and each side of the ledger matches the exchange.
 */
const PERP = 'BTC/USDT:USDT';
const PRICE = 65_000;

describe('hedge mode: a serve killed between fills and restarted', () => {
  let sim: Simulator;
  let child: ServeProcess | null = null;
  let dir = tempDir('pinebridge-hedge-crash-');
  const serve = () => spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET });
  const finished = (id: string) =>
    eventually(async () => {
      const a = await getAlert(child!, id);
      return a && a.status !== 'accepted' && a.status !== 'executing' ? a : undefined;
    }, 30_000, `alert ${id} finished`) as Promise<AlertDetailDto>;
  const rows = async (strategy: string) => (await command<PositionDto[]>(child!, 'getPositions', { strategy, includeFlat: true })).filter((p) => p.symbol === PERP);
  const creates = (cid: string) =>
    [...sim.requests({ method: 'POST', path: '/fapi/v1/order' }), ...sim.requests({ method: 'POST', path: '/fapi/v1/algoOrder' })].filter(
      (r) => r.params.newClientOrderId === cid || r.params.clientAlgoId === cid,
    );

  beforeEach(async () => {
    dir = tempDir('pinebridge-hedge-crash-');
    sim = await startExchangeSimulator({ prices: { BTCUSDT: PRICE }, futures: { balances: { USDT: 100_000 } } });
    sim.futures.setDualSide(true);
    writePerpSettings(dir.path, sim);
    child = await serve();
  });
  afterEach(async () => {
    await child?.kill9();
    child = null;
    await sim?.close();
    dir.cleanup();
  });

  it("a reversal's close and open both accepted with their answers held, then kill -9: each found by its clientOrderId, sent once", async () => {
    const entry = await send(child!, { strategy: 'hc-rev', account: 'perp', symbol: 'BINANCE:BTCUSDT.P', action: 'buy', quantity: '0.01', price: PRICE });
    expect(entry.alert!.status, entry.alert!.reason ?? '').toBe('executed');
    // Both order requests of the reversal are executed by the exchange, their answers never come.
    const held = sim.injectFault({ kind: 'acceptThenTimeout', method: 'POST', path: '/fapi/v1/order', times: 2 });
    const id = await postAlert(child!, {
      strategy: 'hc-rev', account: 'perp', symbol: 'BINANCE:BTCUSDT.P', action: 'sell', contracts: '0.02', market_position: 'short', prev_market_position: 'long', price: PRICE, id: 'hc-reversal',
    });
    await eventually(() => sim.futures.ordersByClientId(`pb${id}-1`).length === 1, 20_000, "the reversal's open on the exchange");
    await child!.kill9();
    held.cancel();
    // On the exchange the long is closed and the short open; the journal does not know it yet.
    expect(sim.futures.position('BTCUSDT', 'LONG').positionAmt).toBe(0);
    expect(sim.futures.position('BTCUSDT', 'SHORT').positionAmt).toBeCloseTo(-0.01, 10);

    child = await serve();
    const a = await finished(id);
    expect(a.status, a.reason ?? '').toBe('executed');
    const orders = await listOrders(child, id);
    expect(orders.map((o) => [o.purpose, o.side, o.status, o.filled])).toEqual([
      ['exit', 'sell', 'filled', 0.01],
      ['entry', 'sell', 'filled', 0.01],
    ]);
    for (const o of orders) {
      expect(sim.futures.ordersByClientId(o.clientOrderId), o.clientOrderId).toHaveLength(1);
      expect(creates(o.clientOrderId), `${o.clientOrderId} sent once`).toHaveLength(1);
    }
    expect(creates(`pb${id}-0`)[0]?.params.positionSide).toBe('LONG');
    expect(creates(`pb${id}-1`)[0]?.params.positionSide).toBe('SHORT');
    expect(await rows('hc-rev')).toMatchObject([{ positionSide: 'long', qty: 0 }, { positionSide: 'short', qty: -0.01 }]);
  });

  it("an entry's stop-loss accepted with its answer held, then kill -9: found again, not doubled; another strategy's long on the same market unaffected", async () => {
    const other = await send(child!, { strategy: 'hc-long', account: 'perp', symbol: 'BINANCE:BTCUSDT.P', action: 'buy', quantity: '0.02', price: PRICE });
    expect(other.alert!.status, other.alert!.reason ?? '').toBe('executed');
    const held = sim.injectFault({ kind: 'acceptThenTimeout', method: 'POST', path: '/fapi/v1/algoOrder', times: 1 });
    const id = await postAlert(child!, { strategy: 'hc-short', account: 'perp', symbol: 'BINANCE:BTCUSDT.P', action: 'sell', quantity: '0.01', price: PRICE, stop_loss: 66_000, id: 'hc-stop' });
    const stop = `pb${id}-100`;
    await eventually(() => sim.futures.algoOrdersByClientId(stop).length === 1, 20_000, 'the stop on the exchange');
    await child!.kill9();
    held.cancel();

    child = await serve();
    await eventually(async () => ((await listOrders(child!, id)).find((o) => o.clientOrderId === stop)?.status === 'open' ? true : undefined), 30_000, 'the stop found open');
    expect(sim.futures.algoOrdersByClientId(stop)).toHaveLength(1);
    expect(creates(stop)).toHaveLength(1);
    expect(sim.futures.algoOrdersByClientId(stop)[0]).toMatchObject({ side: 'BUY', positionSide: 'SHORT', reduceOnly: false, triggerPrice: 66_000, algoStatus: 'NEW' });

    // The stop fires: the short closes, the other strategy's long stays.
    sim.futures.setPrice('BTCUSDT', 66_100);
    await eventually(async () => ((await rows('hc-short'))[0]?.qty === 0 ? true : undefined), 30_000, "the short's stop recorded");
    expect(sim.futures.position('BTCUSDT', 'SHORT').positionAmt).toBe(0);
    expect(sim.futures.position('BTCUSDT', 'LONG').positionAmt).toBeCloseTo(0.02, 10);
    expect(await rows('hc-long')).toMatchObject([{ positionSide: 'long', qty: 0.02 }]);
    expect(sim.futures.ordersByClientId(`pb${id}-0`)).toHaveLength(1);
  });
});
