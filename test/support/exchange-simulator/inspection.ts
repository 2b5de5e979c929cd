/** The order and trade lookups of the test API, the same for the spot and the futures book. */
import { toNumber } from './decimal.js';
import type { BookOrder, BookTrade } from './order-book.js';
import type { TradeViewBase } from './types.js';

interface Inspectable<O, T> {
  readonly orders: O[];
  readonly trades: T[];
  byId(orderId: number): O | undefined;
  openOrders(symbol?: string): O[];
}

export interface Inspection<OV, TV> {
  orders(): OV[];
  order(orderId: number): OV | undefined;
  ordersByClientId(clientOrderId: string): OV[];
  openOrders(symbol?: string): OV[];
  trades(): TV[];
}

/** A trade in numbers: the shared fields, then `extra`, then its time. */
export function tradeView<X extends object>(t: BookTrade, extra: X): TradeViewBase & X {
  return {
    id: t.id, symbol: t.symbol, orderId: t.orderId, clientOrderId: t.clientOrderId, side: t.side, price: toNumber(t.price),
    qty: toNumber(t.qty), quoteQty: toNumber(t.quoteQty), commission: toNumber(t.commission), commissionAsset: t.commissionAsset,
    ...extra, time: t.time,
  };
}

/** Orders (all, by id, by client id, open) and trades of a book, as views. */
export function inspect<O extends BookOrder, T extends BookTrade, OV, TV>(
  book: Inspectable<O, T>, orderView: (o: O) => OV, toTradeView: (t: T) => TV,
): Inspection<OV, TV> {
  return {
    orders: () => book.orders.map(orderView),
    order: (orderId) => {
      const o = book.byId(orderId);
      return o ? orderView(o) : undefined;
    },
    ordersByClientId: (id) => book.orders.filter((o) => o.clientOrderId === id).map(orderView),
    openOrders: (symbol) => book.openOrders(symbol?.toUpperCase()).map(orderView),
    trades: () => book.trades.map(toTradeView),
  };
}
