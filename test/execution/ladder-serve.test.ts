import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDto } from '../../shared/api.js';
import { startExchangeSimulator, type Simulator } from '../support/exchange-simulator/index.js';
import { FAST_EXECUTION, NO_RISK_LIMITS, spawnLive, writeSettings } from '../support/live-serve.js';
import type { ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { ordersSettled, WEBHOOK_SECRET } from './serve-client.js';
import { held, positionRow, send } from './tv-support.js';

/**
 * Issue 16 item 1 through `pinebridge serve`: a take-profit ladder whose stop always covers what
 * is left. Paper (spot, fee 0.1%) here; live against the simulator in ladder-live-serve.test.ts.
 */
const SPOT = 'BTC/USDT';
const PRICE = 65_000;
const FEE = 0.001;

describe('take-profit ladder on paper, through pinebridge serve', () => {
  let child: ServeProcess;
  let sim: Simulator;
  const dir = tempDir('pinebridge-ladder-');
  const paper = (strategy: string, body: Record<string, unknown>) => send(child, { strategy, account: 'pp', symbol: 'BINANCE:BTCUSDT', ...body });
  const paperPrice = (price: number) => paper('ticker', { action: 'cancel', price });
  const open = (list: OrderDto[], purpose: string) => list.filter((o) => o.purpose === purpose && o.status === 'open');
  const settled = (alertId: string, check: (l: OrderDto[]) => boolean, what: string) => ordersSettled(child, alertId, check, what);

  beforeAll(async () => {
    sim = await startExchangeSimulator({ prices: { BTCUSDT: PRICE } });
    writeSettings(dir.path, {
      ...NO_RISK_LIMITS,
      accounts: [{ name: 'pp', mode: 'paper' }],
      paper: { balances: { USDT: 100_000 }, feeRate: FEE, slippageBps: 0, markets: 'snapshot' },
      reconciliation: { intervalSec: 0 },
      execution: FAST_EXECUTION,
    });
    child = await spawnLive({ dataDir: dir.path, sim, webhookSecret: WEBHOOK_SECRET });
  });
  afterAll(async () => {
    await child?.stop();
    await sim?.close();
    dir.cleanup();
  });

  it('three levels fill one by one: the stop shrinks to the rest each time, moves to breakeven after TP1, and goes once the last level closed it all', async () => {
    await paperPrice(PRICE);
    const r = await paper('ladder', {
      action: 'buy',
      quantity: '0.03',
      price: PRICE,
      stop_loss: '2%',
      take_profit: [
        { price: '1%', size: '30%' },
        { price: '2%', size: '30%' },
        { price: 66_950, size: '40%' },
      ],
      move_stop_to_breakeven_after: 1,
    });
    expect(r.answer.warnings).toBeUndefined();
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    const id = r.alert!.id;
    let list = await settled(id, (l) => open(l, 'take_profit').length === 3 && open(l, 'stop_loss').length === 1, 'the ladder placed');
    expect(list.find((o) => o.purpose === 'entry')).toMatchObject({ status: 'filled', filled: 0.03, average: PRICE });
    expect(open(list, 'take_profit').map((o) => [o.side, o.amount, o.triggerPrice])).toEqual([
      ['sell', 0.009, 65_650],
      ['sell', 0.009, 66_300],
      ['sell', 0.012, 66_950],
    ]);
    const ids = new Set(list.map((o) => o.clientOrderId));
    expect(ids.size).toBe(list.length);
    expect(open(list, 'stop_loss')).toEqual([expect.objectContaining({ amount: 0.03, triggerPrice: 63_700 })]);

    // TP1: the stop now covers 0.021, at the entry plus the fees of buying and of selling the rest.
    await paperPrice(65_700);
    list = await settled(id, (l) => open(l, 'stop_loss').length === 1 && open(l, 'stop_loss')[0]!.amount === 0.021, 'the stop shrunk after TP1');
    const be = Number(((PRICE * (1 + FEE)) / (1 - FEE)).toFixed(2));
    expect(open(list, 'stop_loss')[0]!.triggerPrice).toBeCloseTo(be, 1);
    expect(list.filter((o) => o.purpose === 'stop_loss' && o.status === 'cancelled').map((o) => o.amount)).toEqual([0.03]);
    expect(await held(child, 'ladder', SPOT)).toBeCloseTo(0.021, 10);

    // TP2: 0.012 left, still at breakeven.
    await paperPrice(66_400);
    list = await settled(id, (l) => open(l, 'stop_loss')[0]?.amount === 0.012, 'the stop shrunk after TP2');
    expect(open(list, 'stop_loss')[0]!.triggerPrice).toBeCloseTo(be, 1);
    expect(open(list, 'take_profit').map((o) => o.amount)).toEqual([0.012]);

    // TP3 closes the rest: no stop is left.
    await paperPrice(67_000);
    list = await settled(id, (l) => open(l, 'stop_loss').length === 0 && open(l, 'take_profit').length === 0, 'the ladder done');
    expect(await held(child, 'ladder', SPOT)).toBeCloseTo(0, 10);
    expect(list.filter((o) => o.purpose === 'take_profit').map((o) => [o.status, o.filled])).toEqual([
      ['filled', 0.009],
      ['filled', 0.009],
      ['filled', 0.012],
    ]);
    const pos = await positionRow(child, 'ladder', SPOT);
    // Bought 0.03 at 65000, sold 0.009 at 65700, 0.009 at 66400 and 0.012 at 67000, 0.1% fee on every fill.
    expect(pos!.realizedPnl).toBeCloseTo(0.009 * 700 + 0.009 * 1400 + 0.012 * 2000, 6);
    expect(pos!.fees).toBeCloseTo(FEE * (0.03 * 65_000 + 0.009 * 65_700 + 0.009 * 66_400 + 0.012 * 67_000), 6);
    console.info(`[ladder paper] orders ${list.length}: ${list.map((o) => `${o.purpose} ${o.side} ${o.amount}${o.triggerPrice ? ` @${o.triggerPrice}` : ''} ${o.status}${o.filled ? ` filled ${o.filled} at ${o.average}` : ''}`).join('; ')}; realized P&L ${pos!.realizedPnl.toFixed(4)} USDT, fees ${pos!.fees.toFixed(4)} USDT, net ${(pos!.realizedPnl - pos!.fees).toFixed(4)} USDT`);
  });

  it('a stop-loss hit after TP1 closes exactly the rest, and the levels above are cancelled', async () => {
    await paperPrice(PRICE);
    const r = await paper('ladder-sl', { action: 'buy', quantity: '0.02', price: PRICE, stop_loss: 64_000, take_profit: [{ price: '1%', size: '50%' }, { price: '3%', size: '50%' }] });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    const id = r.alert!.id;
    await settled(id, (l) => open(l, 'take_profit').length === 2, 'the ladder placed');
    await paperPrice(65_700);
    let list = await settled(id, (l) => open(l, 'stop_loss')[0]?.amount === 0.01, 'the stop shrunk after TP1');
    expect(open(list, 'stop_loss')[0]!.triggerPrice).toBe(64_000);
    await paperPrice(63_900);
    list = await settled(id, (l) => open(l, 'take_profit').length === 0 && open(l, 'stop_loss').length === 0, 'the stop filled');
    const stops = list.filter((o) => o.purpose === 'stop_loss').sort((a, b) => b.amount - a.amount);
    expect(stops.map((o) => [o.status, o.amount, o.filled])).toEqual([
      ['cancelled', 0.02, 0],
      ['filled', 0.01, 0.01],
    ]);
    expect(list.filter((o) => o.purpose === 'take_profit').map((o) => o.status)).toEqual(['filled', 'cancelled']);
    expect(await held(child, 'ladder-sl', SPOT)).toBeCloseTo(0, 10);
  });

  it('a trailing stop placed with the entry shrinks with the ladder too, beside the stop-loss', async () => {
    await paperPrice(PRICE);
    const r = await paper('ladder-tr', { action: 'buy', quantity: '0.02', price: PRICE, stop_loss: 63_000, trailing_stop: '3%', take_profit: [{ price: '1%', size: '50%' }, { price: '3%', size: '50%' }] });
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    const id = r.alert!.id;
    let list = await settled(id, (l) => open(l, 'trailing_stop').length === 1 && open(l, 'stop_loss').length === 1, 'stop and trailing placed');
    expect(open(list, 'trailing_stop')[0]!.amount).toBe(0.02);
    await paperPrice(65_700);
    list = await settled(id, (l) => open(l, 'trailing_stop')[0]?.amount === 0.01 && open(l, 'stop_loss')[0]?.amount === 0.01, 'both shrunk after TP1');
    expect(list.filter((o) => o.status === 'open').map((o) => o.clientOrderId).sort()).toEqual([`pb${id}-1002`, `pb${id}-1011`, `pb${id}-1021`].sort());
    // The trailing stop fires (3% under the 65700 high, above the 63000 stop): the rest is sold once, the stop-loss and the last level go.
    await paperPrice(63_600);
    list = await settled(id, (l) => l.every((o) => o.status !== 'open'), 'the trailing stop closed the rest');
    expect(list.find((o) => o.clientOrderId === `pb${id}-1021`)).toMatchObject({ status: 'filled', filled: 0.01 });
    expect(await held(child, 'ladder-tr', SPOT)).toBeCloseTo(0, 10);
  });

  it('refuses a ladder that takes off more than the position, and breakeven without a ladder', async () => {
    const over = await paper('x', { action: 'buy', quantity: '0.01', price: PRICE, take_profit: [{ price: '1%', size: '60%' }, { price: '2%', size: '50%' }] });
    expect(over.status).toBe(400);
    expect(over.answer.error!.message).toMatch(/take_profit sizes add up to 110% of the position: at most 100% can be taken off/);
    const be = await paper('x', { action: 'buy', quantity: '0.01', price: PRICE, stop_loss: '1%', take_profit: '2%', move_stop_to_breakeven_after: 1 });
    expect(be.status).toBe(400);
    expect(be.answer.error!.message).toMatch(/move_stop_to_breakeven_after counts take-profit levels: give take_profit as a list/);
    const wrong = await paper('x', { action: 'buy', quantity: '0.01', price: PRICE, take_profit: [{ price: 64_000, size: '50%' }] });
    expect(wrong.alert!.status).toBe('failed');
    expect(wrong.alert!.reason).toMatch(/take_profit level 1 at 64000 is on the wrong side of the long entry at 65000/);
    // On an exit nothing of it is used, and the answer says so field by field.
    const exit = await paper('x', { action: 'close', price: PRICE, stop_loss: '1%', take_profit: [{ price: '2%', size: '50%' }], move_stop_to_breakeven_after: 1 });
    expect(exit.answer.warnings).toEqual(['stop_loss is not used on a close: ignored', 'take_profit is not used on a close: ignored', 'move_stop_to_breakeven_after is not used on a close: ignored']);
  });
});
