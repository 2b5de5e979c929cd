/**
 * The backtest_imports table (migration 8) and the reads the backtest comparison makes: a
 * strategy's live orders of a period (its fills added up per order) and its first alert.
 */
import type { BacktestTradeDto, LiveOrderDto } from '../../../shared/dto/backtest.js';
import type { Mode } from '../../../shared/dto/mode.js';
import type { Db } from './database.js';
import { storeKind } from './sql-port.js';
import { prepared } from './statement-cache.js';

export interface StoredBacktest {
  strategy: string;
  importedAt: number;
  fileName: string | null;
  layout: string;
  trades: BacktestTradeDto[];
}

/** Replaces the strategy's imported backtest. */
export function saveBacktest(db: Db, b: StoredBacktest): void {
  prepared(
    db,
    `INSERT INTO backtest_imports (strategy, imported_at, file_name, layout, trades) VALUES (?, ?, ?, ?, ?)
     ON CONFLICT (strategy) DO UPDATE SET imported_at = excluded.imported_at, file_name = excluded.file_name,
       layout = excluded.layout, trades = excluded.trades`,
  ).run(b.strategy, b.importedAt, b.fileName, b.layout, JSON.stringify(b.trades));
}

export function loadBacktest(db: Db, strategy: string): StoredBacktest | null {
  const row = prepared(db, `SELECT strategy, imported_at, file_name, layout, trades FROM backtest_imports WHERE strategy = ?`).get(strategy) as
    | { strategy: string; imported_at: number; file_name: string | null; layout: string; trades: string }
    | undefined;
  if (!row) return null;
  return { strategy: row.strategy, importedAt: row.imported_at, fileName: row.file_name, layout: row.layout, trades: JSON.parse(row.trades) as BacktestTradeDto[] };
}

/**
 * The start of the strategy's live record: its first alert (any outcome), at its fire time when
 * the message said it (`{{timenow}}`) and that is earlier than its receipt.
 */
export function firstAlertAt(db: Db, strategy: string): number | null {
  const row = prepared(db, `SELECT received_at, json_extract(signal, '$.time') AS fired FROM alerts WHERE strategy = ? ORDER BY seq LIMIT 1`).get(strategy) as
    | { received_at: number; fired: unknown }
    | undefined;
  if (!row) return null;
  // PostgreSQL reads the JSON path as text (see pg-sql.ts): a numeric text is the same number.
  if (typeof row.fired === 'string' && row.fired !== '' && Number.isFinite(Number(row.fired)) && storeKind(db) === 'postgres') row.fired = Number(row.fired);
  return typeof row.fired === 'number' && row.fired < row.received_at ? row.fired : row.received_at;
}

/**
 * The strategy's orders with fills since `from` in one mode, oldest first: amount, average price
 * and fees of each. An order's time is its alert's fire time when known (what a backtest's bar
 * time compares with, before any delay), else its first fill.
 */
export function liveOrders(db: Db, strategy: string, mode: Mode, from: number, to: number): LiveOrderDto[] {
  return prepared(
    db,
    `SELECT f.intent_id AS clientOrderId, i.alert_id AS alertId, f.symbol AS symbol, f.side AS side,
            coalesce(max(l.fired_at), min(f.ts)) AS time, min(f.ts) AS filledAt,
            sum(f.amount) AS amount, sum(f.amount * f.price) / sum(f.amount) AS price, sum(coalesce(f.fee_quote, 0)) AS fee
     FROM fills f JOIN order_intents i ON i.client_order_id = f.intent_id LEFT JOIN alert_latency l ON l.alert_id = i.alert_id
     WHERE f.strategy = ? AND f.ts >= ? AND f.ts < ? AND f.mode = ?
     GROUP BY f.intent_id, i.alert_id, f.symbol, f.side ORDER BY time, f.intent_id`,
  ).all(strategy, from, to, mode) as LiveOrderDto[];
}
