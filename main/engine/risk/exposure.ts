/**
 * What a scope holds and may still buy, valued: every position (net of its strategies; in hedge
 * mode a market's long and short are two positions, added, not netted) and
 * every open entry order, at the alert's price for its own market, else the last price seen,
 * else the average entry of its strategies' positions. Read by the max total exposure and by `getLimits`.
 */
import type { VenueMarket } from '../core/ports.js';
import { lastPrice } from '../journal/prices.js';
import { quoteOf } from '../market/money.js';
import type { PlanCheck, PlannedEntry } from './limits/risk-limit.js';
import { holdings, openEntries, type Scope, type SideKey } from './risk-reads.js';
import { toUsd } from './valuation.js';

export function exposure(
  c: Pick<PlanCheck, 'journal' | 'rates' | 'contractSize'> & { market?: VenueMarket; entries?: PlannedEntry[] },
  scope: Scope,
): { total: number; unvalued: string | null; positions: { symbol: string; positionSide?: 'long' | 'short'; qty: number; value: number | null }[] } {
  // One entry per position: a market's long and short sides (hedge mode) are two, never netted.
  const byPosition = new Map<string, { symbol: string; side: SideKey; qty: number; cost: number; gross: number; limitValue: number }>();
  const at = (symbol: string, side: SideKey) => {
    const key = `${symbol}\u0000${side}`;
    let b = byPosition.get(key);
    if (!b) byPosition.set(key, (b = { symbol, side, qty: 0, cost: 0, gross: 0, limitValue: 0 }));
    return b;
  };
  for (const h of holdings(c.journal, scope)) {
    const b = at(h.symbol, h.positionSide);
    b.qty += h.qty;
    b.cost += h.cost;
    b.gross += h.gross;
  }
  for (const o of openEntries(c.journal, scope)) {
    const b = at(o.symbol, o.positionSide);
    b.qty += o.side === 'buy' ? o.remaining : -o.remaining;
    if (o.price !== null) b.limitValue += o.remaining * o.price;
  }
  let total = 0;
  let unvalued: string | null = null;
  const positions: { symbol: string; positionSide?: 'long' | 'short'; qty: number; value: number | null }[] = [];
  for (const b of byPosition.values()) {
    const { symbol } = b;
    if (b.qty === 0) continue;
    const own = c.market?.symbol === symbol ? c.entries?.[0]?.price : undefined;
    const price = own ?? lastPrice(c.journal, symbol) ?? (b.cost > 0 && b.gross > 0 ? b.cost / b.gross : null) ?? (b.limitValue > 0 ? b.limitValue / Math.abs(b.qty) : null);
    const v = price === null ? null : toUsd(c.rates, Math.abs(b.qty) * c.contractSize(symbol) * price, quoteOf(symbol));
    positions.push({ symbol, ...(b.side === 'net' ? {} : { positionSide: b.side }), qty: b.qty, value: v === null ? null : Number(v.toFixed(8)) });
    if (v === null) unvalued ??= price === null ? symbol : quoteOf(symbol);
    else total += v;
  }
  return { total, unvalued, positions };
}
