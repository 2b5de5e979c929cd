/**
 * Trade export for accounting and taxes: every fill with its fee, the realized P&L it made (the
 * position ledger's own arithmetic, replayed over the journal's fills in the order they were
 * recorded), and the price the alert asked for next to the price filled (slippage).
 */
import type { Db } from '../journal/database.js';
import type { FillRow } from '../journal/positions.js';
import { applyFill, FLAT, type LedgerPosition } from '../ledger/ledger.js';

export type ExportFormat = 'csv' | 'json';

export interface ExportQuery {
  /** Epoch ms, inclusive; default: the beginning. */
  from?: number;
  /** Epoch ms, exclusive; default: now. */
  to?: number;
  strategy?: string;
  mode?: string;
  account?: string;
}

export interface TradeRow {
  time: string;
  ts: number;
  fillId: number;
  tradeId: string;
  clientOrderId: string;
  alertId: string;
  account: string;
  mode: string;
  strategy: string;
  symbol: string;
  side: string;
  amount: number;
  price: number;
  notional: number;
  fee: number;
  feeCurrency: string | null;
  /** The price in the alert (`{{close}}`), when it had one. */
  signalPrice: number | null;
  /** Fill price minus signal price, signed so that positive is worse for the trader. */
  slippage: number | null;
  slippageBps: number | null;
  /** Fee in the quote currency as the ledger counts it (a base-asset fee at the fill price; 0 for other currencies). */
  feeQuote: number;
  /** P&L this fill realized by reducing a position, before fees. */
  realizedPnl: number;
  /** The strategy's position in this symbol after the fill (negative: short). */
  positionAfter: number;
}

export interface StrategySummary {
  account: string;
  mode: string;
  strategy: string;
  quote: string | null;
  fills: number;
  buys: number;
  sells: number;
  volume: number;
  /** Fees in the quote currency, as the ledger counts them. */
  fees: number;
  /** Fees paid in a third currency (e.g. BNB), by currency: not in `fees` or the P&L. */
  otherFees: Record<string, number>;
  realizedPnl: number;
  /** realizedPnl - fees. */
  netPnl: number;
  /** Mean adverse slippage over fills whose alert had a price. */
  avgSlippageBps: number | null;
}

export interface TradeExport {
  from: number | null;
  to: number;
  generatedAt: number;
  trades: TradeRow[];
  strategies: StrategySummary[];
}

interface ExportFillRow extends FillRow {
  alert_id: string | null;
  signal: string | null;
}

/**
 * Builds the export. Fills are replayed from the first one ever, in the order the ledger recorded
 * them, so a range starts from the right average cost and the totals equal the ledger's.
 */
export function buildTradeExport(db: Db, q: ExportQuery, now: number): TradeExport {
  const to = q.to ?? now + 1;
  const where = ['f.ts < @to'];
  if (q.strategy) where.push('f.strategy = @strategy');
  if (q.mode) where.push('f.mode = @mode');
  if (q.account) where.push('f.account = @account');
  const rows = db
    .prepare(
      `SELECT f.*, i.alert_id, a.signal FROM fills f
       LEFT JOIN order_intents i ON i.client_order_id = f.intent_id
       LEFT JOIN alerts a ON a.id = i.alert_id
       WHERE ${where.join(' AND ')} ORDER BY f.id`,
    )
    .all({ to, strategy: q.strategy, mode: q.mode, account: q.account }) as ExportFillRow[];

  const positions = new Map<string, LedgerPosition>();
  const trades: TradeRow[] = [];
  const summaries = new Map<string, StrategySummary & { slipSum: number; slipN: number }>();
  const signalPrices = new Map<string, number | null>();
  // Per position: the ledger's figures before the range's first fill and after its last one.
  const spans = new Map<string, { skey: string; start: LedgerPosition; end: LedgerPosition }>();

  for (const r of rows) {
    const key = `${r.account}\u0000${r.mode}\u0000${r.strategy}\u0000${r.symbol}`;
    const before = positions.get(key) ?? FLAT;
    const { base, quote } = marketOf(r.symbol);
    const side = r.side === 'sell' ? 'sell' : 'buy';
    const pos = applyFill(before, { side, amount: r.amount, price: r.price, fee: r.fee, feeCurrency: r.fee_currency }, base, quote);
    positions.set(key, pos);
    if (q.from !== undefined && r.ts < q.from) continue;
    const realized = pos.realizedPnl - before.realizedPnl;
    const feeQuote = pos.fees - before.fees;

    let signalPrice: number | null = null;
    if (r.alert_id) {
      if (!signalPrices.has(r.alert_id)) signalPrices.set(r.alert_id, signalPriceOf(r.signal));
      signalPrice = signalPrices.get(r.alert_id) ?? null;
    }
    const adverse = signalPrice === null ? null : r.side === 'buy' ? r.price - signalPrice : signalPrice - r.price;
    const row: TradeRow = {
      time: new Date(r.ts).toISOString(),
      ts: r.ts,
      fillId: r.id,
      tradeId: r.trade_id,
      clientOrderId: r.intent_id,
      alertId: r.alert_id ?? '',
      account: r.account,
      mode: r.mode,
      strategy: r.strategy,
      symbol: r.symbol,
      side: r.side,
      amount: r.amount,
      price: r.price,
      notional: r.amount * r.price,
      fee: r.fee,
      feeCurrency: r.fee_currency,
      feeQuote,
      signalPrice,
      slippage: adverse,
      slippageBps: adverse === null || !signalPrice ? null : (adverse / signalPrice) * 10_000,
      realizedPnl: realized,
      positionAfter: pos.qty,
    };
    trades.push(row);

    const skey = `${r.account}\u0000${r.mode}\u0000${r.strategy}\u0000${quote ?? ''}`;
    let s = summaries.get(skey);
    if (!s) {
      s = { account: r.account, mode: r.mode, strategy: r.strategy, quote: quote || null, fills: 0, buys: 0, sells: 0, volume: 0, fees: 0, otherFees: {}, realizedPnl: 0, netPnl: 0, avgSlippageBps: null, slipSum: 0, slipN: 0 };
      summaries.set(skey, s);
    }
    s.fills++;
    if (r.side === 'buy') s.buys++;
    else s.sells++;
    s.volume += row.notional;
    if (r.fee_currency && r.fee_currency !== base && r.fee_currency !== quote && r.fee !== 0) {
      s.otherFees[r.fee_currency] = (s.otherFees[r.fee_currency] ?? 0) + r.fee;
    }
    const span = spans.get(key);
    if (span) span.end = pos;
    else spans.set(key, { skey, start: before, end: pos });
    if (row.slippageBps !== null) {
      s.slipSum += row.slippageBps;
      s.slipN++;
    }
  }
  for (const span of spans.values()) {
    const s = summaries.get(span.skey)!;
    s.realizedPnl += span.end.realizedPnl - span.start.realizedPnl;
    s.fees += span.end.fees - span.start.fees;
  }
  const strategies = [...summaries.values()].map(({ slipSum, slipN, ...s }) => ({
    ...s,
    netPnl: s.realizedPnl - s.fees,
    avgSlippageBps: slipN ? slipSum / slipN : null,
  }));
  strategies.sort((a, b) => a.account.localeCompare(b.account) || a.mode.localeCompare(b.mode) || a.strategy.localeCompare(b.strategy));
  return { from: q.from ?? null, to, generatedAt: now, trades, strategies };
}

function signalPriceOf(signal: string | null): number | null {
  if (!signal) return null;
  try {
    const p = (JSON.parse(signal) as { price?: unknown }).price;
    return typeof p === 'number' && Number.isFinite(p) && p > 0 ? p : null;
  } catch {
    return null;
  }
}

/** `BTC/USDT` and `BTC/USDT:USDT` -> BTC, USDT (as the ledger was given them); a bare `BTCUSDT` -> unknown (''). */
function marketOf(symbol: string): { base: string; quote: string } {
  const m = /^([^/]+)\/([^:]+)/.exec(symbol);
  return m ? { base: m[1]!, quote: m[2]! } : { base: '', quote: '' };
}

const TRADE_COLUMNS: [string, keyof TradeRow][] = [
  ['time', 'time'],
  ['account', 'account'],
  ['mode', 'mode'],
  ['strategy', 'strategy'],
  ['symbol', 'symbol'],
  ['side', 'side'],
  ['amount', 'amount'],
  ['price', 'price'],
  ['notional', 'notional'],
  ['fee', 'fee'],
  ['fee_currency', 'feeCurrency'],
  ['fee_quote', 'feeQuote'],
  ['signal_price', 'signalPrice'],
  ['slippage', 'slippage'],
  ['slippage_bps', 'slippageBps'],
  ['realized_pnl', 'realizedPnl'],
  ['position_after', 'positionAfter'],
  ['trade_id', 'tradeId'],
  ['client_order_id', 'clientOrderId'],
  ['alert_id', 'alertId'],
];

const SUMMARY_COLUMNS: [string, keyof StrategySummary][] = [
  ['account', 'account'],
  ['mode', 'mode'],
  ['strategy', 'strategy'],
  ['quote', 'quote'],
  ['fills', 'fills'],
  ['buys', 'buys'],
  ['sells', 'sells'],
  ['volume', 'volume'],
  ['fees', 'fees'],
  ['other_fees', 'otherFees'],
  ['realized_pnl', 'realizedPnl'],
  ['net_pnl', 'netPnl'],
  ['avg_slippage_bps', 'avgSlippageBps'],
];

/** CSV (RFC 4180) of the fills, or with `summary` of the per-strategy totals. */
export function toCsv(x: TradeExport, summary = false): string {
  const lines: string[] = [];
  if (summary) {
    lines.push(SUMMARY_COLUMNS.map(([h]) => h).join(','));
    for (const s of x.strategies) lines.push(SUMMARY_COLUMNS.map(([, k]) => csvCell(k === 'otherFees' ? formatFees(s.otherFees) : s[k])).join(','));
  } else {
    lines.push(TRADE_COLUMNS.map(([h]) => h).join(','));
    for (const t of x.trades) lines.push(TRADE_COLUMNS.map(([, k]) => csvCell(t[k])).join(','));
  }
  return lines.join('\r\n') + '\r\n';
}

export function toJson(x: TradeExport): string {
  return JSON.stringify(
    { from: x.from === null ? null : new Date(x.from).toISOString(), to: new Date(x.to).toISOString(), generatedAt: new Date(x.generatedAt).toISOString(), strategies: x.strategies, trades: x.trades },
    null,
    2,
  ) + '\n';
}

function formatFees(f: Record<string, number>): string {
  return Object.entries(f)
    .map(([c, v]) => `${v} ${c}`)
    .join('; ');
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number') return Number.isFinite(v) ? String(v) : '';
  let s = String(v);
  // A strategy name is the alert sender's text: never let a spreadsheet run it as a formula.
  if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
  return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

/** `2026-01-31` (UTC day), an ISO date-time, or epoch ms. A bare date as `to` includes that whole day. */
export function parseTime(value: string, edge: 'from' | 'to'): number {
  const v = value.trim();
  if (/^\d{10,}$/.test(v)) return Number(v);
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) {
    const t = Date.parse(v + 'T00:00:00Z');
    if (Number.isNaN(t)) throw new Error(`${value} is not a date`);
    return edge === 'to' ? t + 24 * 60 * 60 * 1000 : t;
  }
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new Error(`${value} is not a date (use 2026-01-31, 2026-01-31T12:00:00Z or epoch ms)`);
  return t;
}

export function exportFileName(x: TradeExport, format: ExportFormat, summary = false): string {
  const day = (t: number) => new Date(t).toISOString().slice(0, 10);
  const range = `${x.from === null ? 'start' : day(x.from)}_${day(x.to - 1)}`;
  return `pinebridge-${summary ? 'pnl' : 'trades'}-${range}.${format}`;
}

/** The `exportTrades` command: the export as a downloadable file, read in one snapshot. */
export function exportTradesFile(
  db: Db,
  args: ExportQuery & { format?: ExportFormat; summary?: boolean },
  now: number,
): { filename: string; contentType: string; content: string; rows: number } {
  const format = args.format ?? 'csv';
  // Read-only, and long on a big journal: deferred, so the intake thread's writes go on meanwhile.
  const x = db.transaction(() => buildTradeExport(db, args, now)).deferred();
  const summary = format === 'csv' && args.summary === true;
  return {
    filename: exportFileName(x, format, summary),
    contentType: format === 'json' ? 'application/json' : 'text/csv; charset=utf-8',
    content: format === 'json' ? toJson(x) : toCsv(x, summary),
    rows: summary ? x.strategies.length : x.trades.length,
  };
}
