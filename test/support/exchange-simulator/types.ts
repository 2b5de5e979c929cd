/** Public types of the exchange simulator. */
import type { FuturesOptions } from './futures-types.js';

export type NumberLike = number | string;

/** One spot market as the simulator lists it in /api/v3/exchangeInfo. */
export interface MarketSpec {
  symbol: string; // Binance id, e.g. "BTCUSDT"
  baseAsset: string;
  quoteAsset: string;
  tickSize: NumberLike;
  minPrice?: NumberLike; // default = tickSize
  maxPrice?: NumberLike; // default 1000000
  stepSize: NumberLike;
  minQty: NumberLike;
  maxQty?: NumberLike; // default 9000
  minNotional: NumberLike;
  maxNotional?: NumberLike; // default 9000000
  status?: 'TRADING' | 'BREAK' | 'HALT';
  /** Initial last price. */
  price?: NumberLike;
}

export interface Credentials {
  apiKey: string;
  secret: string;
}

export interface SimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (an ephemeral port). */
  port?: number;
  /** Added to every request before it is processed (benchmarks use 150). */
  latencyMs?: number;
  /** Accepted API keys; default [{ apiKey: DEFAULT_API_KEY, secret: DEFAULT_SECRET }]. */
  credentials?: Credentials[];
  /** Initial free balances per asset; default { USDT: 10000, BTC: 1, ETH: 10 }. */
  balances?: Record<string, NumberLike>;
  /** Markets; default DEFAULT_MARKETS (BTCUSDT, ETHUSDT, SOLUSDT, BNBUSDT, ETHBTC, XRPUSDT). */
  markets?: MarketSpec[];
  /** Initial last prices, overriding the markets' own. */
  prices?: Record<string, NumberLike>;
  /** Trading fee rate taken in the received asset; default 0.001 (0.1 %). */
  feeRate?: NumberLike;
  /** Maker fee rate for resting limit orders that fill later; default = feeRate. */
  makerFeeRate?: NumberLike;
  /** The server clock runs this many ms ahead of the machine's (negative: behind). Default 0. */
  clockOffsetMs?: number;
  /** First orderId handed out; default 1000. */
  firstOrderId?: number;
  /** Max kept request-log entries; default 10000. */
  maxLogEntries?: number;
  /** The USDⓈ-M perpetual futures side (fapi endpoints, same origin); defaults in FuturesOptions. */
  futures?: FuturesOptions;
}

export type FaultKind =
  | 'latency' // add `ms` before the request is processed, then answer normally
  | 'http500' // answer 500 with a Binance-style body (default -1001 Internal error)
  | 'http503' // answer 503 (default -1007 "Timeout waiting for response from backend server...")
  | 'http429' // answer 429 -1003 with Retry-After
  | 'http418' // answer 418 -1003 (IP ban) with Retry-After
  | 'drop' // destroy the socket without an answer
  | 'acceptThenTimeout' // EXECUTE the request, then never answer (or destroy the socket after `ms`)
  | 'clockSkew' // answer 400 -1021 "Timestamp for this request is outside of the recvWindow."
  | 'exchangeError'; // answer with the exchange's own error `code` (and `msg`), as that exchange sends errors

export interface FaultSpec {
  kind: FaultKind;
  /** HTTP method to match (case-insensitive); default any. */
  method?: string;
  /** Path to match: exact string (e.g. "/api/v3/order") or a RegExp; default any. */
  path?: string | RegExp;
  /** How many matching requests it applies to; default 1. Use Infinity for "until removed". */
  times?: number;
  /** latency: ms to add. acceptThenTimeout: destroy the socket after this many ms (default: hold until the client gives up). */
  ms?: number;
  /** http429/http418: Retry-After seconds; default 1. */
  retryAfterSec?: number;
  /** http5xx/429/418: replace the body (an object is JSON-encoded, a string is sent as text/plain). */
  body?: string | Record<string, unknown>;
  /** drop/http5xx/exchangeError: process the request first (the order IS created), then fail. Default false. */
  execute?: boolean;
  /** exchangeError: the exchange's code (Binance -1000, Bybit retCode 10016, OKX sCode "50001"...). */
  code?: number | string;
  /** exchangeError: the message; default the exchange's own for that code where the simulator knows it. */
  msg?: string;
}

export interface FaultHandle {
  readonly id: number;
  readonly spec: Readonly<FaultSpec>;
  /** Matching requests it still applies to. */
  remaining(): number;
  /** Requests it was applied to so far. */
  applied(): number;
  cancel(): void;
}

export interface RequestLogEntry {
  seq: number;
  method: string;
  path: string;
  /** Request parameters (query + form body), without `signature`. */
  params: Record<string, string>;
  /** Arrival time (ms since epoch, machine clock). */
  time: number;
  /** HTTP status sent; undefined while pending; 0 when no answer was sent (dropped / held). */
  status?: number;
  /** Binance error code of the answer, if any. */
  code?: number;
  fault?: FaultKind;
  durationMs?: number;
}

export interface Counters {
  requests: number;
  /** Keyed "METHOD /path". */
  byRoute: Record<string, number>;
  /** Applied faults by kind. */
  faults: Partial<Record<FaultKind, number>>;
  ordersCreated: number;
  ordersRejected: number;
  trades: number;
  /** Requests refused because of setReachable(false). */
  unreachable: number;
  notFound: number;
}

export type OrderSide = 'BUY' | 'SELL';
export type OrderType = 'LIMIT' | 'MARKET' | 'LIMIT_MAKER' | 'STOP_LOSS' | 'STOP_LOSS_LIMIT' | 'TAKE_PROFIT' | 'TAKE_PROFIT_LIMIT';
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED' | 'REJECTED';

/** An order as the inspection API shows it (numbers for convenience). */
export interface SimOrderView {
  orderId: number;
  symbol: string;
  clientOrderId: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: string;
  status: OrderStatus;
  price: number;
  stopPrice: number;
  origQty: number;
  executedQty: number;
  cummulativeQuoteQty: number;
  origQuoteOrderQty: number;
  /** Untriggered stop orders are not working yet. */
  isWorking: boolean;
  time: number;
  updateTime: number;
  orderListId: number;
}

/** What a trade shows in the inspection API, spot (SimTradeView) or futures (FuturesTradeView). */
export interface TradeViewBase {
  id: number;
  symbol: string;
  orderId: number;
  clientOrderId: string;
  side: OrderSide;
  price: number;
  qty: number;
  quoteQty: number;
  commission: number;
  commissionAsset: string;
  time: number;
}

export interface SimTradeView extends TradeViewBase {
  isMaker: boolean;
}

export interface BalanceView {
  free: number;
  locked: number;
}
