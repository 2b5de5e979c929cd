/**
 * The per-strategy position ledger's arithmetic: average-cost accounting, signed quantity
 * (negative = short), realized P&L in the quote currency. Pure: the journal stores the result.
 */

export interface LedgerPosition {
  qty: number;
  avgEntry: number;
  realizedPnl: number;
  /** Fees paid, in the quote currency. */
  fees: number;
}

export interface LedgerFill {
  side: 'buy' | 'sell';
  amount: number;
  price: number;
  fee: number;
  feeCurrency: string | null;
}

export const FLAT: LedgerPosition = { qty: 0, avgEntry: 0, realizedPnl: 0, fees: 0 };

/** Float dust below this (relative to the traded amount) counts as zero. */
const DUST = 1e-9;

/**
 * The position after a fill (`allowShort` false for spot: the strategy's position never goes below
 * zero). A fee taken in the base asset (Binance spot buys) shrinks what was
 * received, so the ledger holds what the account really holds and a later close sells exactly that.
 */
export function applyFill(pos: LedgerPosition, fill: LedgerFill, base: string, quote: string, allowShort = true): LedgerPosition {
  const feeInBase = fill.feeCurrency === base ? fill.fee : 0;
  const feeInQuote = fill.feeCurrency === base ? fill.fee * fill.price : fill.feeCurrency === quote || !fill.feeCurrency ? fill.fee : 0;
  const delta = fill.side === 'buy' ? fill.amount - feeInBase : -(fill.amount + feeInBase);
  let { qty, avgEntry, realizedPnl } = pos;

  if (qty === 0 || Math.sign(qty) === Math.sign(delta)) {
    const next = qty + delta;
    avgEntry = (avgEntry * Math.abs(qty) + fill.price * Math.abs(delta)) / Math.abs(next);
    qty = next;
  } else {
    const closing = Math.min(Math.abs(delta), Math.abs(qty));
    realizedPnl += closing * (fill.price - avgEntry) * Math.sign(qty);
    const rest = Math.abs(delta) - closing;
    qty += Math.sign(delta) * closing;
    if (rest > DUST * fill.amount && (allowShort || delta > 0)) {
      qty = Math.sign(delta) * rest;
      avgEntry = fill.price;
    }
  }
  // Spot: selling more than the strategy bought sells the account's other coins, not a short.
  if (!allowShort && qty < 0) qty = 0;
  if (Math.abs(qty) <= DUST * Math.max(fill.amount, 1e-12)) qty = 0;
  if (qty === 0) avgEntry = 0;
  return { qty: clean(qty), avgEntry: clean(avgEntry), realizedPnl: clean(realizedPnl), fees: clean(pos.fees + feeInQuote) };
}

function clean(n: number): number {
  return Number(n.toPrecision(12));
}
