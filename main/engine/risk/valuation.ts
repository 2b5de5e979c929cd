/**
 * Limits are in USD: a USD stablecoin counts 1:1, another quote currency (BTC for ETH/BTC) is
 * converted at its last known USD price: a fill in the journal, else the venue's ticker (a
 * read-only call). Missing: null, and the caller refuses rather than guess.
 */
import type { Journal } from '../journal/journal.js';
import type { Venue } from '../core/ports.js';
import { USD_LIKE } from '../market/money.js';
import { lastPrice } from '../journal/prices.js';

const USD_QUOTES = ['USDT', 'USDC', 'FDUSD', 'USD', 'BUSD'];

export type Rates = Map<string, number | null>;

export async function loadRates(quotes: Iterable<string>, j: Journal, venue: Venue | null): Promise<Rates> {
  const rates: Rates = new Map();
  for (const q of new Set(quotes)) {
    if (USD_LIKE.has(q)) {
      rates.set(q, 1);
      continue;
    }
    let rate: number | null = null;
    for (const u of USD_QUOTES) {
      rate = lastPrice(j, `${q}/${u}`);
      if (rate !== null) break;
    }
    if (rate === null && venue) {
      for (const u of USD_QUOTES) {
        const symbol = `${q}/${u}`;
        if (!venue.market(symbol)) continue;
        try {
          rate = await venue.lastPrice(symbol);
          break;
        } catch {
          // try the next stablecoin
        }
      }
    }
    rates.set(q, rate);
  }
  return rates;
}

/** `amount` of `currency` in USD, or null when its rate is unknown. */
export function toUsd(rates: Rates, amount: number, currency: string): number | null {
  if (USD_LIKE.has(currency)) return amount;
  const r = rates.get(currency);
  return r === null || r === undefined ? null : amount * r;
}
