import type { Mode } from '../../../shared/dto/mode.js';
import { applyFill, FLAT, type LedgerFill, type LedgerPosition } from '../ledger/ledger.js';
import type { Db } from './database.js';
import type { SqlStatement } from './sql-port.js';

type Statement = SqlStatement;

/** The ledger row of a position: `net` for a one-way account, `long` / `short` for a side of a hedge-mode one. */
export type LedgerSide = 'net' | 'long' | 'short';

export interface PositionKey {
  account: string;
  mode: Mode;
  strategy: string;
  symbol: string;
  /**
   * Which row. Absent in a read: the strategy's whole position on the market, its sides summed
   * (a strategy holds one side at a time). Absent in a write: `net`.
   */
  side?: LedgerSide;
}

interface PositionRow {
  qty: number;
  avg_entry: number;
  realized_pnl: number;
  fees: number;
}

export interface NewFill extends LedgerFill {
  intentId: string;
  /** Unique within the intent: a fill is recorded once however often it is reported. */
  tradeId: string;
  ts: number;
}

/** A row of the fills table as SQLite returns it. */
export interface FillRow {
  id: number;
  intent_id: string;
  trade_id: string;
  account: string;
  mode: string;
  strategy: string;
  symbol: string;
  side: string;
  amount: number;
  price: number;
  fee: number;
  fee_currency: string | null;
  ts: number;
}

/** The fills and positions tables: every fill once, and each strategy's position from them. */
export class PositionStore {
  private readonly getStmt;
  private insertFillStmt: Statement | null = null;
  private upsertStmt: Statement | null = null;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare(`SELECT qty, avg_entry, realized_pnl, fees FROM positions WHERE account = ? AND mode = ? AND strategy = ? AND symbol = ?`);
  }

  // Prepared on first use (they name migration 9's position_side): an older journal still opens.
  private get insertFill(): Statement {
    return (this.insertFillStmt ??= this.db.prepare(
      `INSERT OR IGNORE INTO fills (intent_id, trade_id, account, mode, strategy, symbol, position_side, side, amount, price, fee, fee_currency, ts)
       VALUES (@intent_id, @trade_id, @account, @mode, @strategy, @symbol, @position_side, @side, @amount, @price, @fee, @fee_currency, @ts)`,
    ));
  }

  private get upsert(): Statement {
    return (this.upsertStmt ??= this.db.prepare(
      `INSERT INTO positions (account, mode, strategy, symbol, position_side, qty, avg_entry, realized_pnl, fees, updated_at)
       VALUES (@account, @mode, @strategy, @symbol, @side, @qty, @avg_entry, @realized_pnl, @fees, @now)
       ON CONFLICT (account, mode, strategy, symbol, position_side) DO UPDATE SET qty = @qty, avg_entry = @avg_entry,
         realized_pnl = @realized_pnl, fees = @fees, updated_at = @now`,
    ));
  }

  /** One row (`k.side`), or without a side the strategy's position on the market: its rows summed. */
  get(k: PositionKey): LedgerPosition {
    const rows = (k.side === undefined ? this.getStmt.all(k.account, k.mode, k.strategy, k.symbol) : this.sideRows(k)) as PositionRow[];
    if (rows.length === 0) return { ...FLAT };
    const open = rows.filter((r) => r.qty !== 0);
    const qty = open.reduce((s, r) => s + r.qty, 0);
    const cost = open.reduce((s, r) => s + Math.abs(r.qty) * r.avg_entry, 0);
    const sum = (f: (r: PositionRow) => number) => clean(rows.reduce((s, r) => s + f(r), 0));
    return { qty: clean(qty), avgEntry: open.length === 1 ? (open[0] as PositionRow).avg_entry : qty === 0 ? 0 : clean(cost / Math.abs(qty)), realizedPnl: sum((r) => r.realized_pnl), fees: sum((r) => r.fees) };
  }

  private sideStmt: Statement | null = null;

  private sideRows(k: PositionKey): unknown[] {
    this.sideStmt ??= this.db.prepare(`SELECT qty, avg_entry, realized_pnl, fees FROM positions WHERE account = ? AND mode = ? AND strategy = ? AND symbol = ? AND position_side = ?`);
    return this.sideStmt.all(k.account, k.mode, k.strategy, k.symbol, k.side);
  }

  /**
   * Records a fill and moves the position, in the caller's transaction. Returns the new position,
   * or null when this fill was already recorded.
   */
  recordFill(k: PositionKey, fill: NewFill, base: string, quote: string, allowShort = true): LedgerPosition | null {
    const inserted = this.insertFill.run({
      intent_id: fill.intentId,
      trade_id: fill.tradeId,
      account: k.account,
      mode: k.mode,
      strategy: k.strategy,
      symbol: k.symbol,
      position_side: k.side ?? 'net',
      side: fill.side,
      amount: fill.amount,
      price: fill.price,
      fee: fill.fee,
      fee_currency: fill.feeCurrency,
      ts: fill.ts,
    });
    if (inserted.changes === 0) return null;
    const row = { ...k, side: k.side ?? 'net' };
    const before = this.get(row);
    const next = applyFill(before, fill, base, quote, allowShort);
    this.upsert.run({ ...row, qty: next.qty, avg_entry: next.avgEntry, realized_pnl: next.realizedPnl, fees: next.fees, now: fill.ts });
    // Prepared on first use: a journal at an older schema version (migration tests) still opens.
    this.fillResult ??= this.db.prepare(`UPDATE fills SET realized_pnl = ?, fee_quote = ? WHERE intent_id = ? AND trade_id = ?`);
    this.fillResult.run(clean(next.realizedPnl - before.realizedPnl), clean(next.fees - before.fees), fill.intentId, fill.tradeId);
    return next;
  }

  private fillResult: Statement | null = null;
}

function clean(n: number): number {
  return Number(n.toPrecision(12));
}
