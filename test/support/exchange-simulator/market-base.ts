/** What spot and futures markets share: the assets and the price, quantity and notional filters. */
import { type Dec, toDec, toDecRecord } from './decimal.js';
import type { NumberLike } from './types.js';

/** A market's shared fields with every number parsed. */
export interface MarketBase {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  tickSize: Dec;
  minPrice: Dec;
  maxPrice: Dec;
  stepSize: Dec;
  minQty: Dec;
  maxQty: Dec;
  minNotional: Dec;
}

/** The spec fields both kinds of market have. */
interface SpecBase {
  symbol: string;
  baseAsset: string;
  quoteAsset: string;
  tickSize: NumberLike;
  stepSize: NumberLike;
  minQty: NumberLike;
  maxQty?: NumberLike;
  minNotional: NumberLike;
}

/** Parses the shared fields; minPrice defaults to the tick size, maxQty to `limits.maxQty`. */
export function parseMarketBase(spec: SpecBase, limits: { minPrice?: NumberLike | undefined; maxPrice: NumberLike; maxQty: NumberLike }): MarketBase {
  const tickSize = toDec(spec.tickSize);
  return {
    symbol: spec.symbol.toUpperCase(),
    baseAsset: spec.baseAsset.toUpperCase(),
    quoteAsset: spec.quoteAsset.toUpperCase(),
    tickSize,
    minPrice: limits.minPrice !== undefined ? toDec(limits.minPrice) : tickSize,
    maxPrice: toDec(limits.maxPrice),
    stepSize: toDec(spec.stepSize),
    minQty: toDec(spec.minQty),
    maxQty: toDec(spec.maxQty ?? limits.maxQty),
    minNotional: toDec(spec.minNotional),
  };
}

/** The last prices to start from: each spec's own, then `overrides` (keys upper-cased). */
export function initialPrices(specs: readonly { symbol: string; price?: NumberLike }[], overrides: Record<string, NumberLike>): Record<string, Dec> {
  const prices: Record<string, Dec> = {};
  for (const s of specs) if (s.price !== undefined) prices[s.symbol.toUpperCase()] = toDec(s.price);
  return Object.assign(prices, toDecRecord(overrides));
}
