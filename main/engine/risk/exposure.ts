/**
 * What a scope holds and may still buy, valued: every position (net of its strategies) and
 * every open entry order, at the alert's price for its own market, else the last price seen,
 * else the position's average entry. Read by the max total exposure and by `getLimits`.
 */
import type { VenueMarket } from '../core/ports.js';
import { lastPrice } from '../journal/prices.js';
import { quoteOf } from '../market/money.js';
import type { PlanCheck, PlannedEntry } from './limits/risk-limit.js';
import { holdings, openEntries, type Scope } from './risk-reads.js';
import { toUsd } from './valuation.js';

export function exposure(
  c: Pick<PlanCheck, 'journal' | 'rates' | 'contractSize'> & { market?: VenueMarket; entries?: PlannedEntry[] },
  scope: Scope,
): { total: number; unvalued: string | null; positions: { symbol: string; qty: number; value: number | null }[] } {
  const bySymbol = new Map<string, { qty: number; cost: number; limitValue: number }>();
  for (const h of holdings(c.journal, scope)) bySymbol.set(h.symbol, { qty: h.qty, cost: h.cost, limitValue: 0 });
  for (const o of openEntries(c.journal, scope)) {
    const b = bySymbol.get(o.symbol) ?? { qty: 0, cost: 0, limitValue: 0 };
    b.qty += o.side === 'buy' ? o.remaining : -o.remaining;
    if (o.price !== null) b.limitValue += o.remaining * o.price;
    bySymbol.set(o.symbol, b);
  }
  let total = 0;
  let unvalued: string | null = null;
  const positions: { symbol: string; qty: number; value: number | null }[] = [];
  for (const [symbol, b] of bySymbol) {
    if (b.qty === 0) continue;
    const own = c.market?.symbol === symbol ? c.entries?.[0]?.price : undefined;
    const price = own ?? lastPrice(c.journal, symbol) ?? (b.cost > 0 ? b.cost / Math.abs(b.qty) : null) ?? (b.limitValue > 0 ? b.limitValue / Math.abs(b.qty) : null);
    const v = price === null ? null : toUsd(c.rates, Math.abs(b.qty) * c.contractSize(symbol) * price, quoteOf(symbol));
    positions.push({ symbol, qty: b.qty, value: v === null ? null : Number(v.toFixed(8)) });
    if (v === null) unvalued ??= price === null ? symbol : quoteOf(symbol);
    else total += v;
  }
  return { total, unvalued, positions };
}
