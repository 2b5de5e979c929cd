/**
 * The matching rule on its own (the README's "Live vs backtest"): nearest order of the same side
 * within the window, order kept, a later event that is nearer keeps its order, and a reversal
 * sent as one order shared by the exit and the entry it stands for. (Through pinebridge serve,
 * with real fills: backtest-serve.test.ts.)
 */
import { describe, expect, it } from 'vitest';
import type { BacktestTradeDto, LiveOrderDto } from '../../shared/api.js';
import { compareBacktest } from '../../main/engine/positions/backtest-compare.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 0, 5, 9, 0);
const trade = (number: number, side: 'long' | 'short', entry: [number, number], exit: [number, number] | null, qty = 1, profit: number | null = 0): BacktestTradeDto => ({
  number,
  side,
  entry: { time: T0 + entry[0] * MIN, price: entry[1], qty, signal: '' },
  exit: exit && { time: T0 + exit[0] * MIN, price: exit[1], qty, signal: '' },
  profit,
});
let n = 0;
const order = (side: 'buy' | 'sell', atMin: number, price: number, amount = 1, fee = 0): LiveOrderDto => ({
  clientOrderId: `o${++n}`,
  alertId: `a${n}`,
  symbol: 'BTC/USDT:USDT',
  side,
  time: T0 + atMin * MIN,
  filledAt: T0 + atMin * MIN,
  amount,
  price,
  fee,
});
const compare = (trades: BacktestTradeDto[], live: LiveOrderDto[], windowSec = 300) =>
  compareBacktest({ strategy: 's', importedAt: 0, fileName: null, layout: '2025', trades, live, liveSince: T0 - MIN, now: T0 + 1000 * MIN, windowSec });

describe('matching a backtest to live orders', () => {
  it('a missed entry does not take the next trade’s order: the nearer event keeps it', () => {
    const live = [order('buy', 4.1, 100), order('sell', 6, 101)];
    const c = compare([trade(1, 'long', [0, 100], [2, 101]), trade(2, 'long', [4, 100], [6, 101])], live);
    expect(c.trades.map((t) => t.match)).toEqual(['missed', 'matched']);
    expect(c.trades[1]!.liveEntry!.clientOrderId).toBe(live[0]!.clientOrderId);
    expect(c.extra).toEqual([]);
  });

  it('outside the window, or of the other side, is no match: extra', () => {
    const live = [order('buy', 10, 100), order('sell', 0.5, 99)];
    live.sort((a, b) => a.time - b.time);
    const c = compare([trade(1, 'long', [0, 100], [20, 101])], live, 60);
    expect(c.trades[0]!.match).toBe('missed');
    expect(c.extra.map((o) => o.side)).toEqual(['sell', 'buy']);
  });

  it('a reversal sent as one order is shared by the exit and the next entry, by the backtest sizes', () => {
    // Long 1 closed and short 2 opened on the same bar; one sell of 3 crossed zero at 110.2.
    const trades = [trade(1, 'long', [0, 100], [30, 110], 1, 9.9), trade(2, 'short', [30, 110], [60, 105], 2, 9.8)];
    const live = [order('buy', 0, 100.1, 1, 0.1), order('sell', 30, 109.8, 3, 0.3), order('buy', 60, 105.1, 2, 0.2)];
    const c = compare(trades, live);
    expect(c.trades.map((t) => t.match)).toEqual(['matched', 'matched']);
    const [long, short] = c.trades;
    expect(long!.liveExit!.clientOrderId).toBe(short!.liveEntry!.clientOrderId);
    // The sell is 1/3 the long's exit, 2/3 the short's entry: slippage 0.2 per unit on each share.
    expect(long!.exitSlippage).toEqual({ price: 0.2, bps: expect.closeTo(18.1818, 3), cost: expect.closeTo(0.2, 8) });
    expect(short!.entrySlippage!.cost).toBeCloseTo(0.4, 8);
    expect(long!.livePnl).toBeCloseTo(109.8 - 100.1 - 0.1 - 0.1, 8);
    expect(short!.livePnl).toBeCloseTo(109.8 * 2 - 105.1 * 2 - 0.2 - 0.2, 8);
    expect(c.extra).toEqual([]);
    expect(c.totals.slippageCost).toBeCloseTo(0.1 + 0.2 + 0.4 + 0.2, 8);
  });

  it('a reversal sent as two orders (close, then open) matches one each', () => {
    const trades = [trade(1, 'long', [0, 100], [30, 110]), trade(2, 'short', [30, 110], [60, 105])];
    const live = [order('buy', 0, 100), order('sell', 30, 110), order('sell', 30.01, 109.9), order('buy', 60, 105)];
    const c = compare(trades, live);
    expect(c.trades.map((t) => t.match)).toEqual(['matched', 'matched']);
    expect(c.trades[1]!.liveEntry!.clientOrderId).toBe(live[2]!.clientOrderId);
    expect(c.trades[0]!.exitSlippage!.cost).toBe(0);
  });
});
