import type { Db } from './database.js';
import type { SqlStatement } from './sql-port.js';

type Statement = SqlStatement;

export interface PaperOrderRow {
  id: number;
  account: string;
  client_order_id: string;
  symbol: string;
  side: 'buy' | 'sell';
  type: 'market' | 'limit' | 'stop_loss' | 'take_profit' | 'trailing_stop' | 'stop_limit';
  amount: number;
  price: number | null;
  trigger_price: number | null;
  trailing_percent: number | null;
  watermark: number | null;
  reduce_only: number;
  /** `net` (one-way), or hedge mode's `long` / `short`: the position the order moves. */
  position_side: PaperSide;
  status: 'open' | 'closed' | 'canceled' | 'expired';
  filled: number;
  cost: number;
  fee: number;
  fee_currency: string | null;
  locked_asset: string | null;
  locked: number;
  created_at: number;
  updated_at: number;
}

export interface PaperTradeRow {
  id: number;
  order_id: number;
  amount: number;
  price: number;
  fee: number;
  fee_currency: string;
  ts: number;
}

/** One position of a paper market: `net` in one-way mode, `long` / `short` in hedge mode. */
export type PaperSide = 'net' | 'long' | 'short';

/** A paper perpetual position: qty signed, negative for a short (a hedge-mode `short` side is never positive). */
export interface PaperPositionRow {
  account: string;
  symbol: string;
  position_side: PaperSide;
  qty: number;
  entry_price: number;
  /** Isolated margin held, in the settle currency (also in that balance's `used`). */
  margin: number;
  leverage: number;
  realized_pnl: number;
  fees: number;
  liquidation_price: number | null;
  updated_at: number;
}

/**
 * The paper venue's book: balances, orders, trades, perpetual positions and last prices, all in the journal. Prices
 * are kept in memory and written with the next paper transaction: an alert's price costs no commit
 * of its own (losing the last one in a crash loses nothing: the next alert brings a newer one).
 */
export class PaperStore {
  private readonly unsaved = new Map<string, { price: number; ts: number }>();

  private readonly stmts = new Map<string, Statement>();

  constructor(readonly db: Db) {}

  private stmt(sql: string): Statement {
    let st = this.stmts.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.stmts.set(sql, st);
    }
    return st;
  }

  transaction<T>(fn: () => T): T {
    return this.db.transaction(() => {
      const out = fn();
      this.savePrices();
      return out;
    })();
  }

  hasAccount(account: string): boolean {
    return this.stmt(`SELECT 1 FROM paper_balances WHERE account = ? LIMIT 1`).get(account) !== undefined;
  }

  balances(account: string): { asset: string; free: number; used: number }[] {
    return this.stmt(`SELECT asset, free, used FROM paper_balances WHERE account = ? ORDER BY asset`).all(account) as {
      asset: string;
      free: number;
      used: number;
    }[];
  }

  balance(account: string, asset: string): { free: number; used: number } {
    const r = this.stmt(`SELECT free, used FROM paper_balances WHERE account = ? AND asset = ?`).get(account, asset) as
      | { free: number; used: number }
      | undefined;
    return r ?? { free: 0, used: 0 };
  }

  /** Adds to free and used (either may be negative). */
  adjust(account: string, asset: string, dFree: number, dUsed = 0): void {
    this.stmt(
        `INSERT INTO paper_balances (account, asset, free, used) VALUES (@account, @asset, @free, @used)
         ON CONFLICT (account, asset) DO UPDATE SET free = round(paper_balances.free + @free, 12), used = round(paper_balances.used + @used, 12)`,
      )
      .run({ account, asset, free: dFree, used: dUsed });
  }

  orderByClientId(account: string, clientOrderId: string): PaperOrderRow | null {
    return (
      (this.stmt(`SELECT * FROM paper_orders WHERE account = ? AND client_order_id = ?`).get(account, clientOrderId) as
        | PaperOrderRow
        | undefined) ?? null
    );
  }

  order(id: number): PaperOrderRow | null {
    return (this.stmt(`SELECT * FROM paper_orders WHERE id = ?`).get(id) as PaperOrderRow | undefined) ?? null;
  }

  openOrders(account: string | null, symbol?: string): PaperOrderRow[] {
    const where = ["status = 'open'"];
    const params: unknown[] = [];
    if (account !== null) {
      where.push('account = ?');
      params.push(account);
    }
    if (symbol) {
      where.push('symbol = ?');
      params.push(symbol);
    }
    return this.stmt(`SELECT * FROM paper_orders WHERE ${where.join(' AND ')} ORDER BY id`).all(...params) as PaperOrderRow[];
  }

  insertOrder(o: Omit<PaperOrderRow, 'id'>): PaperOrderRow {
    const { id } = this.stmt(
        `INSERT INTO paper_orders (account, client_order_id, symbol, side, type, amount, price, trigger_price, trailing_percent, watermark,
           reduce_only, position_side, status, filled, cost, fee, fee_currency, locked_asset, locked, created_at, updated_at)
         VALUES (@account, @client_order_id, @symbol, @side, @type, @amount, @price, @trigger_price, @trailing_percent, @watermark,
           @reduce_only, @position_side, @status, @filled, @cost, @fee, @fee_currency, @locked_asset, @locked, @created_at, @updated_at) RETURNING id`,
      )
      .get(o) as { id: number };
    return { ...o, id };
  }

  updateOrder(o: PaperOrderRow): void {
    this.stmt(
        `UPDATE paper_orders SET status = @status, filled = @filled, cost = @cost, fee = @fee, fee_currency = @fee_currency,
           watermark = @watermark, locked = @locked, updated_at = @updated_at WHERE id = @id`,
      )
      .run(o);
  }

  insertTrade(t: Omit<PaperTradeRow, 'id'>): void {
    this.stmt(`INSERT INTO paper_trades (order_id, amount, price, fee, fee_currency, ts) VALUES (@order_id, @amount, @price, @fee, @fee_currency, @ts)`)
      .run(t);
  }

  trades(orderId: number): PaperTradeRow[] {
    return this.stmt(`SELECT * FROM paper_trades WHERE order_id = ? ORDER BY id`).all(orderId) as PaperTradeRow[];
  }

  position(account: string, symbol: string, side: PaperSide = 'net'): PaperPositionRow | null {
    return (
      (this.stmt(`SELECT * FROM paper_positions WHERE account = ? AND symbol = ? AND position_side = ?`).get(account, symbol, side) as PaperPositionRow | undefined) ?? null
    );
  }

  /** Open perpetual positions of one account (or of every account). */
  positions(account: string | null): PaperPositionRow[] {
    return (account === null
      ? this.stmt(`SELECT * FROM paper_positions WHERE qty != 0 ORDER BY account, symbol, position_side`).all()
      : this.stmt(`SELECT * FROM paper_positions WHERE account = ? AND qty != 0 ORDER BY symbol, position_side`).all(account)) as PaperPositionRow[];
  }

  /** The liquidation price of an account's paper perpetual position (of one side), null when flat or none. */
  liquidationPrice(account: string, symbol: string, side: PaperSide = 'net'): number | null {
    return this.perpPosition(account, symbol, side)?.liquidationPrice ?? null;
  }

  /** Leverage and liquidation price of an account's open paper perpetual position (of one side); null when flat or none. */
  perpPosition(account: string, symbol: string, side: PaperSide = 'net'): { leverage: number; liquidationPrice: number | null } | null {
    const r = this.stmt(`SELECT leverage, liquidation_price FROM paper_positions WHERE account = ? AND symbol = ? AND position_side = ? AND qty != 0`).get(account, symbol, side) as
      | { leverage: number; liquidation_price: number | null }
      | undefined;
    return r ? { leverage: r.leverage, liquidationPrice: r.liquidation_price } : null;
  }

  savePosition(p: PaperPositionRow): void {
    this.stmt(
      `INSERT INTO paper_positions (account, symbol, position_side, qty, entry_price, margin, leverage, realized_pnl, fees, liquidation_price, updated_at)
       VALUES (@account, @symbol, @position_side, @qty, @entry_price, @margin, @leverage, @realized_pnl, @fees, @liquidation_price, @updated_at)
       ON CONFLICT (account, symbol, position_side) DO UPDATE SET qty = excluded.qty, entry_price = excluded.entry_price, margin = excluded.margin,
         leverage = excluded.leverage, realized_pnl = excluded.realized_pnl, fees = excluded.fees,
         liquidation_price = excluded.liquidation_price, updated_at = excluded.updated_at`,
    ).run(p);
  }

  price(symbol: string): { price: number; ts: number } | null {
    const mem = this.unsaved.get(symbol);
    if (mem) return mem;
    return (this.stmt(`SELECT price, ts FROM paper_prices WHERE symbol = ?`).get(symbol) as { price: number; ts: number } | undefined) ?? null;
  }

  /** In memory until the next transaction. */
  setPrice(symbol: string, price: number, ts: number): void {
    this.unsaved.set(symbol, { price, ts });
  }

  hasOpenOrders(symbol: string): boolean {
    return this.stmt(`SELECT 1 FROM paper_orders WHERE status = 'open' AND symbol = ? LIMIT 1`).get(symbol) !== undefined;
  }

  private savePrices(): void {
    if (this.unsaved.size === 0) return;
    const stmt = this.stmt(
      `INSERT INTO paper_prices (symbol, price, ts) VALUES (?, ?, ?) ON CONFLICT (symbol) DO UPDATE SET price = excluded.price, ts = excluded.ts`,
    );
    for (const [symbol, p] of this.unsaved) stmt.run(symbol, p.price, p.ts);
    this.unsaved.clear();
  }
}
