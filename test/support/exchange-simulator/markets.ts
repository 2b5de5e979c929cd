/** Market definitions, the exchangeInfo document and Binance's symbol filters. */
import { type Dec, fmt, mul, toDec, ZERO } from './decimal.js';
import { errors } from './errors.js';
import { type MarketBase, parseMarketBase } from './market-base.js';
import type { MarketSpec } from './types.js';

export const DEFAULT_MARKETS: readonly MarketSpec[] = [
  { symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', tickSize: '0.01', stepSize: '0.00001', minQty: '0.00001', minNotional: '5', price: '65000' },
  { symbol: 'ETHUSDT', baseAsset: 'ETH', quoteAsset: 'USDT', tickSize: '0.01', stepSize: '0.0001', minQty: '0.0001', minNotional: '5', price: '3200' },
  { symbol: 'SOLUSDT', baseAsset: 'SOL', quoteAsset: 'USDT', tickSize: '0.01', stepSize: '0.001', minQty: '0.001', minNotional: '5', price: '150' },
  { symbol: 'BNBUSDT', baseAsset: 'BNB', quoteAsset: 'USDT', tickSize: '0.01', stepSize: '0.001', minQty: '0.001', minNotional: '5', price: '580' },
  { symbol: 'XRPUSDT', baseAsset: 'XRP', quoteAsset: 'USDT', tickSize: '0.0001', stepSize: '0.1', minQty: '0.1', minNotional: '5', price: '0.52' },
  { symbol: 'ETHBTC', baseAsset: 'ETH', quoteAsset: 'BTC', tickSize: '0.00001', stepSize: '0.0001', minQty: '0.0001', minNotional: '0.0001', price: '0.04923' },
];

/** A market with every number parsed. */
export interface Market extends MarketBase {
  status: 'TRADING' | 'BREAK' | 'HALT';
  maxNotional: Dec;
}

export function parseMarket(spec: MarketSpec): Market {
  return {
    ...parseMarketBase(spec, { minPrice: spec.minPrice, maxPrice: spec.maxPrice ?? '1000000', maxQty: '9000' }),
    status: spec.status ?? 'TRADING',
    maxNotional: toDec(spec.maxNotional ?? '9000000'),
  };
}

export const ORDER_TYPES = ['LIMIT', 'LIMIT_MAKER', 'MARKET', 'STOP_LOSS', 'STOP_LOSS_LIMIT', 'TAKE_PROFIT', 'TAKE_PROFIT_LIMIT'] as const;

/** One entry of exchangeInfo.symbols, shaped like Binance's. */
export function symbolInfo(m: Market): Record<string, unknown> {
  return {
    symbol: m.symbol,
    status: m.status,
    baseAsset: m.baseAsset,
    baseAssetPrecision: 8,
    quoteAsset: m.quoteAsset,
    quotePrecision: 8,
    quoteAssetPrecision: 8,
    baseCommissionPrecision: 8,
    quoteCommissionPrecision: 8,
    orderTypes: [...ORDER_TYPES],
    icebergAllowed: true,
    ocoAllowed: true,
    otoAllowed: true,
    quoteOrderQtyMarketAllowed: true,
    allowTrailingStop: true,
    cancelReplaceAllowed: true,
    amendAllowed: true,
    isSpotTradingAllowed: true,
    isMarginTradingAllowed: false,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: fmt(m.minPrice), maxPrice: fmt(m.maxPrice), tickSize: fmt(m.tickSize) },
      { filterType: 'LOT_SIZE', minQty: fmt(m.minQty), maxQty: fmt(m.maxQty), stepSize: fmt(m.stepSize) },
      { filterType: 'ICEBERG_PARTS', limit: 10 },
      { filterType: 'MARKET_LOT_SIZE', minQty: '0.00000000', maxQty: fmt(m.maxQty), stepSize: '0.00000000' },
      { filterType: 'TRAILING_DELTA', minTrailingAboveDelta: 10, maxTrailingAboveDelta: 2000, minTrailingBelowDelta: 10, maxTrailingBelowDelta: 2000 },
      { filterType: 'PERCENT_PRICE_BY_SIDE', bidMultiplierUp: '5', bidMultiplierDown: '0.2', askMultiplierUp: '5', askMultiplierDown: '0.2', avgPriceMins: 5 },
      { filterType: 'NOTIONAL', minNotional: fmt(m.minNotional), applyMinToMarket: true, maxNotional: fmt(m.maxNotional), applyMaxToMarket: false, avgPriceMins: 5 },
      { filterType: 'MAX_NUM_ORDERS', maxNumOrders: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', maxNumAlgoOrders: 5 },
    ],
    permissions: [],
    permissionSets: [['SPOT']],
    defaultSelfTradePreventionMode: 'EXPIRE_MAKER',
    allowedSelfTradePreventionModes: ['NONE', 'EXPIRE_TAKER', 'EXPIRE_MAKER', 'EXPIRE_BOTH', 'DECREMENT'],
  };
}

export function exchangeInfo(markets: readonly Market[], serverTime: number): Record<string, unknown> {
  return {
    timezone: 'UTC',
    serverTime,
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 6000 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 100 },
      { rateLimitType: 'ORDERS', interval: 'DAY', intervalNum: 1, limit: 200000 },
      { rateLimitType: 'RAW_REQUESTS', interval: 'MINUTE', intervalNum: 5, limit: 61000 },
    ],
    exchangeFilters: [],
    symbols: markets.map(symbolInfo),
  };
}

/** LOT_SIZE: minQty <= qty <= maxQty and (qty - minQty) % stepSize == 0. */
export function checkLotSize(m: Market, qty: Dec): void {
  if (qty < m.minQty || qty > m.maxQty || (m.stepSize > ZERO && (qty - m.minQty) % m.stepSize !== ZERO)) {
    throw errors.filterFailure('LOT_SIZE');
  }
}

/** PRICE_FILTER: minPrice <= price <= maxPrice and (price - minPrice) % tickSize == 0. */
export function checkPriceFilter(m: Market, price: Dec): void {
  if (price < m.minPrice || price > m.maxPrice || (m.tickSize > ZERO && (price - m.minPrice) % m.tickSize !== ZERO)) {
    throw errors.filterFailure('PRICE_FILTER');
  }
}

/** NOTIONAL: price * qty >= minNotional (market orders use the current price). */
export function checkNotional(m: Market, price: Dec, qty: Dec, isMarket: boolean): void {
  const notional = mul(price, qty);
  if (notional < m.minNotional || (!isMarket && notional > m.maxNotional)) throw errors.filterFailure('NOTIONAL');
}
