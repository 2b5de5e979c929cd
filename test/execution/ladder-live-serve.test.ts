import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDto } from '../../shared/api.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, spawnLive, writeSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { eventually, ordersSettled, WEBHOOK_SECRET } from './serve-client.js';
import { held, positionRow, send } from './tv-support.js';

/**
 * Issue 16 item 1 live: a take-profit ladder on a Binance USDⓈ-M perpetual through real ccxt
 * `binanceusdm` against the simulator (TAKE_PROFIT_MARKET / STOP_MARKET / TRAILING_STOP_MARKET
 * reduce-only algo orders), and a `pinebridge serve` killed with SIGKILL between the levels.
 */
const PERP = 'BTC/USDT:USDT';
const PRICE = 65_000;

describe('take-profit ladder live (binanceusdm simulator), through pinebridge serve', () => {
  let sim: Simulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-ladder-live-');
  const serve = () => spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET });
  const live = (strategy: string, body: Record<string, unknown>) => send(child, { strategy, account: 'perp', symbol: 'BINANCE:BTCUSDT.P', ...body });
  const open = (list: OrderDto[], purpose: string) => list.filter((o) => o.purpose === purpose && o.status === 'open');
  const settled = (alertId: string, check: (l: OrderDto[]) => boolean, what: string) => ordersSettled(child, alertId, check, what);
  /** The exchange's algo order of one clientOrderId: exactly one, whatever happened. */
  const algo = (clientOrderId: string) => {
    const found = sim.futures.algoOrdersByClientId(clientOrderId);
    expect(found, `${clientOrderId} on the exchange`).toHaveLength(1);
    return found[0]!;
  };

  beforeAll(async () => {
    sim = await startExchangeSimulator({ prices: { BTCUSDT: PRICE }, futures: { balances: { USDT: 100_000 } } });
    writeSettings(dir.path, {
      ...NO_RISK_LIMITS,
      accounts: [{ name: 'perp', exchange: 'binanceusdm', exchangeUrl: sim.url }],
      reconciliation: { intervalSec: 0 },
      execution: FAST_EXECUTION,
    });
    child = await serve();
  });
  afterAll(async () => {
    await child?.stop();
    await sim?.close();
    dir.cleanup();
  });

  it('three levels fill one by one: the stop shrinks each time, goes to breakeven after TP1, becomes a trailing stop after TP2', async () => {
    const r = await live('lad', {
      action: 'buy',
      quantity: '0.03',
      price: PRICE,
      stop_loss: 64_000,
      trailing_stop: '1%',
      take_profit: [
        { price: 65_500, size: '30%' },
        { price: 66_000, size: '30%' },
        { price: 66_500, size: '40%' },
      ],
      move_stop_to_breakeven_after: 1,
      trailing_after: 2,
    });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    const id = r.alert!.id;
    let list = await settled(id, (l) => open(l, 'take_profit').length === 3 && open(l, 'stop_loss').length === 1, 'the ladder placed');
    // Each level its own reduce-only TAKE_PROFIT_MARKET, the stop a STOP_MARKET of the whole position; no trailing stop yet.
    expect(open(list, 'take_profit').map((o) => [algo(o.clientOrderId).orderType, algo(o.clientOrderId).quantity, algo(o.clientOrderId).triggerPrice, algo(o.clientOrderId).reduceOnly])).toEqual([
      ['TAKE_PROFIT_MARKET', 0.009, 65_500, true],
      ['TAKE_PROFIT_MARKET', 0.009, 66_000, true],
      ['TAKE_PROFIT_MARKET', 0.012, 66_500, true],
    ]);
    const sl0 = open(list, 'stop_loss')[0]!;
    expect(algo(sl0.clientOrderId)).toMatchObject({ orderType: 'STOP_MARKET', quantity: 0.03, triggerPrice: 64_000, reduceOnly: true, algoStatus: 'NEW' });
    expect(list.filter((o) => o.purpose === 'trailing_stop')).toEqual([]);

    sim.futures.setPrice('BTCUSDT', 65_600);
    list = await settled(id, (l) => open(l, 'stop_loss')[0]?.amount === 0.021 && l.some((o) => o.clientOrderId === sl0.clientOrderId && o.status === 'cancelled'), 'the stop shrunk after TP1');
    const sl1 = open(list, 'stop_loss')[0]!;
    // At the entry plus the fees of buying and selling the rest (the simulator's taker fee).
    expect(sl1.triggerPrice!).toBeGreaterThan(PRICE);
    expect(sl1.triggerPrice!).toBeLessThan(PRICE * 1.002);
    expect(algo(sl1.clientOrderId)).toMatchObject({ orderType: 'STOP_MARKET', quantity: 0.021, triggerPrice: sl1.triggerPrice, reduceOnly: true, algoStatus: 'NEW' });
    expect(algo(sl0.clientOrderId).algoStatus).toBe('CANCELED');
    expect(sim.futures.position('BTCUSDT').positionAmt).toBeCloseTo(0.021, 10);

    sim.futures.setPrice('BTCUSDT', 66_100);
    list = await settled(id, (l) => open(l, 'trailing_stop')[0]?.amount === 0.012 && open(l, 'stop_loss').length === 0, 'the trailing stop after TP2');
    const tr = open(list, 'trailing_stop')[0]!;
    expect(algo(tr.clientOrderId)).toMatchObject({ orderType: 'TRAILING_STOP_MARKET', quantity: 0.012, reduceOnly: true, algoStatus: 'NEW' });
    expect(algo(sl1.clientOrderId).algoStatus).toBe('CANCELED');

    sim.futures.setPrice('BTCUSDT', 66_600);
    list = await settled(id, (l) => open(l, 'take_profit').length === 0 && open(l, 'trailing_stop').length === 0, 'the ladder done');
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0);
    expect(await held(child, 'lad', PERP)).toBeCloseTo(0, 10);
    expect(list.filter((o) => o.purpose === 'take_profit').map((o) => o.filled)).toEqual([0.009, 0.009, 0.012]);
    expect(sim.futures.algoOrders().filter((a) => a.algoStatus === 'NEW')).toEqual([]);
    const pos = await positionRow(child, 'lad', PERP);
    expect(pos!.realizedPnl).toBeGreaterThan(0);
    console.info(`[ladder live] orders ${list.length}: ${list.map((o) => `${o.purpose} ${o.side} ${o.amount}${o.triggerPrice ? ` @${o.triggerPrice}` : ''} ${o.status}${o.filled ? ` filled ${o.filled} at ${o.average}` : ''}`).join('; ')}; realized P&L ${pos!.realizedPnl.toFixed(4)} USDT, fees ${pos!.fees.toFixed(4)} USDT`);
  });

  it('kill -9 while the stop for the rest is being placed, and again right after a level filled: every order exists exactly once', async () => {
    sim.futures.setPrice('BTCUSDT', PRICE);
    const r = await live('crash', { action: 'buy', quantity: '0.03', price: PRICE, stop_loss: 64_000, take_profit: [{ price: 65_500, size: '30%' }, { price: 66_000, size: '30%' }, { price: 66_500, size: '40%' }] });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    const id = r.alert!.id;
    await settled(id, (l) => open(l, 'take_profit').length === 3 && open(l, 'stop_loss').length === 1, 'the ladder placed');
    const sl0 = `pb${id}-100`;
    const sl1 = `pb${id}-1011`;
    const sl2 = `pb${id}-1012`;

    // 1. The exchange takes the new stop but its answer never comes; the server dies meanwhile.
    const held1 = sim.injectFault({ kind: 'acceptThenTimeout', method: 'POST', path: '/fapi/v1/algoOrder', times: 1 });
    sim.futures.setPrice('BTCUSDT', 65_600);
    await eventually(() => sim.futures.algoOrdersByClientId(sl1).length === 1, 20_000, 'the stop for the rest reached the exchange');
    await child.kill9();
    held1.cancel();
    expect(algo(sl0).algoStatus).toBe('NEW'); // the old stop was still there: never unprotected
    child = await serve();
    await settled(id, (l) => l.find((o) => o.clientOrderId === sl0)?.status === 'cancelled' && l.find((o) => o.clientOrderId === sl1)?.status === 'open', 'the restart found the new stop and cancelled the old');
    expect(algo(sl1)).toMatchObject({ quantity: 0.021, triggerPrice: 64_000, algoStatus: 'NEW' });
    expect(algo(sl0).algoStatus).toBe('CANCELED');

    // 2. TP2 fills on the exchange and the server dies before it has seen it.
    sim.futures.setPrice('BTCUSDT', 66_100);
    await child.kill9();
    child = await serve();
    await settled(id, (l) => l.find((o) => o.clientOrderId === sl2)?.status === 'open' && l.find((o) => o.clientOrderId === sl1)?.status === 'cancelled', 'the restart caught up with TP2');
    expect(algo(sl2)).toMatchObject({ quantity: 0.012, triggerPrice: 64_000, algoStatus: 'NEW' });

    sim.futures.setPrice('BTCUSDT', 66_600);
    const list = await settled(id, (l) => open(l, 'take_profit').length === 0 && open(l, 'stop_loss').length === 0, 'the ladder done');
    // Every order the alert made, once each on the exchange; the entry once among plain orders.
    for (const o of list.filter((x) => x.purpose !== 'entry')) algo(o.clientOrderId);
    expect(sim.futures.ordersByClientId(`pb${id}-0`)).toHaveLength(1);
    expect(list.map((o) => o.clientOrderId).sort()).toEqual([`pb${id}-0`, sl0, `pb${id}-1001`, `pb${id}-1002`, `pb${id}-1003`, sl1, sl2].sort());
    expect(list.filter((o) => o.purpose === 'take_profit').map((o) => [o.status, o.filled])).toEqual([
      ['filled', 0.009],
      ['filled', 0.009],
      ['filled', 0.012],
    ]);
    expect(sim.futures.position('BTCUSDT').positionAmt).toBe(0);
    expect(await held(child, 'crash', PERP)).toBeCloseTo(0, 10);
  });
});
