import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Journal } from '../../main/engine/journal/journal.js';
import { snapshotMarkets } from '../../main/engine/venues/paper-market-data.js';
import { liquidationPrice } from '../../main/engine/venues/paper-perp.js';
import { PaperVenue, type PaperOptions } from '../../main/engine/venues/paper-venue.js';
import { tempDir } from '../support/temp-dir.js';
import { alertBody, startExec, type ExecHarness } from './exec-harness.js';

const BTC = 'BTC/USDT:USDT';

/** The paper venue on a real journal file: the exchange's answers to perp orders. */
describe('paper perpetual venue', () => {
  const dir = tempDir('pinebridge-paper-perp-venue-');
  let journal: Journal;
  let n = 0;
  const opts: PaperOptions = { balances: { USDT: 1000 }, feeRate: 0, slippageBps: 0, leverage: 10, maintenanceMarginRate: 0.004 };
  const venue = async (account: string, o: Partial<PaperOptions> = {}) => {
    const v = new PaperVenue(journal.paper, account, { ...opts, ...o }, () => 1_000, snapshotMarkets('binance'));
    await v.loadMarkets();
    v.observePrice(BTC, 65_000, 1_000);
    return v;
  };
  const order = (side: 'buy' | 'sell', amount: number, extra: Record<string, unknown> = {}) => ({
    symbol: BTC,
    side,
    type: 'market' as const,
    amount,
    clientOrderId: `c${++n}`,
    ...extra,
  });
  beforeAll(() => {
    journal = Journal.open(join(dir.path, 'journal.db'));
  });
  afterAll(() => {
    journal.close();
    dir.cleanup();
  });

  it('hedge mode: each order names its side (-4061 without, -1106 with reduce-only); a long and a short stand side by side, margin each', async () => {
    const v = await venue('hedged', { hedgeMode: true });
    expect(await v.positionMode(BTC)).toBe('hedge');
    await expect(v.createOrder(order('buy', 0.01))).rejects.toThrow(/in hedge mode: an order must name its position side.*-4061/);
    await expect(v.createOrder(order('sell', 0.01, { positionSide: 'long', reduceOnly: true }))).rejects.toThrow(/-1106/);
    // Closing a side that holds nothing is refused as a reduce-only order would be.
    await expect(v.createOrder(order('sell', 0.01, { positionSide: 'long' }))).rejects.toThrow(/refused: the paper account is flat/);
    await v.createOrder(order('buy', 0.01, { positionSide: 'long' }));
    await v.createOrder(order('sell', 0.02, { positionSide: 'short' }));
    expect(journal.paper.position('hedged', BTC, 'long')).toMatchObject({ qty: 0.01, margin: 65 });
    expect(journal.paper.position('hedged', BTC, 'short')).toMatchObject({ qty: -0.02, margin: 130 });
    expect(journal.paper.position('hedged', BTC)).toBeNull();
    expect((await v.fetchPositions()).map((p) => [p.side, p.contracts])).toEqual([['long', 0.01], ['short', -0.02]]);
    // A close of the long, more than it holds, is clipped to it: the short is untouched.
    expect(await v.createOrder(order('sell', 0.05, { positionSide: 'long' }))).toMatchObject({ status: 'closed', filled: 0.01 });
    expect(journal.paper.position('hedged', BTC, 'long')).toMatchObject({ qty: 0, margin: 0 });
    expect(journal.paper.position('hedged', BTC, 'short')).toMatchObject({ qty: -0.02 });
    const oneWay = await venue('one-way');
    expect(await oneWay.positionMode(BTC)).toBe('oneway');
    await expect(oneWay.createOrder(order('buy', 0.01, { positionSide: 'long' }))).rejects.toThrow(/in one-way mode: an order names no position side/);
  });

  it('refuses a reduce-only order that would open a position (Binance -2022) and clips one that would flip', async () => {
    const v = await venue('ro');
    await expect(v.createOrder(order('sell', 0.01, { reduceOnly: true }))).rejects.toThrow(/reduce-only sell of 0.01 BTC\/USDT:USDT refused: the paper account is flat/);
    await v.createOrder(order('buy', 0.01));
    await expect(v.createOrder(order('buy', 0.01, { reduceOnly: true }))).rejects.toThrow(/is long there, so it would open or add/);
    const clipped = await v.createOrder(order('sell', 0.03, { reduceOnly: true }));
    expect(clipped).toMatchObject({ status: 'closed', filled: 0.01 });
    expect(journal.paper.position('ro', BTC)).toMatchObject({ qty: 0, margin: 0 });
    expect((await v.fetchBalance()).USDT).toEqual({ free: 1000, used: 0, total: 1000 });
  });

  it('flips with one order that is not reduce-only, and holds margin = notional / leverage', async () => {
    const v = await venue('flip');
    await v.createOrder(order('buy', 0.01));
    expect((await v.fetchBalance()).USDT).toMatchObject({ used: 65, total: 1000 });
    v.observePrice(BTC, 66_000, 2_000);
    await v.createOrder(order('sell', 0.03));
    expect(journal.paper.position('flip', BTC)).toMatchObject({ qty: -0.02, entry_price: 66_000, margin: 132, realized_pnl: 10 });
    expect((await v.fetchBalance()).USDT).toEqual({ free: 1010 - 132, used: 132, total: 1010 });
  });

  it('refuses an order whose margin the wallet cannot pay, and keeps nothing of it', async () => {
    const v = await venue('poor', { balances: { USDT: 100 } });
    await expect(v.createOrder(order('buy', 0.02))).rejects.toThrow(/paper account has 100 USDT available, the order needs 130 USDT/);
    expect(await v.fetchOrderByClientId(BTC, `c${n}`)).toBeNull();
    expect(journal.paper.position('poor', BTC)).toBeNull();
  });

  it('a resting limit order holds its margin until it fills or is cancelled', async () => {
    const v = await venue('limit');
    const o = await v.createOrder(order('buy', 0.01, { type: 'limit', price: 60_000 }));
    expect(o.status).toBe('open');
    expect((await v.fetchBalance()).USDT).toMatchObject({ free: 940, used: 60 });
    expect(await v.cancelOrder(BTC, o.clientOrderId!)).toMatchObject({ status: 'canceled' });
    expect((await v.fetchBalance()).USDT).toMatchObject({ free: 1000, used: 0 });
  });

  it('keeps perp positions, margin and the liquidation price across a restart', async () => {
    const file = join(dir.path, 'restart.db');
    let j = Journal.open(file);
    const make = () => new PaperVenue(j.paper, 'main', opts, () => 1_000, snapshotMarkets('binance'));
    const before = make();
    await before.loadMarkets();
    before.observePrice(BTC, 65_000, 1_000);
    await before.createOrder(order('sell', 0.01));
    j.close();
    j = Journal.open(file);
    try {
      const after = make();
      await after.loadMarkets();
      expect(await after.fetchPositions()).toEqual([{ symbol: BTC, contracts: -0.01, markPrice: 65_000 }]);
      expect((await after.fetchBalance()).USDT).toEqual({ free: 935, used: 65, total: 1000 });
      expect(j.paper.liquidationPrice('main', BTC)).toBeCloseTo(71_500 / 1.004, 9);
      await after.createOrder(order('buy', 0.01, { reduceOnly: true }));
      expect(await after.fetchPositions()).toEqual([]);
    } finally {
      j.close();
    }
  });

  it('computes the isolated-style liquidation price', () => {
    expect(liquidationPrice(0.01, 65_000, 65, 0.004)).toBeCloseTo(58_500 / 0.996, 9);
    expect(liquidationPrice(-0.01, 65_000, 65, 0.004)).toBeCloseTo(71_500 / 1.004, 9);
    // 1x long: its margin covers a fall to zero.
    expect(liquidationPrice(0.01, 65_000, 650, 0.004)).toBeNull();
    expect(liquidationPrice(0, 65_000, 0, 0.004)).toBeNull();
  });
});

/** Protective orders on paper perps, through the whole engine, as on spot. */
describe('paper perpetuals: protective orders', () => {
  let h: ExecHarness;
  beforeAll(async () => {
    h = await startExec({ overrides: { paper: { balances: { USDT: 100_000 }, feeRate: 0, slippageBps: 0, leverage: 5 } } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('a short\'s stop-loss fires above the entry, closes the position and cancels the take-profit', async () => {
    const entry = await h.run(alertBody({ strategy: 'p-prot', symbol: 'ETHUSDT.P', action: 'sell', quantity: '1', price: '3000', stop_loss: '3100', take_profit: '2800' }));
    expect(entry.status, entry.reason ?? '').toBe('executed');
    const all = h.intents(entry.id);
    expect(all.find((i) => i.purpose === 'stop_loss')).toMatchObject({ side: 'buy', type: 'stop_loss', triggerPrice: 3100, status: 'open' });
    expect(all.find((i) => i.purpose === 'take_profit')).toMatchObject({ side: 'buy', status: 'open' });
    expect(h.position('p-prot', 'ETH/USDT:USDT').qty).toBe(-1);
    await h.run(alertBody({ strategy: 'other', symbol: 'ETHUSDT.P', action: 'cancel', price: '3120' }));
    const after = h.intents(entry.id);
    expect(after.find((i) => i.purpose === 'stop_loss')!.status).toBe('filled');
    expect(after.find((i) => i.purpose === 'take_profit')!.status).toBe('cancelled');
    const p = h.position('p-prot', 'ETH/USDT:USDT');
    expect(p.qty).toBe(0);
    expect(p.realizedPnl).toBeCloseTo(-120, 9);
    expect((await h.balances()).USDT).toMatchObject({ used: 0, total: 100_000 - 120 });
  });

  it('a long\'s trailing stop follows the price up and sells on the pull-back', async () => {
    const entry = await h.run(alertBody({ strategy: 'p-trail', symbol: 'BTCUSDT.P', quantity: '0.01', price: '60000', trailing_stop: '5%' }));
    expect(entry.status, entry.reason ?? '').toBe('executed');
    await h.run(alertBody({ strategy: 'other', symbol: 'BTCUSDT.P', action: 'cancel', price: '70000' }));
    await h.run(alertBody({ strategy: 'other', symbol: 'BTCUSDT.P', action: 'cancel', price: '67000' }));
    expect(h.intents(entry.id).find((i) => i.purpose === 'trailing_stop')!.status).toBe('open');
    await h.run(alertBody({ strategy: 'other', symbol: 'BTCUSDT.P', action: 'cancel', price: '66400' }));
    expect(h.intents(entry.id).find((i) => i.purpose === 'trailing_stop')!.status).toBe('filled');
    const p = h.position('p-trail', 'BTC/USDT:USDT');
    expect(p.qty).toBe(0);
    expect(p.realizedPnl).toBeCloseTo(0.01 * 6_400, 6);
  });
});
