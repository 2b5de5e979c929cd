/** Public types of the simulator's Binance USDⓈ-M perpetual futures (the `fapi` endpoints). */
import type { NumberLike, OrderSide, TradeViewBase } from './types.js';

/** One perpetual as the simulator lists it in /fapi/v1/exchangeInfo (ccxt symbol `BASE/QUOTE:MARGIN`). */
export interface FuturesMarketSpec {
  symbol: string; // Binance id, e.g. "BTCUSDT"
  baseAsset: string;
  quoteAsset: string;
  /** The settle currency; default quoteAsset. */
  marginAsset?: string;
  tickSize: NumberLike;
  stepSize: NumberLike;
  minQty: NumberLike;
  maxQty?: NumberLike; // default 1000
  /** MIN_NOTIONAL filter (reduce-only orders are exempt, as on Binance). */
  minNotional: NumberLike;
  status?: 'TRADING' | 'SETTLING' | 'PENDING_TRADING';
  /** Maintenance margin ratio of the first (only) leverage bracket; default 0.004. */
  maintMarginRatio?: NumberLike;
  /** Initial last (= mark) price. */
  price?: NumberLike;
}

export interface FuturesOptions {
  /** Default DEFAULT_FUTURES_MARKETS (BTCUSDT, ETHUSDT perpetuals). */
  markets?: FuturesMarketSpec[];
  /** Initial last (= mark) prices, overriding the markets' own. */
  prices?: Record<string, NumberLike>;
  /** Futures wallet balances per margin asset; default { USDT: 10000 }. */
  balances?: Record<string, NumberLike>;
  /** Taker fee rate, charged in the margin asset; default 0.0005 (Binance's 0.05 %). */
  takerFeeRate?: NumberLike;
  /** Maker fee rate for resting limit orders that fill later; default 0.0002. */
  makerFeeRate?: NumberLike;
  /** Initial leverage of every symbol; default 20. */
  leverage?: number;
}

export type FuturesOrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED';
/** Who placed an order: the API, or a test hook standing for a manual trade or a liquidation. */
export type FuturesOrderOrigin = 'api' | 'manual' | 'liquidation';

export interface FuturesOrderView {
  orderId: number;
  symbol: string;
  clientOrderId: string;
  side: OrderSide;
  type: 'LIMIT' | 'MARKET';
  timeInForce: string;
  status: FuturesOrderStatus;
  price: number;
  avgPrice: number;
  origQty: number;
  executedQty: number;
  cumQuote: number;
  reduceOnly: boolean;
  positionSide: 'BOTH' | 'LONG' | 'SHORT';
  origin: FuturesOrderOrigin;
  time: number;
  updateTime: number;
}

export interface FuturesTradeView extends TradeViewBase {
  realizedPnl: number;
  maker: boolean;
}

/** One signed position per symbol (negative: short) in one-way mode (BOTH), one per side in hedge mode. */
export interface FuturesPositionView {
  symbol: string;
  positionSide: 'BOTH' | 'LONG' | 'SHORT';
  positionAmt: number;
  entryPrice: number;
  markPrice: number;
  unrealizedProfit: number;
  notional: number;
  leverage: number;
  marginType: 'cross' | 'isolated';
}

export interface FuturesWalletView {
  /** Deposits + realized P&L - fees: what the reconciliation compares. */
  walletBalance: number;
  unrealizedProfit: number;
  /** walletBalance + unrealizedProfit. */
  marginBalance: number;
  initialMargin: number;
  availableBalance: number;
}

/** A change of a position outside the API: a manual trade (web/app) or a liquidation. */
export interface PositionAdjustment {
  /** Fill price; default the current mark price. */
  price?: NumberLike;
  /** Fee (or liquidation clearance fee) in the margin asset; default the taker fee on the notional. */
  fee?: NumberLike;
  /** 'liquidation' must reduce the position and never flip it. Default 'manual'. */
  kind?: 'manual' | 'liquidation';
}

export interface FuturesSeedOrder {
  symbol: string;
  side: OrderSide;
  type: 'LIMIT' | 'MARKET';
  quantity: NumberLike;
  price?: NumberLike;
  timeInForce?: 'GTC' | 'IOC' | 'FOK' | 'GTX';
  reduceOnly?: boolean;
  positionSide?: 'BOTH' | 'LONG' | 'SHORT';
  clientOrderId?: string;
}

export type FuturesAlgoStatus = 'NEW' | 'CANCELED' | 'TRIGGERING' | 'TRIGGERED' | 'FINISHED' | 'REJECTED' | 'EXPIRED';

/** A conditional order of the Algo Service (POST /fapi/v1/algoOrder). */
export interface FuturesAlgoOrderView {
  algoId: number;
  clientAlgoId: string;
  orderType: 'STOP_MARKET' | 'TAKE_PROFIT_MARKET' | 'STOP' | 'TAKE_PROFIT' | 'TRAILING_STOP_MARKET';
  symbol: string;
  side: OrderSide;
  /** 0 with closePosition. */
  quantity: number;
  price: number;
  /** 0 for a trailing stop. */
  triggerPrice: number;
  callbackRate: number;
  reduceOnly: boolean;
  positionSide: 'BOTH' | 'LONG' | 'SHORT';
  closePosition: boolean;
  /** TRIGGERED while the order it placed rests, FINISHED once that order is done. */
  algoStatus: FuturesAlgoStatus;
  /** The plain order it placed when triggered. */
  actualOrderId: number | null;
  createTime: number;
  updateTime: number;
  triggerTime: number;
}
