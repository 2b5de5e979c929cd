/** Perpetual market definitions, the /fapi/v1/exchangeInfo document and the order filters. */
import { type Dec, fmt, mul, toDec, ZERO } from './decimal.js';
import { futuresErrors } from './futures-errors.js';
import type { FuturesMarketSpec } from './futures-types.js';
import { type MarketBase, parseMarketBase } from './market-base.js';

/** Binance's real filters for these two (tick, step, min notional), at round prices. */
export const DEFAULT_FUTURES_MARKETS: readonly FuturesMarketSpec[] = [
  { symbol: 'BTCUSDT', baseAsset: 'BTC', quoteAsset: 'USDT', tickSize: '0.1', stepSize: '0.001', minQty: '0.001', minNotional: '100', price: '65000' },
  { symbol: 'ETHUSDT', baseAsset: 'ETH', quoteAsset: 'USDT', tickSize: '0.01', stepSize: '0.001', minQty: '0.001', minNotional: '20', price: '3200' },
];

export interface FuturesMarket extends MarketBase {
  marginAsset: string;
  status: 'TRADING' | 'SETTLING' | 'PENDING_TRADING';
  maintMarginRatio: Dec;
  pricePrecision: number;
  quantityPrecision: number;
}

/** Decimals of a step: 0.001 -> 3, 1 -> 0. */
function decimalsOf(step: Dec): number {
  const frac = fmt(step).split('.')[1] ?? '';
  return frac.replace(/0+$/, '').length;
}

export function parseFuturesMarket(spec: FuturesMarketSpec): FuturesMarket {
  const base = parseMarketBase(spec, { maxPrice: '4529764', maxQty: '1000' });
  return {
    ...base,
    marginAsset: (spec.marginAsset ?? spec.quoteAsset).toUpperCase(),
    status: spec.status ?? 'TRADING',
    maintMarginRatio: toDec(spec.maintMarginRatio ?? '0.004'),
    pricePrecision: decimalsOf(base.tickSize),
    quantityPrecision: decimalsOf(base.stepSize),
  };
}

export const FUTURES_ORDER_TYPES = ['LIMIT', 'MARKET', 'STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'] as const;

/** `100.00000000` -> `100`, as Binance writes the numbers in its messages. */
export const plain = (d: Dec): string => fmt(d).replace(/\.?0+$/, '');

function symbolInfo(m: FuturesMarket): Record<string, unknown> {
  return {
    symbol: m.symbol,
    pair: m.symbol,
    contractType: 'PERPETUAL',
    deliveryDate: 4133404800000,
    onboardDate: 1569398400000,
    status: m.status,
    maintMarginPercent: '2.5000',
    requiredMarginPercent: '5.0000',
    baseAsset: m.baseAsset,
    quoteAsset: m.quoteAsset,
    marginAsset: m.marginAsset,
    pricePrecision: m.pricePrecision,
    quantityPrecision: m.quantityPrecision,
    baseAssetPrecision: 8,
    quotePrecision: 8,
    underlyingType: 'COIN',
    underlyingSubType: [],
    triggerProtect: '0.0500',
    liquidationFee: '0.012500',
    marketTakeBound: '0.05',
    maxMoveOrderLimit: 10000,
    filters: [
      { filterType: 'PRICE_FILTER', minPrice: plain(m.minPrice), maxPrice: plain(m.maxPrice), tickSize: plain(m.tickSize) },
      { filterType: 'LOT_SIZE', stepSize: plain(m.stepSize), maxQty: plain(m.maxQty), minQty: plain(m.minQty) },
      { filterType: 'MARKET_LOT_SIZE', stepSize: plain(m.stepSize), maxQty: plain(m.maxQty), minQty: plain(m.minQty) },
      { filterType: 'MAX_NUM_ORDERS', limit: 200 },
      { filterType: 'MAX_NUM_ALGO_ORDERS', limit: 10 },
      { filterType: 'MIN_NOTIONAL', notional: plain(m.minNotional) },
      { filterType: 'PERCENT_PRICE', multiplierUp: '1.0500', multiplierDown: '0.9500', multiplierDecimal: '4' },
    ],
    orderTypes: [...FUTURES_ORDER_TYPES],
    timeInForce: ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'],
    permissionSets: ['GRID', 'COPY'],
  };
}

export function futuresExchangeInfo(markets: readonly FuturesMarket[], serverTime: number): Record<string, unknown> {
  const assets = [...new Set(markets.map((m) => m.marginAsset))];
  return {
    timezone: 'UTC',
    serverTime,
    futuresType: 'U_MARGINED',
    rateLimits: [
      { rateLimitType: 'REQUEST_WEIGHT', interval: 'MINUTE', intervalNum: 1, limit: 2400 },
      { rateLimitType: 'ORDERS', interval: 'MINUTE', intervalNum: 1, limit: 1200 },
      { rateLimitType: 'ORDERS', interval: 'SECOND', intervalNum: 10, limit: 300 },
    ],
    exchangeFilters: [],
    assets: assets.map((asset) => ({ asset, marginAvailable: true, autoAssetExchange: '-10000' })),
    symbols: markets.map(symbolInfo),
  };
}

/** Quantity filters (LOT_SIZE / MARKET_LOT_SIZE) with the futures error codes. */
export function checkFuturesQty(m: FuturesMarket, qty: Dec): void {
  if (qty <= ZERO) throw futuresErrors.qtyNotPositive();
  if (qty < m.minQty) throw futuresErrors.qtyBelowMin();
  if (qty > m.maxQty) throw futuresErrors.qtyAboveMax();
  if ((qty - m.minQty) % m.stepSize !== ZERO) throw futuresErrors.qtyStep();
}

export function checkFuturesPrice(m: FuturesMarket, price: Dec): void {
  if (price < m.minPrice) throw futuresErrors.priceBelowMin();
  if (price > m.maxPrice) throw futuresErrors.priceAboveMax(plain(m.maxPrice));
  if ((price - m.minPrice) % m.tickSize !== ZERO) throw futuresErrors.priceTick();
}

/** MIN_NOTIONAL: reduce-only orders are exempt. */
export function checkFuturesNotional(m: FuturesMarket, price: Dec, qty: Dec): void {
  if (mul(price, qty) < m.minNotional) throw futuresErrors.minNotional(plain(m.minNotional));
}
