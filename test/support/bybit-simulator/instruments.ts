/**
 * The market documents of Bybit v5: `/v5/market/instruments-info` and `/v5/market/tickers` for
 * the spot and linear (USDT perpetual) markets of the shared engines.
 */
import type { Dec } from '../exchange-simulator/decimal.js';
import type { Engine } from '../exchange-simulator/engine.js';
import type { FuturesEngine } from '../exchange-simulator/futures-engine.js';
import { type FuturesMarket, plain } from '../exchange-simulator/futures-markets.js';
import type { Market } from '../exchange-simulator/markets.js';
import type { Category } from './errors.js';

/** The highest leverage the simulated linear markets allow (Bybit's BTCUSDT allows 100). */
export const MAX_LEVERAGE = 100;

const BYBIT_STATUS: Record<string, string> = { TRADING: 'Trading', BREAK: 'Closed', HALT: 'Closed', SETTLING: 'Settling', PENDING_TRADING: 'PreLaunch' };

function spotInstrument(m: Market): Record<string, unknown> {
  return {
    symbol: m.symbol, baseCoin: m.baseAsset, quoteCoin: m.quoteAsset, innovation: '0', status: BYBIT_STATUS[m.status] ?? 'Closed',
    marginTrading: 'none', stTag: '0',
    lotSizeFilter: {
      basePrecision: plain(m.stepSize), quotePrecision: plain(m.tickSize), minOrderQty: plain(m.minQty), maxOrderQty: plain(m.maxQty),
      minOrderAmt: plain(m.minNotional), maxOrderAmt: plain(m.maxNotional),
    },
    priceFilter: { tickSize: plain(m.tickSize) },
    riskParameters: { priceLimitRatioX: '0.05', priceLimitRatioY: '0.05' },
  };
}

function linearInstrument(m: FuturesMarket, launchTime: number): Record<string, unknown> {
  return {
    symbol: m.symbol, contractType: 'LinearPerpetual', status: BYBIT_STATUS[m.status] ?? 'Closed', baseCoin: m.baseAsset, quoteCoin: m.quoteAsset,
    launchTime: String(launchTime), deliveryTime: '0', deliveryFeeRate: '', priceScale: String(m.pricePrecision),
    leverageFilter: { minLeverage: '1', maxLeverage: `${MAX_LEVERAGE}.00`, leverageStep: '0.01' },
    priceFilter: { minPrice: plain(m.minPrice), maxPrice: plain(m.maxPrice), tickSize: plain(m.tickSize) },
    lotSizeFilter: {
      maxOrderQty: plain(m.maxQty), minOrderQty: plain(m.minQty), qtyStep: plain(m.stepSize), postOnlyMaxOrderQty: plain(m.maxQty),
      maxMktOrderQty: plain(m.maxQty), minNotionalValue: plain(m.minNotional),
    },
    unifiedMarginTrade: true, fundingInterval: 480, settleCoin: m.marginAsset, copyTrading: 'both', upperFundingRate: '0.00375',
    lowerFundingRate: '-0.00375', isPreListing: false, preListingInfo: null,
  };
}

export interface MarketSources {
  spot: Engine;
  linear: FuturesEngine;
  launchTime: number;
}

/** The instruments of a category; Bybit answers an empty list for a status it has none of (PreLaunch). */
export function instrumentsInfo(src: MarketSources, category: Category, symbol: string | undefined, status: string | undefined): Record<string, unknown> {
  const list =
    category === 'spot'
      ? src.spot.marketList().filter((m) => symbol === undefined || m.symbol === symbol).map(spotInstrument)
      : src.linear.marketList().filter((m) => symbol === undefined || m.symbol === symbol).map((m) => linearInstrument(m, src.launchTime));
  const wanted = status === undefined ? list : list.filter((i) => i.status === status);
  return { category, list: wanted, nextPageCursor: '' };
}

/** One market's ticker: the last price, a one-tick spread around it, no volume. */
function ticker(symbol: string, last: Dec, tick: Dec, category: Category, now: number): Record<string, unknown> {
  const common = {
    symbol, bid1Price: plain(last - tick), bid1Size: '1', ask1Price: plain(last + tick), ask1Size: '1', lastPrice: plain(last),
    prevPrice24h: plain(last), price24hPcnt: '0', highPrice24h: plain(last), lowPrice24h: plain(last), turnover24h: '0', volume24h: '0',
  };
  if (category === 'spot') return { ...common, usdIndexPrice: plain(last) };
  return {
    ...common, indexPrice: plain(last), markPrice: plain(last), prevPrice1h: plain(last), openInterest: '0', openInterestValue: '0',
    fundingRate: '0.0001', nextFundingTime: String(now - (now % 28_800_000) + 28_800_000), predictedDeliveryPrice: '', basisRate: '',
    deliveryFeeRate: '', deliveryTime: '0', basis: '', curPreListingPhase: '',
  };
}

export function tickers(src: MarketSources, category: Category, symbol: string | undefined, now: number): Record<string, unknown> {
  const book = category === 'spot' ? src.spot : src.linear;
  const markets = book.marketList().filter((m) => symbol === undefined || m.symbol === symbol);
  return { category, list: markets.map((m) => ticker(m.symbol, book.price(m.symbol), m.tickSize, category, now)) };
}
