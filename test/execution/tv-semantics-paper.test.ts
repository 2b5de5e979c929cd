import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OrderDto } from '../../shared/api.js';
import { NO_RISK_LIMITS, writeSettings } from '../support/live-serve.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { command, getAlert, WEBHOOK_SECRET } from './serve-client.js';
import { held, positionRow, REVERSALS, send, wizardAlert } from './tv-support.js';

/**
 * Issue 12 in paper mode through `pinebridge serve`: the seed's classic message trades under the
 * DEFAULT limits (the default size), warnings for fields ignored or not honoured, position parity
 * (warn and repair), partial exits by quantity and percent on spot, cancel, and the wizard's
 * message of a reversing strategy on spot (flat for its shorts) and on a paper perpetual (at
 * TradingView's position after every fill, a reversal one order of the difference).
 */
const SPOT = 'BTC/USDT';

describe('TradingView semantics in paper mode', () => {
  let warn: ServeProcess;
  let repair: ServeProcess;
  const warnDir = tempDir('pinebridge-tv-paper-');
  const repairDir = tempDir('pinebridge-tv-repair-');
  const env = { PINEBRIDGE_WEBHOOK_SECRET: WEBHOOK_SECRET };

  beforeAll(async () => {
    writeSettings(warnDir.path, {
      ...NO_RISK_LIMITS,
      paper: { markets: 'snapshot' },
      strategies: [
        { name: 'wiz', account: 'main', symbol: 'BINANCE:BTCUSDT', quantity: '0.01' },
        ...['rev-perp', 'rev-perp-nops'].map((name) => ({ name, account: 'main', symbol: 'BINANCE:BTCUSDT.P', quantity: '0.01' })),
      ],
    });
    // The default limits (none written), and parity repair.
    writeSettings(repairDir.path, { execution: { parity: 'repair' } });
    [warn, repair] = await Promise.all([spawnServe({ dataDir: warnDir.path, env }), spawnServe({ dataDir: repairDir.path, env })]);
  });
  afterAll(async () => {
    await Promise.all([warn?.stop(), repair?.stop()]);
    warnDir.cleanup();
    repairDir.cleanup();
  });

  it("the seed's classic message trades out of the box under the default limits, and its sell closes it", async () => {
    const time = () => String(Date.now());
    // Exactly the seed's fields (no id: `id: undefined` drops the helper's).
    const buy = await send(repair, { id: undefined, action: 'buy', symbol: 'BTCUSDT', price: 65_000, time: time() });
    expect(buy.alert!.dialect).toBe('seed');
    expect(buy.alert!.status, buy.alert!.reason ?? '').toBe('executed');
    const [order] = await command<OrderDto[]>(repair, 'listOrders', { alertId: buy.alert!.id });
    // The default strategy's size: 10% of the free 10,000 USDT (less the 0.5% buffer), under the 2,000 max order notional.
    expect(order!.amount * 65_000).toBeCloseTo(995, -1);
    const sell = await send(repair, { id: undefined, action: 'sell', symbol: 'BTCUSDT', price: 65_100, time: time() });
    expect(sell.alert!.status, sell.alert!.reason ?? '').toBe('executed');
    expect(await held(repair, 'default', SPOT)).toBe(0);
  });

  it('a skipped alert says what to change', async () => {
    const big = await send(repair, { strategy: 'big', action: 'buy', symbol: 'BTCUSDT', quantity: '0.05', price: 65_000 });
    expect(big.alert!.status).toBe('skipped');
    expect(big.alert!.reason).toMatch(/above the max order notional of 2,000 USDT \(account main\); raise Settings > Limits > max order notional, or send a smaller quantity$/);
    const none = await send(repair, { strategy: 'big', action: 'close', symbol: 'BTCUSDT' });
    expect(none.alert!.reason).toMatch(/nothing to close\. To trade anyway, send buy or sell with a quantity\.$/);
  });

  it('answers and journals a warning for every field ignored or not honoured', async () => {
    const r = await send(warn, { strategy: 'w', action: 'buy', symbol: 'BTCUSDT', quantity: '0.001', price: 65_000, tp1: '70000', leverage: 5, limit_offset: 2 });
    expect(r.status).toBe(200);
    const expected = ['leverage is not used on spot: ignored', "limit_offset is not used on a market order: ignored (it moves a limit order's price)", 'unknown field tp1: ignored'];
    expect([...r.answer.warnings!].sort()).toEqual(expected);
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    const row = await getAlert(warn, r.alert!.id);
    expect([...row!.warnings].sort()).toEqual(expected);
    const clean = await send(warn, { strategy: 'w', action: 'close', symbol: 'BTCUSDT', price: 65_000 });
    expect(clean.answer.warnings).toBeUndefined();
    expect(clean.alert!.warnings).toEqual([]);
    const exit = await send(warn, { strategy: 'w', action: 'close', symbol: 'BTCUSDT', stop_loss: '60000' });
    expect(exit.answer.warnings).toEqual(['stop_loss is not used on a close: ignored']);
  });

  it('partial exits on spot take a quantity or a percent of the strategy\'s position', async () => {
    const s = (b: Record<string, unknown>) => send(warn, { strategy: 'part', symbol: 'BTCUSDT', price: 65_000, ...b });
    expect((await s({ action: 'buy', quantity: '0.02' })).alert!.status).toBe('executed');
    const start = await held(warn, 'part', SPOT);
    const quarter = await s({ action: 'close', quantity: '25%' });
    expect(quarter.alert!.status, quarter.alert!.reason ?? '').toBe('executed');
    expect(await held(warn, 'part', SPOT)).toBeCloseTo(start * 0.75, 6);
    await s({ action: 'exit', contracts: '0.005' });
    expect(await held(warn, 'part', SPOT)).toBeCloseTo(start * 0.75 - 0.005, 6);
    await s({ action: 'close_long' });
    expect(await held(warn, 'part', SPOT)).toBe(0);
  });

  it("cancel cancels the strategy's open orders", async () => {
    const limit = await send(warn, { strategy: 'cx', action: 'buy', symbol: 'BTCUSDT', quantity: '0.001', order_type: 'limit', price: 50_000 });
    expect(limit.alert!.status, limit.alert!.reason ?? '').toBe('executed');
    const c = await send(warn, { strategy: 'cx', action: 'cancel', symbol: 'BTCUSDT' });
    expect((c.alert!.signal as { semantics: { row: string } }).semantics.row).toBe('cancel');
    expect(c.alert!.reason).toMatch(/^Cancelled 1 open order/);
  });

  it('parity warn: a position_size the ledger does not hold is reported with both numbers, and clears when they agree again', async () => {
    const wiz = { name: 'wiz', quantity: '0.01', orderType: 'market' as const, symbol: 'BINANCE:BTCUSDT' };
    const fill = (contracts: number, positionSize: number) =>
      send(warn, wizardAlert(wiz, 'BTCUSDT', 65_000, { action: 'buy', contracts, marketPosition: 'long', prevMarketPosition: 'long', positionSize }));
    await send(warn, wizardAlert(wiz, 'BTCUSDT', 65_000, { action: 'buy', contracts: 0.01, marketPosition: 'long', prevMarketPosition: 'flat', positionSize: 0.01 }));
    expect((await positionRow(warn, 'wiz', SPOT))?.parity).toBeNull();
    // TradingView is at 0.03: an alert was missed. Warn trades the order (to 0.02) and reports.
    const off = await fill(0.01, 0.03);
    expect(off.alert!.status).toBe('executed');
    const row = await positionRow(warn, 'wiz', SPOT);
    expect(row!.qty).toBeCloseTo(0.02, 4);
    expect(row!.parity).toMatchObject({ tradingView: 0.03, expected: 0.03, ok: false, parity: 'warn', alertId: off.alert!.id });
    expect(row!.parity!.ledger).toBeCloseTo(0.02, 4);
    expect(row!.parity!.message).toMatch(/TradingView's position is 0\.03, the strategy's ledger holds 0\.0[12]/);
    // The next fill agrees with the ledger: the badge clears.
    await fill(0.01, 0.03 - 0.00002);
    expect((await positionRow(warn, 'wiz', SPOT))?.parity).toBeNull();
  });

  it('parity repair: an alert with position_size trades to TradingView\'s position whatever its action', async () => {
    const first = await send(repair, { strategy: 'rep', action: 'buy', symbol: 'BTCUSDT', quantity: '0.01', price: 65_000 });
    expect(first.alert!.status).toBe('executed');
    const r = await send(repair, { strategy: 'rep', action: 'buy', contracts: '0.01', market_position: 'long', prev_market_position: 'long', position_size: '0.03', symbol: 'BTCUSDT', price: 65_000 });
    expect((r.alert!.signal as { semantics: { row: string } }).semantics.row).toBe('repair');
    expect(r.alert!.status, r.alert!.reason ?? '').toBe('executed');
    expect(await held(repair, 'rep', SPOT)).toBeCloseTo(0.03, 4);
    expect((await positionRow(repair, 'rep', SPOT))?.parity).toBeNull();
  });

  for (const withSize of [true, false]) {
    it(`paper perpetual: the wizard's message of a reversing strategy ends at TradingView's position after each fill (${withSize ? 'with' : 'without'} position_size)`, async () => {
      const strategy = { name: withSize ? 'rev-perp' : 'rev-perp-nops', quantity: '0.01', orderType: 'market' as const, symbol: 'BINANCE:BTCUSDT.P' };
      for (const f of REVERSALS) {
        const sent = await send(warn, wizardAlert(strategy, 'BTCUSDT.P', 65_000, withSize ? { ...f, positionSize: f.tv } : f));
        expect(sent.alert!.status, sent.alert!.reason ?? '').toBe('executed');
        expect(await held(warn, strategy.name, 'BTC/USDT:USDT')).toBeCloseTo(f.tv, 10);
      }
      // Each reversal was one order of the difference, not reduce-only; the final close was.
      const orders = (await command<OrderDto[]>(warn, 'listOrders', { strategy: strategy.name })).sort((a, b) => a.createdAt - b.createdAt);
      expect(orders.map((o) => [o.side, o.amount])).toEqual([
        ['buy', 0.01],
        ['sell', 0.02],
        ['buy', 0.02],
        ['sell', 0.01],
      ]);
    });
  }
});

