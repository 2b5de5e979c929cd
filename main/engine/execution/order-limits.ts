/**
 * Precision and the market's minimums, checked before anything is sent, with the numbers in the
 * message: `0.00001 BTC = 0.65 USDT is below the 5 USDT minimum`.
 */
import type { Venue, VenueMarket } from '../core/ports.js';
import { fmtNum } from '../market/precision.js';

export type Checked = { ok: true; amount: number; price: number | null } | { ok: false; code: string; message: string };

/** Rounds amount (down) and price to the market's precision, then checks min/max amount and value. */
export function checkOrder(venue: Venue, m: VenueMarket, wanted: number, price: number | null, refPrice: number): Checked {
  const amount = venue.amountToPrecision(m.symbol, wanted);
  const rounded = price === null ? null : venue.priceToPrecision(m.symbol, price);
  const unit = m.contract ? 'contracts' : m.base;
  const minAmount = m.limits.amount.min;
  if (!(amount > 0) || (minAmount !== null && amount < minAmount)) {
    const min = minAmount ?? m.precision.amount;
    return {
      ok: false,
      code: 'below_min_amount',
      message: `${fmtNum(wanted)} ${unit} is below the ${min !== null ? fmtNum(min) + ' ' + unit + ' ' : ''}minimum amount for ${m.symbol}.`,
    };
  }
  const maxAmount = m.limits.amount.max;
  if (maxAmount !== null && amount > maxAmount) {
    return { ok: false, code: 'above_max_amount', message: `${fmtNum(amount)} ${unit} is above the ${fmtNum(maxAmount)} ${unit} maximum for ${m.symbol}.` };
  }
  const at = rounded ?? refPrice;
  const notional = amount * at * (m.contractSize ?? 1);
  const minCost = m.limits.cost.min;
  if (minCost !== null && notional < minCost) {
    return {
      ok: false,
      code: 'below_min_notional',
      message: `${fmtNum(amount)} ${unit} = ${fmtNum(notional)} ${m.quote} is below the ${fmtNum(minCost)} ${m.quote} minimum order value for ${m.symbol}.`,
    };
  }
  return { ok: true, amount, price: rounded };
}
