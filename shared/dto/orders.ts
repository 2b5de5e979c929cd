/**
 * Orders as the journal records them, and their fills.
 * Data shapes that cross the engine boundary: plain JSON, no classes, no Dates.
 */
import type { Mode } from './mode.js';

export interface OrderDto {
  clientOrderId: string;
  alertId: string;
  leg: number;
  account: string;
  mode: Mode;
  exchange: string;
  strategy: string;
  symbol: string;
  side: string;
  type: string;
  amount: number;
  /** The limit price; for a trigger order without one (stop-market, stop-loss), its trigger. */
  price: number | null;
  /** The trigger of a stop / stop-limit / stop-loss / take-profit order; null for plain orders. */
  triggerPrice?: number | null;
  purpose: string;
  status: string;
  exchangeOrderId: string | null;
  filled: number;
  average: number | null;
  errorCode: string | null;
  errorMessage: string | null;
  attempts: number;
  createdAt: number;
  sentAt: number | null;
  updatedAt: number;
}

/** One fill of an order as an event carries it (the journal's row is FillDto). */
export interface OrderFillDto {
  amount: number;
  price: number;
  fee: number;
  feeCurrency: string | null;
}

export interface FillDto {
  id: number;
  clientOrderId: string;
  tradeId: string;
  account: string;
  mode: Mode;
  strategy: string;
  symbol: string;
  side: string;
  amount: number;
  price: number;
  fee: number;
  feeCurrency: string | null;
  time: number;
}
