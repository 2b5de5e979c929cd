import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { alertBody, startExec, type ExecHarness } from './exec-harness.js';

/**
 * The paper venue through the whole engine: alerts POSTed to the webhook, executed by the worker,
 * balances and orders in the journal. One engine per describe; each test uses its own strategy
 * (positions are per strategy) and, where balances matter, its own symbol.
 */
describe('paper trading: actions and the ledger', () => {
  let h: ExecHarness;
  beforeAll(async () => {
    h = await startExec({ overrides: { paper: { balances: { USDT: 100_000 }, feeRate: 0.001, slippageBps: 10 } } });
  });
  afterAll(async () => {
    await h.close();
  });

  it('fills a market buy at the alert price plus slippage, charges the fee, moves balances and the position', async () => {
    const a = await h.run(alertBody({ strategy: 's-buy', symbol: 'BINANCE:SOLUSDT', quantity: '2', price: '150' }));
    expect(a.status, a.reason ?? '').toBe('executed');
    expect(a.reason).toMatch(/bought 2 SOL\/USDT at 150.15/);
    const [i] = h.intents(a.id);
    expect(i).toMatchObject({ status: 'filled', side: 'buy', amount: 2, filled: 2, clientOrderId: `pb${a.id}-0`, mode: 'paper', exchange: 'paper' });
    expect(i!.average).toBeCloseTo(150.15, 8);
    expect(i!.fee).toBeCloseTo(2 * 150.15 * 0.001, 8);
    const b = await h.balances();
    expect(b.SOL!.free).toBeCloseTo(2, 10);
    expect(h.position('s-buy', 'SOL/USDT')).toMatchObject({ qty: 2, avgEntry: 150.15 });
    const types = h.events.filter((e) => 'order' in e && e.order.alertId === a.id).map((e) => e.type);
    expect(types).toEqual(['order.sent', 'order.filled']);
    const sent = h.events.find((e) => e.type === 'order.sent' && e.order.alertId === a.id);
    expect(sent && sent.type === 'order.sent' && sent.signalToOrderMs).toBeGreaterThanOrEqual(0);
  });

  it('close sells exactly the strategy\'s own position, not the account\'s coins, and realizes P&L', async () => {
    await h.run(alertBody({ strategy: 's-close-a', symbol: 'ETHUSDT', quantity: '1', price: '3000' }));
    await h.run(alertBody({ strategy: 's-close-b', symbol: 'ETHUSDT', quantity: '0.5', price: '3000' }));
    const closed = await h.run(alertBody({ strategy: 's-close-a', symbol: 'ETHUSDT', action: 'close', price: '3300' }));
    expect(closed.status, closed.reason ?? '').toBe('executed');
    const [i] = h.intents(closed.id);
    expect(i).toMatchObject({ side: 'sell', amount: 1, purpose: 'exit', status: 'filled' });
    const a = h.position('s-close-a', 'ETH/USDT');
    expect(a.qty).toBe(0);
    // Bought at 3003 (slippage), sold at 3296.7: 293.7 realized before fees.
    expect(a.realizedPnl).toBeCloseTo(3300 * 0.999 - 3000 * 1.001, 6);
    expect(h.position('s-close-b', 'ETH/USDT').qty).toBe(0.5);
  });

  it('skips close / close_long / close_short / a quantity-less sell when there is nothing to close', async () => {
    for (const action of ['close', 'close_long', 'close_short', 'sell']) {
      const a = await h.run(alertBody({ strategy: 's-flat', symbol: 'ETHUSDT', action, price: '3000' }));
      expect(a.status, action).toBe('skipped');
      expect(a.reason).toMatch(/no (long |short )?position|holds no ETH/);
      expect(h.intents(a.id)).toHaveLength(0);
    }
  });

  it('trades to a target position: buys the difference, then sells down to it', async () => {
    const up = await h.run(alertBody({ strategy: 's-target', symbol: 'ETHUSDT', action: undefined, position: '0.3', price: '3000' }));
    expect(up.status, up.reason ?? '').toBe('executed');
    expect(h.position('s-target', 'ETH/USDT').qty).toBeCloseTo(0.3, 10);
    const down = await h.run(alertBody({ strategy: 's-target', symbol: 'ETHUSDT', action: undefined, position: '0.1', price: '3000' }));
    expect(h.intents(down.id)[0]).toMatchObject({ side: 'sell', amount: 0.2, purpose: 'exit' });
    expect(h.position('s-target', 'ETH/USDT').qty).toBeCloseTo(0.1, 10);
    const same = await h.run(alertBody({ strategy: 's-target', symbol: 'ETHUSDT', action: undefined, position: '0.1', price: '3000' }));
    expect(same.status).toBe('skipped');
    const short = await h.run(alertBody({ strategy: 's-target', symbol: 'ETHUSDT', action: undefined, position: '-0.1', price: '3000' }));
    // Spot cannot be short: TradingView's short is followed down to flat, and the reason says why.
    expect(short.status, short.reason ?? '').toBe('executed');
    expect(short.reason).toMatch(/sold down to flat: ETH\/USDT is spot, which cannot be short/);
    expect(h.intents(short.id)[0]).toMatchObject({ side: 'sell', amount: 0.1, purpose: 'exit' });
    expect(h.position('s-target', 'ETH/USDT').qty).toBe(0);
    const below = await h.run(alertBody({ strategy: 's-target', symbol: 'ETHUSDT', action: undefined, position: '-0.2', price: '3000' }));
    expect(below.status).toBe('skipped');
    expect(below.reason).toMatch(/spot, which cannot be short.*To go short, trade a perpetual/);
  });

  it('sizes by quote amount, percent of the free balance and risk with the stop distance', async () => {
    const quote = await h.run(alertBody({ strategy: 's-size', symbol: 'XRPUSDT', quantity: '100usdt', price: '0.5' }));
    expect(h.intents(quote.id)[0]!.amount).toBeCloseTo(200, 8);

    const usdt = (await h.balances()).USDT!.free;
    const pct = await h.run(alertBody({ strategy: 's-size', symbol: 'XRPUSDT', quantity: '10%', price: '0.5' }));
    // 10% of the free USDT, less the 0.5% kept back for fees and slippage, in whole XRP (Binance's XRP/USDT step).
    expect(h.intents(pct.id)[0]!.amount).toBe(Math.floor(((usdt * 0.1) / 0.5) * 0.995));

    const before = await h.balances();
    const equity = before.USDT!.total + (before.XRP?.total ?? 0) * 0.5;
    const risk = await h.run(alertBody({ strategy: 's-size', symbol: 'XRPUSDT', quantity: 'risk=1%', price: '0.5', stop_loss: '0.45' }));
    expect(risk.status, risk.reason ?? '').toBe('executed');
    // 1% of equity lost over a 0.05 stop distance, in whole XRP.
    expect(h.intents(risk.id)[0]!.amount).toBe(Math.floor((equity * 0.01) / 0.05));

    const sellPct = await h.run(alertBody({ strategy: 's-size', symbol: 'XRPUSDT', action: 'sell', quantity: '50%', price: '0.5' }));
    const xrpBefore = (await h.balances()).XRP!.free + h.intents(sellPct.id)[0]!.amount;
    expect(h.intents(sellPct.id)[0]!.amount).toBe(Math.floor(xrpBefore / 2));
  });

  it('buys with the default size (10% of the free quote balance) when the alert has no quantity (seed dialect), then sells it all', async () => {
    const g = await startExec({ overrides: { paper: { balances: { USDT: 1000 }, feeRate: 0.001, slippageBps: 0 } } });
    try {
      const buy = await g.run({ action: 'buy', symbol: 'BTCUSDT', price: 50_000, time: String(Date.now()) });
      expect(buy.status, buy.reason ?? '').toBe('executed');
      const [i] = g.intents(buy.id);
      expect(i!.amount).toBeCloseTo(Math.floor(((1000 * 0.1 * 0.995) / 50_000) * 1e8) / 1e8, 10);
      expect((await g.balances()).USDT!.free).toBeGreaterThan(0);
      const sell = await g.run({ action: 'sell', symbol: 'BTCUSDT', price: 51_000, time: String(Date.now() + 1) });
      expect(sell.status, sell.reason ?? '').toBe('executed');
      expect(g.intents(sell.id)[0]!.amount).toBeCloseTo(i!.amount, 10);
      expect(g.position('default', 'BTC/USDT').qty).toBe(0);
    } finally {
      await g.close();
    }
  });

  it('refuses an order below the minimum value or amount with the numbers, before sending', async () => {
    const tiny = await h.run(alertBody({ strategy: 's-min', symbol: 'BTCUSDT', quantity: '0.00001', price: '65000' }));
    expect(tiny.status).toBe('failed');
    expect(tiny.reason).toBe('0.00001 BTC = 0.65 USDT is below the 5 USDT minimum order value for BTC/USDT.');
    expect(h.intents(tiny.id)).toHaveLength(0);
    const dust = await h.run(alertBody({ strategy: 's-min', symbol: 'BTCUSDT', quantity: '0.000000001', price: '65000' }));
    // Binance's BTC/USDT lot size: 0.00001 BTC.
    expect(dust.reason).toMatch(/0\.000000001 BTC is below the 0\.00001 BTC minimum amount/);
    const funds = await h.run(alertBody({ strategy: 's-min', symbol: 'BTCUSDT', quantity: '100', price: '65000' }));
    expect(funds.status).toBe('failed');
    expect(funds.reason).toMatch(/insufficient|available/);
    expect(h.intents(funds.id)[0]).toMatchObject({ status: 'rejected', errorCode: 'InsufficientFunds', attempts: 1 });
  });

  it('refuses a quote amount in another currency and a limit without a price', async () => {
    const eur = await h.run(alertBody({ strategy: 's-bad', symbol: 'BTCUSDT', quantity: '100 EUR', price: '65000' }));
    expect(eur.reason).toMatch(/in EUR but BTC\/USDT is priced in USDT/);
    const limit = await h.run(alertBody({ strategy: 's-bad', symbol: 'BTCUSDT', quantity: '0.01', order_type: 'limit' }));
    expect(limit.status).toBe('failed');
    expect(limit.reason).toMatch(/limit order needs a price/);
  });

  it('rests a limit order until a later alert price crosses it, then fills it at the limit', async () => {
    const limit = await h.run(alertBody({ strategy: 's-limit', symbol: 'BNBUSDT', quantity: '1', order_type: 'limit', price: '500' }));
    // No price known for BNB yet other than the limit's own: the order rests.
    expect(h.intents(limit.id)[0]).toMatchObject({ status: 'open', type: 'limit', price: 500 });
    expect((await h.balances()).USDT!.used).toBeGreaterThan(0);
    await h.run(alertBody({ strategy: 'other', symbol: 'BNBUSDT', action: 'close', price: '520' }));
    expect(h.intents(limit.id)[0]!.status).toBe('open');
    await h.run(alertBody({ strategy: 'other', symbol: 'BNBUSDT', action: 'close', price: '499' }));
    const filled = h.intents(limit.id)[0]!;
    expect(filled).toMatchObject({ status: 'filled', filled: 1, average: 500 });
    expect(h.position('s-limit', 'BNB/USDT').qty).toBe(1);
  });

  it('cancels the strategy\'s own open orders only', async () => {
    const mine = await h.run(alertBody({ strategy: 's-cancel', symbol: 'BNBUSDT', quantity: '1', order_type: 'limit', price: '100' }));
    const theirs = await h.run(alertBody({ strategy: 's-cancel-2', symbol: 'BNBUSDT', quantity: '1', order_type: 'limit', price: '100' }));
    const cancel = await h.run(alertBody({ strategy: 's-cancel', symbol: 'BNBUSDT', action: 'cancel' }));
    expect(cancel.status, cancel.reason ?? '').toBe('executed');
    expect(cancel.reason).toMatch(/Cancelled 1 open order/);
    expect(h.intents(mine.id)[0]!.status).toBe('cancelled');
    expect(h.intents(theirs.id)[0]!.status).toBe('open');
    const again = await h.run(alertBody({ strategy: 's-cancel', symbol: 'BNBUSDT', action: 'cancel' }));
    expect(again.status).toBe('skipped');
  });

  it('places several limit legs from one alert, each its own intent and clientOrderId', async () => {
    const a = await h.run(
      alertBody({ strategy: 's-legs', symbol: 'SOLUSDT', legs: [{ price: 90, quantity: '1' }, { price: 80, quantity: '2' }, { price: 70, quantity: '50usdt' }] }),
    );
    expect(a.status, a.reason ?? '').toBe('executed');
    const legs = h.intents(a.id);
    expect(legs.map((l) => [l.leg, l.clientOrderId, l.price, l.status])).toEqual([
      [0, `pb${a.id}-0`, 90, 'open'],
      [1, `pb${a.id}-1`, 80, 'open'],
      [2, `pb${a.id}-2`, 70, 'open'],
    ]);
    // 50 USDT at 70, down to Binance's SOL/USDT step of 0.001.
    expect(legs[2]!.amount).toBe(0.714);
    await h.run(alertBody({ strategy: 'other', symbol: 'SOLUSDT', action: 'close', price: '79' }));
    expect(h.intents(a.id).map((l) => l.status)).toEqual(['filled', 'filled', 'open']);
    expect(h.position('s-legs', 'SOL/USDT').qty).toBe(3);
  });

  it('places stop-loss and take-profit after the entry fills and cancels the other when one fires', async () => {
    const entry = await h.run(alertBody({ strategy: 's-prot', symbol: 'ETHUSDT', quantity: '0.5', price: '3000', stop_loss: '2900', take_profit: '5%' }));
    expect(entry.status, entry.reason ?? '').toBe('executed');
    const all = h.intents(entry.id);
    const sl = all.find((i) => i.purpose === 'stop_loss')!;
    const tp = all.find((i) => i.purpose === 'take_profit')!;
    expect(sl).toMatchObject({ side: 'sell', type: 'stop_loss', triggerPrice: 2900, amount: 0.5, status: 'open', leg: 100 });
    expect(tp).toMatchObject({ side: 'sell', type: 'take_profit', status: 'open', leg: 101 });
    expect(tp.triggerPrice).toBeCloseTo(3003 * 1.05, 6);
    // The order list (what the UI loads) shows a stop order at its trigger price, as the live events do.
    const listed = await h.engine.api.listOrders({ alertId: entry.id });
    expect(listed.find((o) => o.purpose === 'stop_loss')?.price).toBe(2900);
    // The price falls through the stop: the stop sells, the position is flat, the target is cancelled.
    await h.run(alertBody({ strategy: 'other', symbol: 'ETHUSDT', action: 'close', price: '2890' }));
    const after = h.intents(entry.id);
    expect(after.find((i) => i.purpose === 'stop_loss')!.status).toBe('filled');
    expect(after.find((i) => i.purpose === 'take_profit')!.status).toBe('cancelled');
    expect(h.position('s-prot', 'ETH/USDT').qty).toBe(0);
  });

  it('a close cancels the strategy\'s protective orders first; a trailing stop follows the price', async () => {
    const entry = await h.run(alertBody({ strategy: 's-trail', symbol: 'SOLUSDT', quantity: '1', price: '100', trailing_stop: '5%' }));
    const trail = h.intents(entry.id).find((i) => i.purpose === 'trailing_stop')!;
    expect(trail).toMatchObject({ status: 'open', type: 'trailing_stop' });
    await h.run(alertBody({ strategy: 'other', symbol: 'SOLUSDT', action: 'close', price: '120' }));
    await h.run(alertBody({ strategy: 'other', symbol: 'SOLUSDT', action: 'close', price: '115' }));
    expect(h.intents(entry.id).find((i) => i.purpose === 'trailing_stop')!.status).toBe('open');
    await h.run(alertBody({ strategy: 'other', symbol: 'SOLUSDT', action: 'close', price: '113.5' }));
    expect(h.intents(entry.id).find((i) => i.purpose === 'trailing_stop')!.status).toBe('filled');
    expect(h.position('s-trail', 'SOL/USDT').qty).toBe(0);

    const e2 = await h.run(alertBody({ strategy: 's-trail-2', symbol: 'SOLUSDT', quantity: '1', price: '100', stop_loss: '90' }));
    const close = await h.run(alertBody({ strategy: 's-trail-2', symbol: 'SOLUSDT', action: 'close', price: '101' }));
    expect(close.status, close.reason ?? '').toBe('executed');
    expect(h.intents(e2.id).find((i) => i.purpose === 'stop_loss')!.status).toBe('cancelled');
  });

  it('refuses a stop on the wrong side of the entry', async () => {
    const a = await h.run(alertBody({ strategy: 's-wrong', symbol: 'ETHUSDT', quantity: '0.1', price: '3000', stop_loss: '3100' }));
    expect(a.status).toBe('failed');
    expect(a.reason).toMatch(/stop_loss 3100 is on the wrong side of the long entry/);
  });

  it('says clearly when paper has no price for a market order', async () => {
    const a = await h.run(alertBody({ strategy: 's-noprice', symbol: 'DOGEUSDT', quantity: '10' }));
    expect(a.status).toBe('failed');
    expect(a.reason).toMatch(/no price for DOGE\/USDT.*"price"/);
  });

  it('keeps paper balances and orders across a restart', async () => {
    const g = await startExec({ keepDir: true, overrides: { paper: { balances: { USDT: 5000 } } } });
    const a = await g.run(alertBody({ strategy: 's-persist', symbol: 'ETHUSDT', quantity: '1', price: '3000' }));
    const limit = await g.run(alertBody({ strategy: 's-persist', symbol: 'ETHUSDT', quantity: '0.1', order_type: 'limit', price: '2000' }));
    const before = await g.balances();
    await g.close();
    const again = await startExec({ dataDir: g.dataDir, overrides: { paper: { balances: { USDT: 5000 } } } });
    try {
      expect(await again.balances()).toEqual(before);
      expect(again.intents(a.id)[0]!.status).toBe('filled');
      await again.run(alertBody({ strategy: 'other', symbol: 'ETHUSDT', action: 'close', price: '1999' }));
      expect(again.intents(limit.id)[0]!.status).toBe('filled');
    } finally {
      await again.close();
    }
  });
});
