/**
 * TradingView's Strategy Tester "List of trades" export (CSV) to trades. Columns are found by
 * name, not position, because TradingView has written two layouts:
 * - classic: `Trade #,Type,Signal,Date/Time,Price USDT,Contracts,Profit USDT,Profit %,Cum. Profit USDT,
 *   Cum. Profit %,Run-up USDT,Run-up %,Drawdown USDT,Drawdown %` (the P&L on the exit row only)
 * - 2025: `Trade #,Type,Date/Time,Signal,Price USDT,Position size (qty),Position size (value),
 *   Net P&L USDT,Net P&L %,Run-up USDT,Run-up %,Drawdown USDT,Drawdown %,Cumulative P&L USDT,Cumulative P&L %`
 *   (both rows carry the trade's figures)
 * Each trade is two rows (`Entry long` / `Exit long`, either order; newest trade first or last);
 * an exit whose signal is `Open` is a trade still open at the export. Times are the chart's time
 * zone, to the minute: the caller says its offset from UTC.
 */
import type { BacktestFillDto, BacktestTradeDto } from '../../../shared/dto/backtest.js';

export interface ParsedBacktest {
  layout: 'classic' | '2025';
  /** From the price column's name (`Price USDT`); null when it names none. */
  currency: string | null;
  /** Oldest first. */
  trades: BacktestTradeDto[];
}

/** A file that is not a list of trades: `line` is the file's line (1 = the header), 0 for the file as a whole. */
export class BacktestCsvError extends Error {
  readonly code = 'bad_csv';
  constructor(
    readonly line: number,
    message: string,
  ) {
    super(line > 0 ? `line ${line}: ${message}` : message);
  }
}

type Column = 'trade' | 'type' | 'signal' | 'time' | 'price' | 'qty' | 'profit';

const COLUMN_NAMES: { column: Column; test: (h: string) => boolean }[] = [
  { column: 'trade', test: (h) => h === 'trade #' || h === 'trade' || h === 'trade number' },
  { column: 'type', test: (h) => h === 'type' },
  { column: 'signal', test: (h) => h === 'signal' },
  { column: 'time', test: (h) => h === 'date/time' || h === 'date and time' || h === 'date' || h === 'time' },
  { column: 'price', test: (h) => /^price\b/.test(h) },
  { column: 'qty', test: (h) => h === 'contracts' || h === 'position size (qty)' || h === 'quantity' || h === 'qty' },
  // "Profit USDT" / "Net P&L USDT", never their "%" twins or the cumulative ones.
  { column: 'profit', test: (h) => /^(profit|net p&l)\b/.test(h) && !h.includes('%') },
];
const REQUIRED: Column[] = ['trade', 'type', 'time', 'price'];
const MAX_TRADES = 100_000;

export function parseTradesCsv(text: string, opts: { utcOffsetMinutes?: number } = {}): ParsedBacktest {
  if (text.startsWith('PK\u0003\u0004')) {
    throw new BacktestCsvError(0, 'This is an Excel workbook (.xlsx), not CSV: open it and save the "List of trades" sheet as CSV (comma-separated), then import that file.');
  }
  const records = readCsv(text.replace(/^\uFEFF/, ''));
  const header = records[0];
  if (!header || header.fields.every((f) => f.trim() === '')) throw new BacktestCsvError(0, 'The file is empty.');
  const names = header.fields.map((h) => h.trim().replace(/\s+/g, ' ').toLowerCase());
  const at = new Map<Column, number>();
  names.forEach((h, i) => {
    const c = COLUMN_NAMES.find((n) => n.test(h))?.column;
    if (c && !at.has(c)) at.set(c, i);
  });
  const missing = REQUIRED.filter((c) => !at.has(c));
  if (missing.length) {
    const label: Record<Column, string> = { trade: 'Trade #', type: 'Type', signal: 'Signal', time: 'Date/Time', price: 'Price', qty: 'Contracts', profit: 'Profit' };
    throw new BacktestCsvError(
      header.line,
      `not a TradingView "List of trades" header: missing ${missing.map((c) => `"${label[c]}"`).join(', ')} (found ${header.fields.map((f) => `"${f.trim()}"`).join(', ')}). Export it from the Strategy Tester's "List of trades" tab.`,
    );
  }
  const priceHeader = header.fields[at.get('price') as number]?.trim() ?? '';
  const currency = /^price\s+(\S+)$/i.exec(priceHeader)?.[1] ?? null;
  const layout = names.some((h) => h.startsWith('net p&l') || h === 'position size (qty)') ? '2025' : 'classic';
  const offsetMs = (opts.utcOffsetMinutes ?? 0) * 60_000;

  const byNumber = new Map<number, { side: 'long' | 'short'; entry?: BacktestFillDto; exit?: BacktestFillDto | null; profit: number | null; line: number }>();
  for (const r of records.slice(1)) {
    if (r.fields.every((f) => f.trim() === '')) continue;
    const cell = (c: Column) => (at.has(c) ? (r.fields[at.get(c) as number] ?? '').trim() : '');
    const n = Number(cell('trade'));
    if (!Number.isInteger(n) || n <= 0) throw new BacktestCsvError(r.line, `"Trade #" must be a whole number, got "${cell('trade')}"`);
    const type = /^(entry|exit)\s+(long|short)$/i.exec(cell('type'));
    if (!type) throw new BacktestCsvError(r.line, `"Type" must be Entry long, Exit long, Entry short or Exit short, got "${cell('type')}"`);
    const kind = type[1]!.toLowerCase() as 'entry' | 'exit';
    const side = type[2]!.toLowerCase() as 'long' | 'short';
    const signal = cell('signal');
    const time = parseTime(cell('time'), offsetMs);
    if (time === null) throw new BacktestCsvError(r.line, `"Date/Time" must be a date like 2026-01-31 14:05, got "${cell('time')}"`);
    const price = parseAmount(cell('price'));
    if (price === null || price <= 0) throw new BacktestCsvError(r.line, `"${priceHeader}" must be a positive number, got "${cell('price')}"`);
    const qty = parseAmount(cell('qty'));
    const profit = parseAmount(cell('profit'));

    let t = byNumber.get(n);
    if (!t) {
      if (byNumber.size >= MAX_TRADES) throw new BacktestCsvError(r.line, `more than ${MAX_TRADES} trades: export a shorter period`);
      t = { side, profit: null, line: r.line };
      byNumber.set(n, t);
    }
    if (t.side !== side) throw new BacktestCsvError(r.line, `trade ${n} is ${t.side} on line ${t.line} but ${side} here`);
    const fill: BacktestFillDto = { time, price, qty, signal };
    if (kind === 'entry') {
      if (t.entry) throw new BacktestCsvError(r.line, `trade ${n} has a second entry row`);
      t.entry = fill;
    } else {
      if (t.exit !== undefined) throw new BacktestCsvError(r.line, `trade ${n} has a second exit row`);
      // TradingView lists a trade still open with an exit row whose signal is "Open" (at the last price).
      t.exit = /^open$/i.test(signal) ? null : fill;
    }
    // The exit row's figure is the trade's (the classic layout leaves the entry row's empty).
    if (profit !== null && (kind === 'exit' || t.profit === null)) t.profit = profit;
  }

  const trades: BacktestTradeDto[] = [];
  for (const [number, t] of byNumber) {
    if (!t.entry) throw new BacktestCsvError(t.line, `trade ${number} has an exit row but no entry row`);
    trades.push({ number, side: t.side, entry: t.entry, exit: t.exit ?? null, profit: t.exit ? t.profit : null });
  }
  if (trades.length === 0) throw new BacktestCsvError(0, 'The file has a header but no trades.');
  trades.sort((a, b) => a.entry.time - b.entry.time || a.number - b.number);
  return { layout, currency, trades };
}

/** `2026-01-31 14:05` (chart time zone, `offsetMs` east of UTC), with seconds, or ISO 8601 with its own offset. */
function parseTime(s: string, offsetMs: number): number | null {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2}))?)?$/.exec(s);
  if (m) {
    const [, y, mo, d, h = '0', mi = '0', se = '0'] = m;
    const t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
    const back = new Date(t);
    if (back.getUTCMonth() !== Number(mo) - 1 || back.getUTCDate() !== Number(d) || Number(h) > 23 || Number(mi) > 59) return null;
    return t - offsetMs;
  }
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})$/.test(s)) {
    const t = Date.parse(s);
    return Number.isFinite(t) ? t : null;
  }
  return null;
}

/** A number as TradingView writes it; empty, "—" or "N/A": none. Accepts a Unicode minus and (accounting) negatives. */
function parseAmount(s: string): number | null {
  const t = s.replace(/\u2212/g, '-').replace(/[\s\u00a0]/g, '');
  if (t === '' || t === '—' || t === '-' || /^n\/?a$/i.test(t)) return null;
  const neg = /^\((.*)\)$/.exec(t);
  const n = Number(neg ? `-${neg[1]}` : t);
  return Number.isFinite(n) ? n : null;
}

interface CsvRecord {
  line: number;
  fields: string[];
}

/** RFC 4180: commas, quoted fields with "" and line breaks inside, CRLF or LF. */
function readCsv(text: string): CsvRecord[] {
  const out: CsvRecord[] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      out.push({ line: start, fields });
      fields = [];
      field = '';
      line++;
      start = line;
    } else field += c;
  }
  if (quoted) throw new BacktestCsvError(start, 'a quoted field is never closed');
  if (field !== '' || fields.length) {
    fields.push(field);
    out.push({ line: start, fields });
  }
  return out;
}
