import type { VenueMarket } from '../ports.js';

/** Defaults for markets the paper venue makes up from alert symbols. */
export interface PaperMarketDefaults {
  amountStep: number;
  priceTick: number;
  /** Minimum order value in the quote currency (Binance's is 5 USDT on most pairs). */
  minNotional: number;
}

export const PAPER_MARKET_DEFAULTS: PaperMarketDefaults = { amountStep: 1e-8, priceTick: 1e-8, minNotional: 5 };

/** A spot market (or, for `perpetual`, a linear perpetual `BASE/QUOTE:QUOTE`) with the paper defaults. */
export function paperMarket(base: string, quote: string, perpetual: boolean, d: PaperMarketDefaults): VenueMarket {
  const b = base.toUpperCase();
  const q = quote.toUpperCase();
  return {
    symbol: perpetual ? `${b}/${q}:${q}` : `${b}/${q}`,
    id: perpetual ? `${b}${q}.P` : `${b}${q}`,
    base: b,
    quote: q,
    settle: perpetual ? q : null,
    type: perpetual ? 'swap' : 'spot',
    contract: perpetual,
    contractSize: perpetual ? 1 : null,
    active: true,
    precision: { amount: d.amountStep, price: d.priceTick },
    limits: { amount: { min: d.amountStep, max: null }, cost: { min: d.minNotional, max: null } },
  };
}

/** `BTC/USDT` -> [BTC, USDT, false]; `BTC/USDT:USDT` -> [BTC, USDT, true]. */
export function splitUnified(symbol: string): [string, string, boolean] | null {
  const m = /^([A-Z0-9]+)\/([A-Z0-9]+)(?::([A-Z0-9]+))?$/.exec(symbol.toUpperCase());
  if (!m) return null;
  return [m[1] as string, m[2] as string, m[3] !== undefined];
}
