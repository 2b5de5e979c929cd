/** The test API's views of the Bybit simulator's state, in numbers. */
import { toNumber, ZERO } from '../exchange-simulator/decimal.js';
import type { PositionSide } from '../exchange-simulator/futures-account.js';
import type { FuturesEngine } from '../exchange-simulator/futures-engine.js';
import type { Category } from './errors.js';
import { type Books, type BybitOrder, type BybitStatus, CLOSED, orderState, type StopOrderType } from './order-records.js';

export interface BybitOrderView {
  orderId: string;
  orderLinkId: string;
  category: Category;
  symbol: string;
  side: 'Buy' | 'Sell';
  orderType: 'Market' | 'Limit';
  status: BybitStatus;
  closed: boolean;
  /** As sent (a quote amount for a spot market order in quoteCoin). */
  qty: string;
  price: number;
  triggerPrice: number;
  stopOrderType: StopOrderType;
  reduceOnly: boolean;
  cumExecQty: number;
  cumExecValue: number;
  createdTime: number;
}

export interface BybitFillView {
  category: Category;
  symbol: string;
  orderId: string;
  orderLinkId: string;
  side: 'Buy' | 'Sell';
  price: number;
  qty: number;
  fee: number;
  feeCoin: string;
  time: number;
}

export interface BybitPositionView {
  symbol: string;
  /** Signed: negative is short. */
  size: number;
  entryPrice: number;
  leverage: number;
}

export function orderView(books: Books, r: BybitOrder): BybitOrderView {
  const s = orderState(books, r);
  return {
    orderId: r.orderId, orderLinkId: r.orderLinkId, category: r.category, symbol: r.symbol, side: r.side, orderType: r.orderType, status: s.status,
    closed: CLOSED.has(s.status), qty: r.qty, price: toNumber(r.price), triggerPrice: toNumber(r.triggerPrice), stopOrderType: r.stopOrderType,
    reduceOnly: r.reduceOnly, cumExecQty: toNumber(s.cumExecQty), cumExecValue: toNumber(s.cumExecValue), createdTime: r.createdTime,
  };
}

/** Every execution, attributed to the Bybit order it belongs to (a triggered conditional order's fills are its own). */
export function fillViews(books: Books, records: readonly BybitOrder[]): BybitFillView[] {
  const owner = new Map<string, BybitOrder>();
  for (const r of records) {
    if (r.ref.book === 'conditional') {
      const id = r.ref.id;
      const placed = books.linear.algo.orders.find((a) => a.algoId === id)?.actualOrderId;
      if (placed !== null && placed !== undefined) owner.set(`linear:${placed}`, r);
    } else {
      owner.set(`${r.ref.book}:${r.ref.id}`, r);
    }
  }
  const out: BybitFillView[] = [];
  for (const [book, trades] of [['spot', books.spot.trades], ['linear', books.linear.trades]] as const) {
    for (const t of trades) {
      const r = owner.get(`${book}:${t.orderId}`);
      out.push({
        category: book, symbol: t.symbol, orderId: r?.orderId ?? '', orderLinkId: r?.orderLinkId ?? '', side: t.side === 'BUY' ? 'Buy' : 'Sell',
        price: toNumber(t.price), qty: toNumber(t.qty), fee: toNumber(t.commission), feeCoin: t.commissionAsset, time: t.time,
      });
    }
  }
  return out.sort((a, b) => a.time - b.time);
}

/** One-way: the symbol's position; hedge mode: `LONG` (positionIdx 1) or `SHORT` (2), a short's size negative. */
export function positionView(linear: FuturesEngine, symbol: string, side: PositionSide = 'BOTH'): BybitPositionView {
  const p = linear.account.position(symbol, side);
  return { symbol, size: toNumber(p.amt), entryPrice: p.amt === ZERO ? 0 : toNumber(p.entry), leverage: p.leverage };
}
