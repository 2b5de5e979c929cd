/**
 * The paper venue's matching and money movements, inside the caller's transaction: fills move
 * balances (fees in the quote currency), resting orders trigger when a later price crosses.
 */
import type { PaperOrderRow, PaperStore } from '../journal/paper.js';
import type { VenueMarket } from '../core/ports.js';
import { fmtNum } from '../market/precision.js';
import { VenueError } from './venue-error.js';

export interface BookCosts {
  feeRate: number;
  slippageBps: number;
}

/** The price a market-like fill gets: slippage always works against the trader. */
export function slipped(price: number, side: 'buy' | 'sell', c: BookCosts): number {
  const f = c.slippageBps / 10_000;
  return side === 'buy' ? price * (1 + f) : price * (1 - f);
}

/** Fills the rest of an order at `price`; throws InsufficientFunds (order unchanged) when it cannot pay. */
export function fillOrder(store: PaperStore, o: PaperOrderRow, m: VenueMarket, price: number, c: BookCosts, ts: number): PaperOrderRow {
  const amount = o.amount - o.filled;
  const cost = amount * price;
  const fee = cost * c.feeRate;
  if (o.locked > 0 && o.locked_asset) store.adjust(o.account, o.locked_asset, o.locked, -o.locked);
  if (o.side === 'buy') {
    const free = store.balance(o.account, m.quote).free;
    if (free + 1e-9 < cost + fee) {
      if (o.locked > 0 && o.locked_asset) store.adjust(o.account, o.locked_asset, -o.locked, o.locked);
      throw insufficient(m.quote, free, cost + fee);
    }
    store.adjust(o.account, m.quote, -(cost + fee));
    store.adjust(o.account, m.base, amount);
  } else {
    const free = store.balance(o.account, m.base).free;
    if (free + 1e-12 < amount) {
      if (o.locked > 0 && o.locked_asset) store.adjust(o.account, o.locked_asset, -o.locked, o.locked);
      throw insufficient(m.base, free, amount);
    }
    store.adjust(o.account, m.base, -amount);
    store.adjust(o.account, m.quote, cost - fee);
  }
  store.insertTrade({ order_id: o.id, amount, price, fee, fee_currency: m.quote, ts });
  const filled: PaperOrderRow = {
    ...o,
    status: 'closed',
    filled: o.amount,
    cost: o.cost + cost,
    fee: o.fee + fee,
    fee_currency: m.quote,
    locked: 0,
    updated_at: ts,
  };
  store.updateOrder(filled);
  return filled;
}

/** Moves what a resting order may spend from free to used. */
export function lockFor(store: PaperStore, o: Omit<PaperOrderRow, 'id'>, m: VenueMarket, c: BookCosts): { asset: string; amount: number } {
  const asset = o.side === 'buy' ? m.quote : m.base;
  const amount = o.side === 'buy' ? o.amount * (o.price as number) * (1 + c.feeRate) : o.amount;
  return hold(store, o.account, asset, amount);
}

/** Moves `amount` of `asset` from free to used; InsufficientFunds (nothing moved) when not there. */
export function hold(store: PaperStore, account: string, asset: string, amount: number): { asset: string; amount: number } {
  const free = store.balance(account, asset).free;
  if (free + 1e-9 < amount) throw insufficient(asset, free, amount);
  store.adjust(account, asset, -amount, amount);
  return { asset, amount };
}

export function unlock(store: PaperStore, o: PaperOrderRow): void {
  if (o.locked > 0 && o.locked_asset) store.adjust(o.account, o.locked_asset, o.locked, -o.locked);
}

/**
 * Whether a resting order fills at this price, and at what price. Updates the trailing
 * watermark in `o` as a side effect.
 */
export function triggerPrice(o: PaperOrderRow, price: number, c: BookCosts): number | null {
  const buy = o.side === 'buy';
  switch (o.type) {
    case 'limit':
      return (buy ? price <= (o.price as number) : price >= (o.price as number)) ? (o.price as number) : null;
    case 'stop_loss':
      return (buy ? price >= (o.trigger_price as number) : price <= (o.trigger_price as number)) ? slipped(price, o.side, c) : null;
    case 'take_profit':
      return (buy ? price <= (o.trigger_price as number) : price >= (o.trigger_price as number)) ? slipped(price, o.side, c) : null;
    case 'trailing_stop': {
      const pct = (o.trailing_percent as number) / 100;
      o.watermark = o.watermark === null ? price : buy ? Math.min(o.watermark, price) : Math.max(o.watermark, price);
      const hit = buy ? price >= o.watermark * (1 + pct) : price <= o.watermark * (1 - pct);
      return hit ? slipped(price, o.side, c) : null;
    }
    default:
      return null;
  }
}

/** A stop that would fire at once is refused, as Binance does. */
export function wouldTriggerNow(o: Omit<PaperOrderRow, 'id'>, price: number): boolean {
  const buy = o.side === 'buy';
  const t = o.trigger_price as number;
  if (o.type === 'stop_loss' || o.type === 'stop_limit') return buy ? price >= t : price <= t;
  if (o.type === 'take_profit') return buy ? price <= t : price >= t;
  return false;
}

export function insufficient(asset: string, free: number, need: number): VenueError {
  return new VenueError(
    'permanent',
    'InsufficientFunds',
    `paper account has ${fmtNum(free)} ${asset} available, the order needs ${fmtNum(need)} ${asset}`,
  );
}
