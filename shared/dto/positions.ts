/**
 * Positions, P&L (history, per strategy, per day) and trade exports.
 * Data shapes that cross the engine boundary: plain JSON, no classes, no Dates.
 */
import type { Mode } from './mode.js';
import type { FillDto } from './orders.js';

export interface PositionDto {
  account: string;
  mode: Mode;
  strategy: string;
  symbol: string;
  /**
   * Hedge mode: which of the market's two positions this is (`long`: qty >= 0, `short`: qty <= 0);
   * absent for a one-way account's single position.
   */
  positionSide?: 'long' | 'short';
  qty: number;
  avgEntry: number;
  realizedPnl: number;
  fees: number;
  /** Last known price (latest fill or alert price for the symbol), null if none. */
  markPrice: number | null;
  unrealizedPnl: number | null;
  /**
   * Paper perpetuals: the price at which the account's position on this market would be
   * liquidated (isolated-margin approximation, funding not modelled); null otherwise.
   */
  liquidationPrice: number | null;
  /** Paper perpetuals: the leverage the account's position on this market has; null otherwise. */
  leverage: number | null;
  updatedAt: number;
  /** The last position parity check of this position, when it found a difference still open. */
  parity?: PositionParityDto | null;
}

/** The perpetual fields of a PositionDto from what the venue knows of the account's position (null: none). */
export function perpFields(p: { leverage: number; liquidationPrice: number | null } | null): Pick<PositionDto, 'leverage' | 'liquidationPrice'> {
  return { leverage: p?.leverage ?? null, liquidationPrice: p?.liquidationPrice ?? null };
}

/**
 * Position parity: an alert's `position_size` ({{strategy.position_size}}) against the strategy's
 * ledger once the alert was carried out (a missed alert, a manual trade, a refused order).
 */
export interface PositionParityDto {
  account: string;
  mode: Mode;
  strategy: string;
  symbol: string;
  alertId: string;
  /** TradingView's `position_size`, as the alert said it. */
  tradingView: number;
  /** What the ledger should hold for it (on spot a short is flat). */
  expected: number;
  ledger: number;
  ok: boolean;
  /** `execution.parity` when it was checked. */
  parity: 'warn' | 'repair';
  at: number;
  message: string;
}

export interface PnlPointDto {
  time: number;
  /** Cumulative realized P&L net of fees, in quote currency. */
  value: number;
}

/** How many of the newest fills `getPnlHistory` returns (the chart's markers): a page costs the same at any journal size. */
export const PNL_HISTORY_FILLS = 2000;

/** The newest fills (at most PNL_HISTORY_FILLS), oldest first, and the cumulative realized P&L net of fees at each: the last point is the ledger's total. */
export interface PnlHistoryDto {
  points: PnlPointDto[];
  fills: FillDto[];
}

/** Realized P&L of one strategy (one row per quote currency it trades in). */
export interface PnlStrategyDto {
  account: string;
  mode: Mode;
  strategy: string;
  quote: string;
  realizedPnl: number;
  fees: number;
  /** realizedPnl - fees. */
  net: number;
  fills: number;
  /** Markets where it holds a position now. */
  openPositions: number;
}

/** Realized P&L of one UTC day (per quote currency). */
export interface PnlDayDto {
  /** `YYYY-MM-DD` (UTC). */
  day: string;
  quote: string;
  realizedPnl: number;
  fees: number;
  net: number;
  fills: number;
}

export interface PnlSummaryDto {
  byStrategy: PnlStrategyDto[];
  /** Oldest first, days with fills only. */
  byDay: PnlDayDto[];
}

/** A trade export (`exportTrades`): the file's name, type and text, ready to download. */
export interface TradeExportDto {
  filename: string;
  contentType: string;
  content: string;
  /** Fills (or strategies, for a summary) in the file. */
  rows: number;
}
