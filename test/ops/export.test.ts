import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { Journal } from '../../main/engine/journal/journal.js';
import { BIN, spawnServe } from '../support/serve-process.js';
import { tempDir } from '../support/temp-dir.js';
import { journalOf } from './support.js';

const run = promisify(execFile);
const cli = (args: string[]) => run(process.execPath, [BIN, ...args], { env: { ...process.env, PINEBRIDGE_NO_KEYCHAIN: '1' } });
const D = (day: number, hour = 12) => Date.UTC(2026, 2, day, hour);

interface Fill {
  strategy: string;
  symbol: string;
  side: 'buy' | 'sell';
  amount: number;
  price: number;
  fee: number;
  feeCurrency: string | null;
  ts: number;
  signalPrice: number | null;
}

const FILLS: Fill[] = [
  { strategy: 'trend', symbol: 'BTC/USDT', side: 'buy', amount: 1, price: 100.5, fee: 0.1, feeCurrency: 'USDT', ts: D(1), signalPrice: 100 },
  { strategy: 'trend', symbol: 'BTC/USDT', side: 'buy', amount: 1, price: 109.5, fee: 0.11, feeCurrency: 'USDT', ts: D(2), signalPrice: null },
  { strategy: 'trend', symbol: 'BTC/USDT', side: 'sell', amount: 1.5, price: 120, fee: 0.18, feeCurrency: 'USDT', ts: D(3), signalPrice: 121 },
  { strategy: 'fade', symbol: 'ETH/USDT', side: 'sell', amount: 2, price: 50, fee: 0.1, feeCurrency: 'USDT', ts: D(2), signalPrice: 50 },
  { strategy: 'fade', symbol: 'ETH/USDT', side: 'buy', amount: 2, price: 45, fee: 0.0002, feeCurrency: 'BNB', ts: D(4), signalPrice: 44.9 },
  // A fee taken in the base asset (Binance spot buys) shrinks the position: the trickiest case.
  { strategy: 'dca', symbol: 'BTC/USDT', side: 'buy', amount: 0.5, price: 104, fee: 0.0005, feeCurrency: 'BTC', ts: D(2), signalPrice: 104 },
  { strategy: 'dca', symbol: 'BTC/USDT', side: 'sell', amount: 0.4995, price: 118, fee: 0.06, feeCurrency: 'USDT', ts: D(3), signalPrice: 118 },
];

/** Journals alerts, intents and fills through the real stores; the ledger (positions) moves with each fill. */
function seed(path: string): void {
  const journal = Journal.open(path);
  try {
    journal.transaction(() => {
      FILLS.forEach((f, i) => {
        const alertId = `ALERT${i}`;
        const signal = f.signalPrice === null ? { action: f.side } : { action: f.side, price: f.signalPrice };
        journal.db
          .prepare(
            `INSERT INTO alerts (id, received_at, source, strategy, action, symbol, body, signal, status, http_status, updated_at)
             VALUES (?, ?, 'test', ?, ?, ?, '{}', ?, 'executed', 200, ?)`,
          )
          .run(alertId, f.ts - 50, f.strategy, f.side, f.symbol, JSON.stringify(signal), f.ts);
        journal.db
          .prepare(
            `INSERT INTO order_intents (client_order_id, alert_id, leg, account, mode, exchange, strategy, symbol, side, type, amount, status, created_at, sent_at, updated_at)
             VALUES (?, ?, 0, 'main', 'paper', 'paper', ?, ?, ?, 'market', ?, 'filled', ?, ?, ?)`,
          )
          .run(`pb-${i}`, alertId, f.strategy, f.symbol, f.side, f.amount, f.ts - 40, f.ts - 30, f.ts);
        const [base, quote] = f.symbol.split('/') as [string, string];
        const recorded = journal.positions.recordFill(
          { account: 'main', mode: 'paper', strategy: f.strategy, symbol: f.symbol },
          { intentId: `pb-${i}`, tradeId: `t${i}`, side: f.side, amount: f.amount, price: f.price, fee: f.fee, feeCurrency: f.feeCurrency, ts: f.ts },
          base,
          quote,
        );
        expect(recorded).not.toBeNull();
      });
    });
  } finally {
    journal.close();
  }
}

interface Exported {
  strategies: { strategy: string; fills: number; fees: number; realizedPnl: number; netPnl: number; otherFees: Record<string, number>; avgSlippageBps: number | null }[];
  trades: { strategy: string; price: number; signalPrice: number | null; slippage: number | null; slippageBps: number | null; realizedPnl: number; fee: number }[];
}

describe('pinebridge export trades', () => {
  const dirs: { cleanup: () => void }[] = [];
  afterEach(() => dirs.splice(0).forEach((d) => d.cleanup()));

  it("gives the ledger's P&L and fees per strategy, every fill, and the alert's price next to the fill's", async () => {
    const dir = tempDir();
    dirs.push(dir);
    seed(journalOf(dir.path));

    const { stdout } = await cli(['export', 'trades', '--format', 'json', '--data-dir', dir.path]);
    const x = JSON.parse(stdout) as Exported;
    expect(x.trades).toHaveLength(FILLS.length);

    // Equal to the ledger's own figures, strategy by strategy.
    const db = new Database(journalOf(dir.path), { readonly: true });
    const ledger = db.prepare(`SELECT strategy, sum(realized_pnl) AS pnl, sum(fees) AS fees FROM positions GROUP BY strategy`).all() as {
      strategy: string;
      pnl: number;
      fees: number;
    }[];
    db.close();
    expect(ledger).toHaveLength(3);
    for (const l of ledger) {
      const s = x.strategies.find((e) => e.strategy === l.strategy)!;
      expect(s.realizedPnl).toBeCloseTo(l.pnl, 9);
      expect(s.fees).toBeCloseTo(l.fees, 9);
      expect(s.netPnl).toBeCloseTo(l.pnl - l.fees, 9);
    }
    // And to the arithmetic by hand: average cost 105 on 2 BTC, 1.5 sold at 120.
    const trend = x.strategies.find((s) => s.strategy === 'trend')!;
    expect(trend.realizedPnl).toBeCloseTo(22.5, 9);
    expect(trend.fees).toBeCloseTo(0.39, 9);
    const fade = x.strategies.find((s) => s.strategy === 'fade')!;
    expect(fade.realizedPnl).toBeCloseTo(10, 9); // short 2 at 50, covered at 45
    expect(fade.otherFees).toEqual({ BNB: 0.0002 });

    // Slippage: positive when worse for the trader, in price and in basis points.
    const [firstBuy, , sell] = x.trades.filter((t) => t.strategy === 'trend');
    expect(firstBuy).toMatchObject({ price: 100.5, signalPrice: 100, slippage: 0.5 });
    expect(firstBuy!.slippageBps).toBeCloseTo(50, 9);
    expect(sell).toMatchObject({ price: 120, signalPrice: 121, slippage: 1 });
    expect(x.trades.filter((t) => t.strategy === 'trend')[1]).toMatchObject({ signalPrice: null, slippage: null });
    const cover = x.trades.find((t) => t.strategy === 'fade' && t.price === 45)!;
    expect(cover.slippage).toBeCloseTo(0.1, 9);
  });

  it('limits to a date range (P&L from the right average cost) and writes CSV to a file', async () => {
    const dir = tempDir();
    dirs.push(dir);
    seed(journalOf(dir.path));
    const out = join(dir.path, 'trades.csv');
    await cli(['export', 'trades', '--from', '2026-03-03', '--to', '2026-03-03', '--format', 'csv', '--out', out, '--data-dir', dir.path]);
    const lines = readFileSync(out, 'utf8').trimEnd().split('\r\n');
    const header = lines[0]!.split(',');
    expect(header.slice(0, 6)).toEqual(['time', 'account', 'mode', 'strategy', 'symbol', 'side']);
    const rows = lines.slice(1).map((l) => Object.fromEntries(l.split(',').map((v, i) => [header[i], v])));
    expect(rows.map((r) => `${r.strategy} ${r.side} ${r.price}`)).toEqual(['trend sell 120', 'dca sell 118']);
    expect(Number(rows[0]!.realized_pnl)).toBeCloseTo(22.5, 9);
    expect(Number(rows[0]!.signal_price)).toBe(121);

    const { stdout } = await cli(['export', 'trades', '--from', '2026-03-03', '--to', '2026-03-05', '--summary', '--data-dir', dir.path]);
    const summary = stdout.trimEnd().split('\r\n');
    expect(summary[0]).toBe('account,mode,strategy,quote,fills,buys,sells,volume,fees,other_fees,realized_pnl,net_pnl,avg_slippage_bps');
    expect(summary.slice(1).map((l) => l.split(',').slice(2, 5).join(' '))).toEqual(['dca USDT 1', 'fade USDT 1', 'trend USDT 1']);
  });

  it('is offered to the UI as the exportTrades command on the control API', async () => {
    const dir = tempDir();
    dirs.push(dir);
    seed(journalOf(dir.path));
    const server = await spawnServe({ dataDir: dir.path, env: { PINEBRIDGE_WEBHOOK_SECRET: 'export-test-secret-0123456789' } });
    try {
      const token = readFileSync(server.tokenFile, 'utf8').trim();
      const call = async (args: unknown) => {
        const res = await fetch(server.controlUrl + 'api/exportTrades', {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(args),
        });
        return (await res.json()) as { ok: boolean; result: { filename: string; contentType: string; content: string; rows: number } };
      };
      const csv = await call({ from: D(3, 0), to: D(4, 0) });
      expect(csv.ok).toBe(true);
      expect(csv.result).toMatchObject({ filename: 'pinebridge-trades-2026-03-03_2026-03-03.csv', contentType: 'text/csv; charset=utf-8', rows: 2 });
      expect(csv.result.content.split('\r\n')[0]).toMatch(/^time,account,mode,strategy,symbol,side,/);
      const json = await call({ format: 'json', strategy: 'trend' });
      const x = JSON.parse(json.result.content) as Exported;
      expect(x.strategies).toHaveLength(1);
      expect(x.strategies[0]!.realizedPnl).toBeCloseTo(22.5, 9);
      expect(json.result.rows).toBe(3);
    } finally {
      await server.stop();
    }
  });

  it('refuses a bad format or date with a usage error', async () => {
    const dir = tempDir();
    dirs.push(dir);
    seed(journalOf(dir.path));
    const bad = await cli(['export', 'trades', '--format', 'xlsx', '--data-dir', dir.path]).catch((e: { code: number; stderr: string }) => e);
    expect(bad).toMatchObject({ code: 2 });
    expect((bad as { stderr: string }).stderr).toContain('--format must be csv or json');
    const date = await cli(['export', 'trades', '--from', 'last tuesday', '--data-dir', dir.path]).catch((e: { code: number; stderr: string }) => e);
    expect(date).toMatchObject({ code: 2 });
  });
});
