/**
 * A strategy's TradingView backtest ("List of trades") held against its live or paper fills.
 * Data shapes that cross the engine boundary: plain JSON, no classes, no Dates.
 */

/** One side of a backtest trade as TradingView listed it (time in epoch ms, UTC). */
export interface BacktestFillDto {
  time: number;
  price: number;
  qty: number | null;
  signal: string;
}

export interface BacktestTradeDto {
  /** TradingView's "Trade #". */
  number: number;
  side: 'long' | 'short';
  entry: BacktestFillDto;
  /** null: still open when the list was exported. */
  exit: BacktestFillDto | null;
  /** The trade's P&L as TradingView computed it (the strategy's currency); null when not given. */
  profit: number | null;
}

/** One live order (its fills added up) of the strategy. */
export interface LiveOrderDto {
  clientOrderId: string;
  alertId: string;
  symbol: string;
  side: 'buy' | 'sell';
  /** Its alert's fire time when the message carried it ({{timenow}}), else its first fill: what is matched. */
  time: number;
  filledAt: number;
  amount: number;
  price: number;
  /** In the quote currency. */
  fee: number;
}

/** What a live order cost against the backtest's price: positive is worse than the backtest. */
export interface SlippageDto {
  /** Per unit, in the quote currency. */
  price: number;
  bps: number;
  /** price × the live amount. */
  cost: number;
}

export type TradeMatch = 'matched' | 'missed' | 'entry-only' | 'exit-only' | 'open';

export interface TradeComparisonDto {
  backtest: BacktestTradeDto;
  match: TradeMatch;
  liveEntry: LiveOrderDto | null;
  liveExit: LiveOrderDto | null;
  entrySlippage: SlippageDto | null;
  exitSlippage: SlippageDto | null;
  /** Both sides matched: (exit − entry) of the live orders for the side, less their fees. */
  livePnl: number | null;
  /** livePnl − the backtest's profit. */
  pnlDiff: number | null;
}

export interface BacktestComparisonDto {
  strategy: string;
  importedAt: number;
  fileName: string | null;
  /** Which of TradingView's column layouts the file had. */
  layout: string;
  /** The matching rule's window, seconds. */
  windowSec: number;
  /** The period compared: from the strategy's first live order (less the window) to now. */
  from: number | null;
  to: number;
  /** Backtest trades of the period, oldest first; earlier ones are counted in `beforeLive`. */
  trades: TradeComparisonDto[];
  beforeLive: number;
  /** Live orders of the period no backtest entry or exit matched. */
  extra: LiveOrderDto[];
  totals: {
    trades: number;
    matched: number;
    missed: number;
    /** Only one side matched (entry-only or exit-only). */
    partial: number;
    extra: number;
    slippageCost: number;
    /** Of the fully matched trades. */
    backtestPnl: number;
    livePnl: number;
    pnlDiff: number;
  };
}
