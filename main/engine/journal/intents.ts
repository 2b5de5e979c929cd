import type { Mode } from '../../../shared/dto/mode.js';
import type { OrderDto } from '../../../shared/dto/orders.js';
import type { Db } from './database.js';
import type { OrderOptions } from '../core/ports.js';
import type { SqlStatement } from './sql-port.js';

type Statement = SqlStatement;

/**
 * Lifecycle of an order intent (one row per order Pinebridge means to place):
 * - `pending`: written, never handed to the venue: safe to send.
 * - `sending`: handed to the venue; the answer may never have come back.
 * - `unknown`: the send failed in a way that leaves the order's existence unknown.
 * - `open` / `filled` / `cancelled` / `expired`: what the exchange reports.
 * - `rejected`: the exchange said no. `failed`: given up before the exchange saw it.
 */
/** Whose intent write the lease fence checks: an account, or the account of an intent or of an alert. */
export type FenceTarget = { account: string } | { clientOrderId: string } | { alertId: string };

export type IntentStatus = 'pending' | 'sending' | 'unknown' | 'open' | 'filled' | 'cancelled' | 'expired' | 'rejected' | 'failed';
export const IN_FLIGHT: readonly IntentStatus[] = ['pending', 'sending', 'unknown'];
export const FINAL: readonly IntentStatus[] = ['filled', 'cancelled', 'expired', 'rejected', 'failed'];

export type IntentPurpose = 'entry' | 'exit' | 'stop_loss' | 'take_profit' | 'trailing_stop';

/** What the intent's order needs beyond side, size and price: the venue's order options (core/ports.ts) and the engine's own. */
export interface IntentParams extends OrderOptions {
  /** An entry not filled by then (epoch ms; the alert's `expire_after`) is cancelled (execution/expiry.ts). */
  expiresAt?: number;
  /** A take-profit that is the other order of this stop-loss's OCO list: never sent itself, only looked up. */
  ocoOf?: string;
  /**
   * Sent only once this other order is no longer open, by the step that cancels it: it holds the
   * coins this one needs (a spot stop-loss re-placed at breakeven, execution/oco-ladder.ts).
   */
  after?: string;
  /** To place as separate orders once the entry fills (a percent level is measured from the fill price). */
  protect?: {
    stopLoss?: { price?: number; percent?: number };
    takeProfit?: { price?: number; percent?: number };
    trailingPercent?: number;
    /** A take-profit ladder: each level its own order of `sizePercent` of the fill (execution/ladder.ts). */
    ladder?: { level: { price?: number; percent?: number }; sizePercent: number }[];
    /** The stop-loss and the take-profit go as one OCO order list. */
    oco?: boolean;
    /** After this many ladder levels filled, the stop moves to the entry, fees included. */
    breakevenAfter?: number;
    /** The trailing stop starts (replacing the stop) after this many ladder levels filled. */
    trailingAfter?: number;
  };
}

/** An order intent: the order as listed (OrderDto) with the engine's narrower types and what it sends. */
export interface Intent extends Omit<OrderDto, 'side' | 'type' | 'purpose' | 'status'> {
  side: 'buy' | 'sell';
  type: 'market' | 'limit' | 'stop_loss' | 'take_profit' | 'trailing_stop' | 'stop_limit';
  triggerPrice: number | null;
  params: IntentParams;
  purpose: IntentPurpose;
  status: IntentStatus;
  fee: number;
  feeCurrency: string | null;
}

export type NewIntent = Omit<
  Intent,
  'status' | 'exchangeOrderId' | 'filled' | 'average' | 'fee' | 'feeCurrency' | 'errorCode' | 'errorMessage' | 'attempts' | 'sentAt' | 'updatedAt'
>;

/** A row of order_intents as SQLite returns it. */
export interface IntentRow {
  client_order_id: string;
  alert_id: string;
  leg: number;
  account: string;
  mode: Mode;
  exchange: string;
  strategy: string;
  symbol: string;
  side: 'buy' | 'sell';
  type: Intent['type'];
  amount: number;
  price: number | null;
  trigger_price: number | null;
  params: string | null;
  purpose: IntentPurpose;
  status: IntentStatus;
  exchange_order_id: string | null;
  filled: number;
  average: number | null;
  fee: number;
  fee_currency: string | null;
  error_code: string | null;
  error_message: string | null;
  attempts: number;
  created_at: number;
  sent_at: number | null;
  updated_at: number;
}

/** The order_intents table: written before an order is sent, updated with every answer. */
export class IntentStore {
  private insertStmt: Statement | null = null;
  private readonly getStmt;

  // Statements that need migration 2 are prepared on first use, so a journal opened with an older
  // schema (migration tests) still constructs.
  constructor(private readonly db: Db) {
    this.getStmt = db.prepare(`SELECT * FROM order_intents WHERE client_order_id = ?`);
  }

  /**
   * Checks, inside each write's transaction, that this node may still write intents (several
   * nodes on one PostgreSQL journal: the executor lease's epoch, cluster/executor-lease.ts).
   * Throws, and nothing is written, once another node has taken over. None on a single node.
   * The lease is per account: the fence is told whose write it is.
   */
  fence: ((of: FenceTarget) => void) | null = null;

  private fenced(of: FenceTarget, write: () => void): void {
    const fence = this.fence;
    if (!fence) return write();
    this.db.transaction(() => {
      fence(of);
      write();
    })();
  }

  private insertStatement(): Statement {
    this.insertStmt ??= this.db.prepare(
      `INSERT OR IGNORE INTO order_intents (client_order_id, alert_id, leg, account, mode, exchange, strategy, symbol, side, type,
         amount, price, trigger_price, params, purpose, status, attempts, created_at, sent_at, updated_at)
       VALUES (@client_order_id, @alert_id, @leg, @account, @mode, @exchange, @strategy, @symbol, @side, @type,
         @amount, @price, @trigger_price, @params, @purpose, @status, @attempts, @created_at, @sent_at, @created_at)`,
    );
    return this.insertStmt;
  }

  /**
   * Writes intents that do not exist yet (same alert + leg: kept as first written). With
   * `sendingAt`, the first is written as already handed to the venue (one commit, not two, before
   * the send; after a crash it is looked up like any other `sending` intent).
   */
  insert(intents: NewIntent[], sendingAt?: number): void {
    if (intents.length === 0) return;
    this.fenced({ account: intents[0]!.account }, () => {
      const stmt = this.insertStatement();
      for (const [n, i] of intents.entries()) {
        const sending = n === 0 && sendingAt !== undefined;
        stmt.run({
          status: sending ? 'sending' : 'pending',
          attempts: sending ? 1 : 0,
          sent_at: sending ? sendingAt : null,
          client_order_id: i.clientOrderId,
          alert_id: i.alertId,
          leg: i.leg,
          account: i.account,
          mode: i.mode,
          exchange: i.exchange,
          strategy: i.strategy,
          symbol: i.symbol,
          side: i.side,
          type: i.type,
          amount: i.amount,
          price: i.price,
          trigger_price: i.triggerPrice,
          params: JSON.stringify(i.params),
          purpose: i.purpose,
          created_at: i.createdAt,
        });
      }
    });
  }

  get(clientOrderId: string): Intent | null {
    const row = this.getStmt.get(clientOrderId) as IntentRow | undefined;
    return row ? toIntent(row) : null;
  }

  forAlert(alertId: string): Intent[] {
    return this.all(`SELECT * FROM order_intents WHERE alert_id = ? ORDER BY leg`, alertId);
  }

  /** Intents whose outcome is not known yet, oldest first. */
  inFlight(mode: Mode, exchange: string): Intent[] {
    return this.all(
      `SELECT * FROM order_intents WHERE status IN ('pending', 'sending', 'unknown') AND mode = ? AND exchange = ? ORDER BY created_at, leg`,
      mode,
      exchange,
    );
  }

  /** Orders resting on the exchange (limit and protective orders). */
  open(mode: Mode, exchange: string): Intent[] {
    return this.all(`SELECT * FROM order_intents WHERE status = 'open' AND mode = ? AND exchange = ? ORDER BY created_at, leg`, mode, exchange);
  }

  /** One strategy's open orders on one market. */
  openFor(account: string, mode: Mode, strategy: string, symbol: string): Intent[] {
    return this.all(
      `SELECT * FROM order_intents WHERE status = 'open' AND account = ? AND mode = ? AND strategy = ? AND symbol = ?
       ORDER BY created_at, leg`,
      account,
      mode,
      strategy,
      symbol,
    );
  }

  /** Marks an intent as handed to the venue: `sent_at` keeps the first time (signal-to-order). */
  markSending(clientOrderId: string, now: number): void {
    this.fenced({ clientOrderId }, () => {
      this.stmt(
          `UPDATE order_intents SET status = 'sending', attempts = attempts + 1, sent_at = coalesce(sent_at, @now), updated_at = @now
           WHERE client_order_id = @id`,
        )
        .run({ id: clientOrderId, now });
    });
  }

  setStatus(clientOrderId: string, status: IntentStatus, error: { code: string; message: string } | null, now: number): void {
    this.fenced({ clientOrderId }, () => {
      this.stmt(
          `UPDATE order_intents SET status = @status, error_code = @code, error_message = @message, updated_at = @now WHERE client_order_id = @id`,
        )
        .run({ id: clientOrderId, status, code: error?.code ?? null, message: error?.message ?? null, now });
    });
  }

  /** Records what the exchange says about the order. */
  applyOrder(
    clientOrderId: string,
    o: { status: IntentStatus; exchangeOrderId: string; filled: number; average: number | null; fee: number; feeCurrency: string | null },
    now: number,
  ): void {
    this.fenced({ clientOrderId }, () => {
      this.stmt(
          `UPDATE order_intents SET status = @status, exchange_order_id = @oid, filled = @filled, average = @average, fee = @fee,
             fee_currency = coalesce(@fee_currency, fee_currency), error_code = NULL, error_message = NULL, updated_at = @now
           WHERE client_order_id = @id`,
        )
        .run({
          id: clientOrderId,
          status: o.status,
          oid: o.exchangeOrderId,
          filled: o.filled,
          average: o.average,
          fee: o.fee,
          fee_currency: o.feeCurrency,
          now,
        });
    });
  }

  private all(sql: string, ...params: unknown[]): Intent[] {
    return (this.stmt(sql).all(...params) as IntentRow[]).map(toIntent);
  }

  private readonly stmts = new Map<string, Statement>();

  /** Prepared once per SQL text: preparing costs more than running these small queries. */
  private stmt(sql: string): Statement {
    let st = this.stmts.get(sql);
    if (!st) {
      st = this.db.prepare(sql);
      this.stmts.set(sql, st);
    }
    return st;
  }
}

export function toIntent(r: IntentRow): Intent {
  return {
    clientOrderId: r.client_order_id,
    alertId: r.alert_id,
    leg: r.leg,
    account: r.account,
    mode: r.mode,
    exchange: r.exchange,
    strategy: r.strategy,
    symbol: r.symbol,
    side: r.side,
    type: r.type,
    amount: r.amount,
    price: r.price,
    triggerPrice: r.trigger_price,
    params: r.params ? (JSON.parse(r.params) as IntentParams) : {},
    purpose: r.purpose,
    status: r.status,
    exchangeOrderId: r.exchange_order_id,
    filled: r.filled,
    average: r.average,
    fee: r.fee,
    feeCurrency: r.fee_currency,
    errorCode: r.error_code,
    errorMessage: r.error_message,
    attempts: r.attempts,
    createdAt: r.created_at,
    sentAt: r.sent_at,
    updatedAt: r.updated_at,
  };
}
