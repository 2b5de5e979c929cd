import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDto } from '../../shared/api.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, spawnLive, writeSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { eventually, ordersSettled, WEBHOOK_SECRET } from './serve-client.js';
import { held, positionRow, send } from './tv-support.js';

/**
 * Issue 16 items 1 + 2 on Binance spot, through `pinebridge serve --mode live` and real ccxt
 * `binance` against the simulator: a take-profit ladder with a stop-loss cannot rest as separate
 * sells there (each order holds its coins), so each level is one OCO order list (its take-profit
 * with a stop-loss of the same size) and the stops together cover the whole position. A level
 * that fills expires only its own list's stop; breakeven re-places the remaining lists; a stop
 * that triggers closes exactly the rest; a kill -9 during the move to breakeven doubles nothing.
 */
const SPOT = 'BTC/USDT';
const PRICE = 65_000;
const COINS = 0.02997; // 0.03 bought, the simulator's 0.1% fee taken in BTC

describe('Binance spot take-profit ladder as OCO lists, through pinebridge serve', () => {
  let sim: Simulator;
  let child: ServeProcess;
  const dir = tempDir('pinebridge-oco-ladder-');
  const serve = () => spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET });
  const live = (strategy: string, body: Record<string, unknown>) => send(child, { strategy, symbol: 'BINANCE:BTCUSDT', ...body });
  const open = (list: OrderDto[], purpose: string) => list.filter((o) => o.purpose === purpose && o.status === 'open');
  const settled = (alertId: string, check: (l: OrderDto[]) => boolean, what: string) => ordersSettled(child, alertId, check, what);
  const ladder = (strategy: string, extra: Record<string, unknown> = {}) =>
    live(strategy, {
      action: 'buy',
      quantity: '0.03',
      price: PRICE,
      stop_loss: 63_700,
      take_profit: [
        { price: 65_700, size: '30%' },
        { price: 66_400, size: '30%' },
        { price: 67_000, size: '40%' },
      ],
      ...extra,
    });
  /** The simulator's order of one clientOrderId: exactly one, whatever happened. */
  const one = (clientOrderId: string) => {
    const found = sim.ordersByClientId(clientOrderId);
    expect(found, `${clientOrderId} on the exchange`).toHaveLength(1);
    return found[0]!;
  };
  const listsSent = () => sim.requests({ method: 'POST', path: '/api/v3/orderList/oco' });

  beforeAll(async () => {
    sim = await startExchangeSimulator({ prices: { BTCUSDT: PRICE }, balances: { USDT: 100_000, BTC: 0 } });
    writeSettings(dir.path, { ...NO_RISK_LIMITS, reconciliation: { intervalSec: 0 }, execution: FAST_EXECUTION });
    child = await serve();
  });
  afterAll(async () => {
    await child?.stop();
    await sim?.close();
    dir.cleanup();
  });

  it('each level is one OCO list with a stop of its size; TP1 expires only its own stop, breakeven re-places the other lists, the last levels close it all', async () => {
    const before = listsSent().length;
    const r = await ladder('olad', { move_stop_to_breakeven_after: 1 });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    expect(r.alert!.reason).toMatch(/take-profit ladder placed as 3 binance OCO order lists/);
    const id = r.alert!.id;
    let list = await settled(id, (l) => open(l, 'take_profit').length === 3 && open(l, 'stop_loss').length === 3, 'three lists placed');
    const lists = listsSent().slice(before);
    expect(lists.map((q) => [q.params.quantity, q.params.abovePrice, q.params.belowStopPrice])).toEqual([
      ['0.00899', '65700', '63700'],
      ['0.00899', '66400', '63700'],
      ['0.01199', '67000', '63700'],
    ]);
    // The coins are held once: every one of them by exactly one list, none left free.
    expect(sim.balance('BTC')).toMatchObject({ locked: COINS, free: 0 });
    const stops0 = open(list, 'stop_loss');
    expect(stops0.map((s) => s.amount)).toEqual([0.00899, 0.00899, 0.01199]);

    sim.setPrice('BTCUSDT', 65_750);
    list = await settled(id, (l) => open(l, 'stop_loss').length === 2 && open(l, 'stop_loss').every((s) => s.triggerPrice! > PRICE) && open(l, 'take_profit').length === 2, 'TP1 filled, the other two lists at breakeven');
    expect(one(stops0[0]!.clientOrderId).status).toBe('EXPIRED');
    for (const s of stops0.slice(1)) expect(one(s.clientOrderId).status).toBe('CANCELED');
    const be = open(list, 'stop_loss');
    expect(be.map((s) => s.amount).sort()).toEqual([0.00899, 0.01199]);
    // At the entry plus both fees (0.1 % each way).
    expect(be[0]!.triggerPrice!).toBeGreaterThan(PRICE * 1.0019);
    expect(be[0]!.triggerPrice!).toBeLessThan(PRICE * 1.0021);
    for (const s of be) expect(one(s.clientOrderId)).toMatchObject({ type: 'STOP_LOSS', status: 'NEW', stopPrice: s.triggerPrice });
    expect(open(list, "take_profit").map((t) => t.triggerPrice).sort()).toEqual([66_400, 67_000]);
    expect(sim.balance('BTC').locked).toBeCloseTo(0.02098, 10);

    sim.setPrice('BTCUSDT', 66_450);
    await settled(id, (l) => open(l, 'take_profit').length === 1 && open(l, 'stop_loss').length === 1, 'TP2 filled, its stop expired');
    sim.setPrice('BTCUSDT', 67_100);
    list = await settled(id, (l) => l.every((o) => o.status !== 'open'), 'the ladder done');
    expect(list.filter((o) => o.purpose === 'take_profit' && o.status === 'filled').map((o) => [o.filled, o.average]).sort((a, b) => a[1]! - b[1]!)).toEqual([
      [0.00899, 65_700],
      [0.00899, 66_400],
      [0.01199, 67_000],
    ]);
    expect(list.filter((o) => o.purpose === 'stop_loss').every((s) => s.filled === 0)).toBe(true);
    expect(sim.balance('BTC').locked).toBe(0);
    const pos = await positionRow(child, 'olad', SPOT);
    expect(pos!.realizedPnl).toBeGreaterThan(0);
    console.info(`[spot oco ladder] orders ${list.length}: ${list.map((o) => `${o.purpose} ${o.side} ${o.amount}${o.triggerPrice ? ` @${o.triggerPrice}` : ''} ${o.status}${o.filled ? ` filled ${o.filled} at ${o.average}` : ''}`).join('; ')}; realized P&L ${pos!.realizedPnl.toFixed(4)} USDT, fees ${pos!.fees.toFixed(4)} USDT`);
    sim.setPrice('BTCUSDT', PRICE);
  });

  it('the stop hit after TP1 closes exactly the rest: every remaining list stops its own coins', async () => {
    const r = await ladder('olad2');
    const id = r.alert!.id;
    await settled(id, (l) => open(l, 'take_profit').length === 3 && open(l, 'stop_loss').length === 3, 'three lists placed');
    sim.setPrice('BTCUSDT', 65_750);
    await settled(id, (l) => open(l, 'take_profit').length === 2 && open(l, 'stop_loss').length === 2, 'TP1 filled');
    const heldAfterTp1 = await held(child, 'olad2', SPOT);
    sim.setPrice('BTCUSDT', 63_600);
    const list = await settled(id, (l) => l.every((o) => o.status !== 'open') && l.filter((o) => o.purpose === 'stop_loss' && o.status === 'filled').length === 2, 'both remaining stops filled');
    const stopped = list.filter((o) => o.purpose === 'stop_loss' && o.status === 'filled').reduce((s, o) => s + o.filled, 0);
    expect(stopped).toBeCloseTo(0.02098, 10);
    expect(heldAfterTp1).toBeCloseTo(stopped, 10);
    expect(list.filter((o) => o.purpose === 'take_profit' && o.status === 'expired')).toHaveLength(2);
    expect(sim.balance('BTC').locked).toBe(0);
    sim.setPrice('BTCUSDT', PRICE);
  });

  it('kill -9 right after TP1 filled, while the lists move to breakeven: on restart every list exists exactly once', async () => {
    const r = await ladder('olad3', { move_stop_to_breakeven_after: 1 });
    const id = r.alert!.id;
    const placed = await settled(id, (l) => open(l, 'take_profit').length === 3 && open(l, 'stop_loss').length === 3, 'three lists placed');
    // The exchange takes the first breakeven list but its answer never comes; the server dies meanwhile.
    const sent = listsSent().length;
    const lost = sim.injectFault({ kind: 'acceptThenTimeout', method: 'POST', path: '/api/v3/orderList/oco', times: 1 });
    sim.setPrice('BTCUSDT', 65_750);
    await eventually(() => listsSent().length > sent, 20_000, 'the first breakeven list reached the exchange');
    await child.kill9();
    lost.cancel();
    child = await serve();
    const list = await settled(id, (l) => open(l, 'stop_loss').length === 2 && open(l, 'take_profit').length === 2 && open(l, 'stop_loss').every((s) => s.triggerPrice! > PRICE), 'both lists at breakeven after the restart');
    for (const o of list) one(o.clientOrderId);
    expect(sim.balance('BTC').locked).toBeCloseTo(0.02098, 10);
    for (const s of open(placed, 'stop_loss')) expect(['EXPIRED', 'CANCELED']).toContain(one(s.clientOrderId).status);
    sim.setPrice('BTCUSDT', PRICE);
    await live('olad3', { action: 'close', price: PRICE });
    await settled(id, (l) => l.every((o) => o.status !== 'open'), 'closed');
    expect(sim.balance('BTC').locked).toBe(0);
  });
});
