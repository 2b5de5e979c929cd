/** Public futures market data: tickers, mark price, a synthetic order book (fapi shapes). */
import { div, fmt, mul, SCALE, ZERO } from './decimal.js';
import type { FuturesEngine } from './futures-engine.js';
import type { Params } from './order-params.js';

type Json = Record<string, unknown>;

/** `symbol` given: that one (an object); else every market (an array). */
function each(e: FuturesEngine, params: Params, build: (symbol: string) => Json): Json | Json[] {
  if (params.symbol !== undefined) return build(e.market(params.symbol).symbol);
  return e.marketList().map((m) => build(m.symbol));
}

export function futuresTicker24hr(e: FuturesEngine, params: Params, now: number): Json | Json[] {
  return each(e, params, (symbol) => {
    const last = e.price(symbol);
    const s = e.stats.get(symbol) ?? { open: last, high: last, low: last };
    const trades = e.trades.filter((t) => t.symbol === symbol);
    const volume = trades.reduce((acc, t) => acc + t.qty, ZERO);
    const quoteVolume = trades.reduce((acc, t) => acc + t.quoteQty, ZERO);
    const change = last - s.open;
    const pct = s.open > ZERO ? mul(div(change, s.open), 100n * SCALE) : ZERO;
    const lastTrade = trades[trades.length - 1];
    return {
      symbol,
      priceChange: fmt(change),
      priceChangePercent: Number(fmt(pct)).toFixed(3),
      weightedAvgPrice: fmt(volume > ZERO ? div(quoteVolume, volume) : last),
      lastPrice: fmt(last),
      lastQty: fmt(lastTrade?.qty ?? ZERO),
      openPrice: fmt(s.open),
      highPrice: fmt(s.high),
      lowPrice: fmt(s.low),
      volume: fmt(volume),
      quoteVolume: fmt(quoteVolume),
      openTime: now - 86_400_000,
      closeTime: now,
      firstId: trades[0]?.id ?? -1,
      lastId: lastTrade?.id ?? -1,
      count: trades.length,
    };
  });
}

export const futuresTickerPrice = (e: FuturesEngine, params: Params, now: number): Json | Json[] =>
  each(e, params, (symbol) => ({ symbol, price: fmt(e.price(symbol)), time: now }));

export const futuresBookTicker = (e: FuturesEngine, params: Params, now: number): Json | Json[] =>
  each(e, params, (symbol) => {
    const p = fmt(e.price(symbol));
    return { symbol, bidPrice: p, bidQty: '10.000', askPrice: p, askQty: '10.000', time: now, lastUpdateId: e.trades.length + 1 };
  });

/** Mark price = index price = last price; funding at Binance's base rate, every 8 hours. */
export const premiumIndex = (e: FuturesEngine, params: Params, now: number): Json | Json[] =>
  each(e, params, (symbol) => {
    const p = fmt(e.price(symbol));
    const eightHours = 8 * 3_600_000;
    return {
      symbol,
      markPrice: p,
      indexPrice: p,
      estimatedSettlePrice: p,
      lastFundingRate: '0.00010000',
      interestRate: '0.00010000',
      nextFundingTime: Math.ceil(now / eightHours) * eightHours,
      time: now,
    };
  });

/** Ten levels each side, one tick apart, 10 contracts each, around the last price. */
export function futuresDepth(e: FuturesEngine, params: Params, now: number): Json {
  const m = e.market(params.symbol);
  const last = e.price(m.symbol);
  const bids: string[][] = [];
  const asks: string[][] = [];
  for (let i = 1; i <= 10; i++) {
    const step = m.tickSize * BigInt(i);
    if (last - step > ZERO) bids.push([fmt(last - step), '10.000']);
    asks.push([fmt(last + step), '10.000']);
  }
  return { lastUpdateId: e.trades.length + 1, E: now, T: now, bids, asks };
}
