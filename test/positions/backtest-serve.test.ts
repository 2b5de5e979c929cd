/**
 * Live vs backtest through `pinebridge serve`: paper fills made by real HTTP alerts (their
 * `timenow` set to when TradingView would have fired them) against a TradingView "List of
 * trades" written in TradingView's 2025 layout, in a UTC+2 chart, imported through the control
 * API: the matched, missed, open and extra trades, and the slippage and P&L figures.
 */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AlertLatencyDto, BacktestComparisonDto } from '../../shared/api.js';
import { command, eventually, getAlert, postAlert, WEBHOOK_SECRET } from '../execution/serve-client.js';
import { spawnServe, type ServeProcess } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';

const MIN = 60_000;
const SLIP = 5 / 10_000; // paper's default slippage, 5 bps
const STRATEGY = 'bt-check';

let child: ServeProcess;
const dir = tempDir('pinebridge-backtest-');
/** A minute, three hours ago: TradingView's list is to the minute. */
const T0 = Math.floor(Date.now() / MIN) * MIN - 180 * MIN;

/** `2026-01-05 09:00` as a chart set to UTC+2 shows it. */
const chartTime = (t: number) => new Date(t + 120 * MIN).toISOString().slice(0, 16).replace('T', ' ');

const row = (n: number, type: string, t: number, signal: string, price: number, qty: number, pnl: string) =>
  `${n},${type},${chartTime(t)},${signal},${price},${qty},${price * qty},${pnl},0.1,1,0.1,-1,-0.1,${pnl},0.01`;

// TradingView writes each trade's exit row above its entry row; an open trade's "exit" is "Open".
const CSV = [
  'Trade #,Type,Date/Time,Signal,Price USDT,Position size (qty),Position size (value),Net P&L USDT,Net P&L %,Run-up USDT,Run-up %,Drawdown USDT,Drawdown %,Cumulative P&L USDT,Cumulative P&L %',
  // Before the strategy's first alert: not comparable.
  row(1, 'Exit long', T0 - 100 * MIN, 'Close entry(s) order Long', 61000, 0.01, '9.88'),
  row(1, 'Entry long', T0 - 120 * MIN, 'Long', 60000, 0.01, '9.88'),
  row(2, 'Exit long', T0 + 30 * MIN, 'Close entry(s) order Long', 60300, 0.01, '2.88'),
  row(2, 'Entry long', T0, 'Long', 60000, 0.01, '2.88'),
  // No alert came for this one: missed.
  row(3, 'Exit long', T0 + 90 * MIN, 'Close entry(s) order Long', 60500, 0.01, '-5.12'),
  row(3, 'Entry long', T0 + 60 * MIN, 'Long', 61000, 0.01, '-5.12'),
  row(4, 'Exit long', T0 + 150 * MIN, 'Close entry(s) order Long', 59500, 0.01, '4.88'),
  row(4, 'Entry long', T0 + 120 * MIN, 'Long', 59000, 0.01, '4.88'),
  row(5, 'Exit long', T0 + 175 * MIN, 'Open', 59900, 0.01, '0.9'),
  row(5, 'Entry long', T0 + 170 * MIN, 'Long', 59800, 0.01, '0.9'),
].join('\n');

async function trade(action: 'buy' | 'sell', price: number, firedAt: number): Promise<string> {
  const id = await postAlert(child, { strategy: STRATEGY, action, symbol: 'BINANCE:BTCUSDT', quantity: '0.01', price: String(price), timenow: new Date(firedAt).toISOString() });
  const a = await eventually(async () => {
    const x = await getAlert(child, id);
    return x && x.status !== 'accepted' && x.status !== 'executing' ? x : undefined;
  });
  expect(a.status, a.reason ?? '').toBe('executed');
  return id;
}

async function rawCommand(name: string, args: unknown): Promise<{ status: number; body: { ok: boolean; error?: { code: string; message: string } } }> {
  const { readFileSync } = await import('node:fs');
  const res = await fetch(new URL(`api/${name}`, child.controlUrl), {
    method: 'POST',
    headers: { authorization: `Bearer ${readFileSync(child.tokenFile, 'utf8').trim()}`, 'content-type': 'application/json' },
    body: JSON.stringify(args),
  });
  return { status: res.status, body: (await res.json()) as never };
}

beforeAll(async () => {
  writeFileSync(
    join(dir.path, 'settings.json'),
    JSON.stringify({
      paper: { markets: 'snapshot' },
      limits: { maxOrderNotional: null, maxPositionPerSymbol: null, maxTotalExposure: null, maxAlertAgeSec: null },
      strategies: [{ name: STRATEGY, account: 'main', symbol: 'BTCUSDT', quantity: '0.01', orderType: 'market' }],
    }),
  );
  child = await spawnServe({ dataDir: dir.path, env: { PINEBRIDGE_WEBHOOK_SECRET: WEBHOOK_SECRET } });
});
afterAll(async () => {
  await child?.stop();
  dir.cleanup();
});

describe.sequential('live vs backtest through pinebridge serve', () => {
  const ids: Record<string, string> = {};

  it('trades as TradingView would have fired: trade 2, an extra round trip, trade 4, trade 5 still open', async () => {
    ids.t2Entry = await trade('buy', 60010, T0 + 3_000);
    ids.t2Exit = await trade('sell', 60290, T0 + 30 * MIN + 2_000);
    // Ten minutes from any backtest event: extra trades.
    ids.extraBuy = await trade('buy', 60800, T0 + 100 * MIN);
    ids.extraSell = await trade('sell', 60700, T0 + 105 * MIN);
    ids.t4Entry = await trade('buy', 59020, T0 + 120 * MIN + 4_000);
    ids.t4Exit = await trade('sell', 59480, T0 + 150 * MIN + 1_000);
    ids.t5Entry = await trade('buy', 59800, T0 + 170 * MIN + 1_000);
  });

  it('refuses a bad file with the line that is wrong, and keeps nothing', async () => {
    const bad = CSV.split('\n');
    bad[3] = bad[3]!.replace('Exit long', 'Sell');
    const r = await rawCommand('importBacktest', { strategy: STRATEGY, csv: bad.join('\n'), utcOffsetMinutes: 120 });
    expect(r.status).toBe(400);
    expect(r.body.error).toEqual({ code: 'bad_csv', message: 'line 4: "Type" must be Entry long, Exit long, Entry short or Exit short, got "Sell"' });
    expect(await command(child, 'getBacktestComparison', { strategy: STRATEGY })).toBeNull();
  });

  it('imports the list and matches it trade by trade', async () => {
    const c = await command<BacktestComparisonDto>(child, 'importBacktest', { strategy: STRATEGY, csv: CSV, fileName: 'bt-check_BINANCE_BTCUSDT.csv', utcOffsetMinutes: 120 });
    expect(c).toMatchObject({ strategy: STRATEGY, layout: '2025', fileName: 'bt-check_BINANCE_BTCUSDT.csv', windowSec: 300, beforeLive: 1 });
    expect(c.trades.map((t) => [t.backtest.number, t.match])).toEqual([
      [2, 'matched'],
      [3, 'missed'],
      [4, 'matched'],
      [5, 'open'],
    ]);
    const [t2, t3, t4, t5] = c.trades;
    expect(t2!.backtest.entry.time).toBe(T0);
    expect([t2!.liveEntry?.alertId, t2!.liveExit?.alertId, t4!.liveEntry?.alertId, t4!.liveExit?.alertId, t5!.liveEntry?.alertId]).toEqual([
      ids.t2Entry,
      ids.t2Exit,
      ids.t4Entry,
      ids.t4Exit,
      ids.t5Entry,
    ]);
    expect(t3!.liveEntry).toBeNull();
    expect(c.extra.map((o) => [o.alertId, o.side])).toEqual([
      [ids.extraBuy, 'buy'],
      [ids.extraSell, 'sell'],
    ]);

    // Paper fills the alert's price less 5 bps of slippage: a buy at 60010 fills at 60040.005
    // against the backtest's 60000, 40.005 per BTC worse, 0.40005 on 0.01 BTC.
    const expected = [
      [t2!.entrySlippage, 60010 * (1 + SLIP) - 60000, 60000],
      [t2!.exitSlippage, 60300 - 60290 * (1 - SLIP), 60300],
      [t4!.entrySlippage, 59020 * (1 + SLIP) - 59000, 59000],
      [t4!.exitSlippage, 59500 - 59480 * (1 - SLIP), 59500],
      [t5!.entrySlippage, 59800 * (1 + SLIP) - 59800, 59800],
    ] as const;
    for (const [s, perUnit, price] of expected) {
      expect(s!.price).toBeCloseTo(perUnit, 6);
      expect(s!.cost).toBeCloseTo(perUnit * 0.01, 8);
      expect(s!.bps).toBeCloseTo((perUnit / price) * 10_000, 4);
    }
    expect(c.totals).toMatchObject({ trades: 4, matched: 2, missed: 1, partial: 0, extra: 2 });
    expect(c.totals.slippageCost).toBeCloseTo(expected.reduce((s, [, perUnit]) => s + perUnit * 0.01, 0), 8);

    // Live P&L of a matched trade: what the exit brought less what the entry cost, less both fees.
    for (const t of [t2!, t4!]) {
      const e = t.liveEntry!;
      const x = t.liveExit!;
      expect(e.fee).toBeGreaterThan(0);
      expect(t.livePnl).toBeCloseTo(x.price * x.amount - e.price * e.amount - e.fee - x.fee, 8);
      expect(t.pnlDiff).toBeCloseTo(t.livePnl! - t.backtest.profit!, 8);
    }
    expect(c.totals.backtestPnl).toBeCloseTo(2.88 + 4.88, 8);
    expect(c.totals.livePnl).toBeCloseTo(t2!.livePnl! + t4!.livePnl!, 8);
    expect(c.totals.pnlDiff).toBeCloseTo(c.totals.livePnl - c.totals.backtestPnl, 8);
    // Slippage and fees both cost: live made less than the backtest.
    expect(c.totals.pnlDiff).toBeLessThan(0);

    // Kept: read back as imported, and with a window too narrow for trade 4's entry (fired 4 s late).
    expect(await command<BacktestComparisonDto>(child, 'getBacktestComparison', { strategy: STRATEGY })).toEqual({ ...c });
    const narrow = await command<BacktestComparisonDto>(child, 'getBacktestComparison', { strategy: STRATEGY, windowSec: 3 });
    expect(narrow.trades.map((t) => t.match)).toEqual(['matched', 'missed', 'exit-only', 'open']);
    expect(narrow.extra.map((o) => o.alertId)).toEqual([ids.extraBuy, ids.extraSell, ids.t4Entry]);
  });

  it("times each alert from TradingView's fire time to the fill", async () => {
    const l = await command<AlertLatencyDto>(child, 'getAlertLatency', { id: ids.t5Entry! });
    expect(l.firedAt).toBe(T0 + 170 * MIN + 1_000);
    for (const k of ['answeredAt', 'sentAt', 'ackedAt', 'filledAt'] as const) expect(l[k], k).not.toBeNull();
    expect(l.receivedAt).toBeGreaterThan(l.firedAt!);
    expect(l.answeredAt!).toBeGreaterThanOrEqual(l.receivedAt);
    expect(l.sentAt!).toBeGreaterThanOrEqual(l.receivedAt);
    expect(l.ackedAt!).toBeGreaterThanOrEqual(l.sentAt!);
    expect(l.filledAt!).toBeGreaterThanOrEqual(l.ackedAt!);
  });
});
