/** Prices the journal knows: the last fill of a market, else the paper venue's last alert price. */
import type { Journal } from './journal.js';
import { prepared } from './statement-cache.js';

/** The last price seen for a symbol: its latest fill (any account), else the paper venue's last alert price. */
export function lastPrice(j: Journal, symbol: string): number | null {
  const fill = prepared(j.db, `SELECT price FROM fills WHERE symbol = ? ORDER BY ts DESC, id DESC LIMIT 1`).get(symbol) as { price: number } | undefined;
  if (fill) return fill.price;
  return j.paper.price(symbol)?.price ?? null;
}
