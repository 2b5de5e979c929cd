/**
 * TradingView's "List of trades" export, in the layouts TradingView has written: the 2025 one
 * (as exported from the Strategy Tester: exit row above the entry row, both with the trade's
 * figures) and the classic one (Signal before Date/Time, "Contracts", the profit on the exit row
 * only); and every way a file can be wrong, each named by its line.
 */
import { describe, expect, it } from 'vitest';
import { BacktestCsvError, parseTradesCsv } from '../../main/engine/positions/backtest-csv.js';

const HEADER_2025 =
  'Trade #,Type,Date/Time,Signal,Price USDT,Position size (qty),Position size (value),Net P&L USDT,Net P&L %,Run-up USDT,Run-up %,Drawdown USDT,Drawdown %,Cumulative P&L USDT,Cumulative P&L %';
const HEADER_CLASSIC = 'Trade #,Type,Signal,Date/Time,Price USDT,Contracts,Profit USDT,Profit %,Cum. Profit USDT,Cum. Profit %,Run-up USDT,Run-up %,Drawdown USDT,Drawdown %';

const FILE_2025 = [
  HEADER_2025,
  '1,Exit long,2026-01-05 13:15,Close entry(s) order Long,60300.5,0.01,600,2.88,0.48,4.1,0.68,-1.2,-0.2,2.88,0.03',
  '1,Entry long,2026-01-05 09:00,Long,60000,0.01,600,2.88,0.48,4.1,0.68,-1.2,-0.2,2.88,0.03',
  '2,Exit short,2026-01-06 10:00,"Stop, trailing",61000,0.02,1220,−20.4,−1.69,3,0.25,−22,−1.8,−17.52,−0.18',
  '2,Entry short,2026-01-06 08:30,Short,60000,0.02,1200,−20.4,−1.69,3,0.25,−22,−1.8,−17.52,−0.18',
  '3,Exit long,2026-01-07 12:00,Open,59000,0.01,590,-10,-1.7,0,0,-10,-1.7,-27.52,-0.28',
  '3,Entry long,2026-01-07 11:00,Long,60000,0.01,600,-10,-1.7,0,0,-10,-1.7,-27.52,-0.28',
].join('\r\n');

const at = (s: string) => Date.parse(`${s}:00Z`);

describe('TradingView "List of trades" CSV', () => {
  it('reads the 2025 layout: both rows per trade, quoted signals, a Unicode minus, a trade still open', () => {
    const p = parseTradesCsv(`\uFEFF${FILE_2025}\r\n`);
    expect(p.layout).toBe('2025');
    expect(p.currency).toBe('USDT');
    expect(p.trades).toEqual([
      {
        number: 1,
        side: 'long',
        entry: { time: at('2026-01-05T09:00'), price: 60000, qty: 0.01, signal: 'Long' },
        exit: { time: at('2026-01-05T13:15'), price: 60300.5, qty: 0.01, signal: 'Close entry(s) order Long' },
        profit: 2.88,
      },
      {
        number: 2,
        side: 'short',
        entry: { time: at('2026-01-06T08:30'), price: 60000, qty: 0.02, signal: 'Short' },
        exit: { time: at('2026-01-06T10:00'), price: 61000, qty: 0.02, signal: 'Stop, trailing' },
        profit: -20.4,
      },
      // "Open": the exit row is the last price at the export, not an exit.
      { number: 3, side: 'long', entry: { time: at('2026-01-07T11:00'), price: 60000, qty: 0.01, signal: 'Long' }, exit: null, profit: null },
    ]);
  });

  it('reads the classic layout (profit on the exit row only), entry rows first, newest trade first', () => {
    const csv = [
      HEADER_CLASSIC,
      '2,Entry Short,Entershort,2021-05-19 19:12,0.42779,5000,,,,,,,,',
      '2,Exit Short,Exitshort,2021-05-19 21:00,0.4212,5000,33.18,1.75,40.1,0.66,46.13,2.26,1.87,0.1',
      '1,Entry Long,Long,2021-05-18 10:00,0.4,5000,,,,,,,,',
      '1,Exit Long,Close,2021-05-18 12:00,0.4014,5000,6.92,0.35,6.92,0.1,8,0.4,-1,-0.05',
    ].join('\n');
    const p = parseTradesCsv(csv);
    expect(p.layout).toBe('classic');
    expect(p.trades.map((t) => [t.number, t.side, t.entry.price, t.exit?.price, t.profit])).toEqual([
      [1, 'long', 0.4, 0.4014, 6.92],
      [2, 'short', 0.42779, 0.4212, 33.18],
    ]);
  });

  it('reads the chart time zone the caller names: 09:00 at UTC+2 is 07:00 UTC', () => {
    const p = parseTradesCsv(FILE_2025, { utcOffsetMinutes: 120 });
    expect(p.trades[0]!.entry.time).toBe(at('2026-01-05T07:00'));
  });

  const lineOf = (csv: string) => {
    try {
      parseTradesCsv(csv);
    } catch (e) {
      expect(e).toBeInstanceOf(BacktestCsvError);
      return { line: (e as BacktestCsvError).line, message: (e as Error).message, code: (e as BacktestCsvError).code };
    }
    throw new Error('parsed without an error');
  };
  const withRow = (row: string, after = 1) => {
    const lines = FILE_2025.split('\r\n');
    lines.splice(after + 1, 0, row);
    return lines.join('\n');
  };

  it('names the missing columns of a header that is not a list of trades, on line 1', () => {
    const e = lineOf('Date,Open,High,Low,Close\n2026-01-01,1,2,0.5,1.5');
    expect(e).toMatchObject({ line: 1, code: 'bad_csv' });
    expect(e.message).toMatch(/^line 1: not a TradingView "List of trades" header: missing "Trade #", "Type", "Price"/);
    expect(e.message).toContain('found "Date", "Open"');
  });

  it('names the line of a bad row', () => {
    expect(lineOf(withRow('4,Buy,2026-01-08 10:00,Long,60000,0.01,,,,,,,,,')).message).toBe(
      'line 3: "Type" must be Entry long, Exit long, Entry short or Exit short, got "Buy"',
    );
    expect(lineOf(withRow('4,Entry long,08/01/2026 10:00,Long,60000,0.01,,,,,,,,,', 3)).message).toBe(
      'line 5: "Date/Time" must be a date like 2026-01-31 14:05, got "08/01/2026 10:00"',
    );
    expect(lineOf(withRow('4,Entry long,2026-02-30 10:00,Long,60000,0.01,,,,,,,,,')).line).toBe(3);
    expect(lineOf(withRow('4,Entry long,2026-01-08 10:00,Long,abc,0.01,,,,,,,,,')).message).toBe('line 3: "Price USDT" must be a positive number, got "abc"');
    expect(lineOf(withRow('x,Entry long,2026-01-08 10:00,Long,1,0.01,,,,,,,,,')).message).toBe('line 3: "Trade #" must be a whole number, got "x"');
    expect(lineOf(withRow('1,Entry long,2026-01-05 09:00,Long,60000,0.01,,,,,,,,,')).message).toBe('line 4: trade 1 has a second entry row');
    expect(lineOf(withRow('1,Exit short,2026-01-05 09:00,Long,60000,0.01,,,,,,,,,')).message).toBe('line 3: trade 1 is long on line 2 but short here');
    expect(lineOf(withRow('9,Exit long,2026-01-05 09:00,Close,60000,0.01,,,,,,,,,', 6)).message).toBe('line 8: trade 9 has an exit row but no entry row');
    expect(lineOf(withRow('4,Entry long,2026-01-08 10:00,"Long,60000,0.01', 6)).message).toBe('line 8: a quoted field is never closed');
  });

  it('says what an empty file, a header alone and an Excel workbook are', () => {
    expect(lineOf('').message).toBe('The file is empty.');
    expect(lineOf(`${HEADER_2025}\n`).message).toBe('The file has a header but no trades.');
    expect(lineOf('PK\u0003\u0004\u0014\u0000binary').message).toMatch(/Excel workbook \(\.xlsx\).*save the "List of trades" sheet as CSV/);
  });
});
