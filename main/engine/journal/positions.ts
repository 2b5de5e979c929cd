import type { Mode } from '../../../shared/dto/mode.js';
import { applyFill, FLAT, type LedgerFill, type LedgerPosition } from '../ledger/ledger.js';
import type { Db } from './database.js';
import type { SqlStatement } from './sql-port.js';

type Statement = SqlStatement;

export interface PositionKey {
  account: string;
  mode: Mode;
  strategy: string;
  symbol: string;
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
  private readonly insertFill;
  private readonly upsert;

  constructor(private readonly db: Db) {
    this.getStmt = db.prepare(`SELECT qty, avg_entry, realized_pnl, fees FROM positions WHERE account = ? AND mode = ? AND strategy = ? AND symbol = ?`);
    this.insertFill = db.prepare(
      `INSERT OR IGNORE INTO fills (intent_id, trade_id, account, mode, strategy, symbol, side, amount, price, fee, fee_currency, ts)
       VALUES (@intent_id, @trade_id, @account, @mode, @strategy, @symbol, @side, @amount, @price, @fee, @fee_currency, @ts)`,
    );
    this.upsert = db.prepare(
      `INSERT INTO positions (account, mode, strategy, symbol, qty, avg_entry, realized_pnl, fees, updated_at)
       VALUES (@account, @mode, @strategy, @symbol, @qty, @avg_entry, @realized_pnl, @fees, @now)
       ON CONFLICT (account, mode, strategy, symbol) DO UPDATE SET qty = @qty, avg_entry = @avg_entry,
         realized_pnl = @realized_pnl, fees = @fees, updated_at = @now`,
    );
  }

  get(k: PositionKey): LedgerPosition {
    const r = this.getStmt.get(k.account, k.mode, k.strategy, k.symbol) as
      | { qty: number; avg_entry: number; realized_pnl: number; fees: number }
      | undefined;
    return r ? { qty: r.qty, avgEntry: r.avg_entry, realizedPnl: r.realized_pnl, fees: r.fees } : { ...FLAT };
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
      side: fill.side,
      amount: fill.amount,
      price: fill.price,
      fee: fill.fee,
      fee_currency: fill.feeCurrency,
      ts: fill.ts,
    });
    if (inserted.changes === 0) return null;
    const before = this.get(k);
    const next = applyFill(before, fill, base, quote, allowShort);
    this.upsert.run({ ...k, qty: next.qty, avg_entry: next.avgEntry, realized_pnl: next.realizedPnl, fees: next.fees, now: fill.ts });
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
