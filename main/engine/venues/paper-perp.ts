/**
 * Paper perpetuals (linear, settled in the quote currency, one-way mode as a Binance USDⓈ-M
 * account by default): one signed net position per account and market (in hedge mode, an
 * account setting, a long and a short position: each order names its side), isolated margin
 * (notional at entry / leverage) held from the settle currency's balance, realized P&L and fees
 * booked into it. Funding is not modelled.
 */
import type { PaperOrderRow, PaperPositionRow, PaperSide, PaperStore } from '../journal/paper.js';
import type { VenueMarket } from '../core/ports.js';
import { fmtNum } from '../market/precision.js';
import { insufficient, type BookCosts } from './paper-book.js';
import { VenueError } from './venue-error.js';

export interface PerpTerms extends BookCosts {
  /** Leverage a position opened from flat gets (it keeps it while open). */
  leverage: number;
  maintenanceMarginRate: number;
}

const EPS = 1e-12;
/** Positions sum float amounts: 12 decimals keep 0.03 - 0.02 at 0.01. */
const round12 = (n: number): number => Number(n.toFixed(12));

function flat(account: string, symbol: string, side: PaperSide, leverage: number, ts: number): PaperPositionRow {
  return { account, symbol, position_side: side, qty: 0, entry_price: 0, margin: 0, leverage, realized_pnl: 0, fees: 0, liquidation_price: null, updated_at: ts };
}

/**
 * Isolated-margin approximation of the liquidation price: the price at which the position's
 * margin plus its unrealized P&L falls to the maintenance margin (`mmr` x notional at that
 * price). Long: (entry - margin/qty) / (1 - mmr); short: (entry + margin/qty) / (1 + mmr).
 * Null when flat, or for a long whose margin covers a fall to zero (1x).
 */
export function liquidationPrice(qty: number, entry: number, margin: number, mmr: number): number | null {
  if (Math.abs(qty) < EPS) return null;
  const perUnit = margin / Math.abs(qty);
  const p = qty > 0 ? (entry - perUnit) / (1 - mmr) : (entry + perUnit) / (1 + mmr);
  return p > 0 ? p : null;
}

/**
 * How much of an order a reduce-only flag lets through, as Binance USDⓈ-M does: refused when it
 * would open or add to a position, clipped to the position when it would flip it.
 */
export function reduceOnlyAmount(pos: PaperPositionRow | null, side: 'buy' | 'sell', amount: number, symbol: string): number {
  const held = pos?.qty ?? 0;
  const reduces = side === 'buy' ? held < -EPS : held > EPS;
  if (!reduces) {
    throw new VenueError(
      'permanent',
      'InvalidOrder',
      `reduce-only ${side} of ${fmtNum(amount)} ${symbol} refused: the paper account is ${held === 0 ? 'flat' : held > 0 ? 'long' : 'short'} there, so it would open or add to a position (Binance -2022)`,
    );
  }
  return Math.min(amount, Math.abs(held));
}

/** Margin a resting, position-opening perp order holds until it fills (its fee included). */
export function openingMargin(amount: number, price: number, t: PerpTerms): number {
  return (amount * price) / t.leverage + amount * price * t.feeRate;
}

/**
 * Fills the rest of a perp order at `price` inside the caller's transaction. Throws (order and
 * balances unchanged) when the margin for the part that opens cannot be paid, or a reduce-only
 * order has nothing to reduce.
 */
export function fillPerp(store: PaperStore, o: PaperOrderRow, m: VenueMarket, price: number, t: PerpTerms, ts: number): PaperOrderRow {
  const settle = m.settle ?? m.quote;
  // Hedge mode: the order moves the side it names (its closing orders are reduce-only here).
  const pos = store.position(o.account, m.symbol, o.position_side) ?? flat(o.account, m.symbol, o.position_side, t.leverage, ts);
  let amount = o.amount - o.filled;
  if (o.reduce_only) amount = reduceOnlyAmount(pos, o.side, amount, m.symbol);
  const dir = o.side === 'buy' ? 1 : -1;
  const held = Math.abs(pos.qty);
  const closing = pos.qty * dir < -EPS ? Math.min(amount, held) : 0;
  const opening = round12(amount - closing);
  const fee = amount * price * t.feeRate;
  const pnl = closing * (price - pos.entry_price) * Math.sign(pos.qty);
  const released = held > 0 ? pos.margin * (closing / held) : 0;
  // A position opened from flat (or by a flip) takes the leverage set now; one added to keeps its own.
  const leverage = held - closing > EPS ? pos.leverage : t.leverage;
  const added = (opening * price) / leverage;

  if (o.locked > 0 && o.locked_asset) store.adjust(o.account, o.locked_asset, o.locked, -o.locked);
  const free = store.balance(o.account, settle).free;
  if (opening > 0 && free + released + pnl - fee + 1e-9 < added) {
    if (o.locked > 0 && o.locked_asset) store.adjust(o.account, o.locked_asset, -o.locked, o.locked);
    throw insufficient(settle, free + released + pnl - fee, added);
  }
  store.adjust(o.account, settle, released + pnl - fee - added, added - released);

  const remaining = round12(held - closing);
  let next: PaperPositionRow;
  if (closing > 0 && remaining > EPS) next = { ...pos, qty: round12(Math.sign(pos.qty) * remaining), margin: pos.margin - released };
  else if (closing === 0 && held > EPS) {
    // Adds to the position: the entry averages, the margin grows at the position's own leverage.
    next = { ...pos, qty: round12(pos.qty + dir * opening), entry_price: (held * pos.entry_price + opening * price) / (held + opening), margin: pos.margin + added };
  } else if (opening > EPS) next = { ...pos, qty: round12(dir * opening), entry_price: price, margin: added, leverage };
  else next = { ...pos, qty: 0, entry_price: 0, margin: 0 };
  next.realized_pnl = pos.realized_pnl + pnl;
  next.fees = pos.fees + fee;
  next.liquidation_price = liquidationPrice(next.qty, next.entry_price, next.margin, t.maintenanceMarginRate);
  next.updated_at = ts;
  store.savePosition(next);

  store.insertTrade({ order_id: o.id, amount, price, fee, fee_currency: settle, ts });
  const filled: PaperOrderRow = {
    ...o,
    status: 'closed',
    amount: o.filled + amount,
    filled: o.filled + amount,
    cost: o.cost + amount * price,
    fee: o.fee + fee,
    fee_currency: settle,
    locked: 0,
    updated_at: ts,
  };
  store.updateOrder(filled);
  return filled;
}
