/** The order and trade queries the spot (/api/v3) and futures (/fapi/v1) fronts answer alike. */
import { errors } from './errors.js';
import { integerParam, optional, type Params, readOrderRef, required } from './order-params.js';

/** What the queries need of an engine's book. */
export interface QueryableBook<M, O, T> {
  readonly orders: O[];
  readonly trades: T[];
  market(symbol: string | undefined): M;
  find(symbol: string, orderId?: number, origClientOrderId?: string): O | undefined;
  openOrders(symbol?: string): O[];
}

interface Listed {
  symbol: string;
  orderId: number;
  time: number;
}

/** The `limit` parameter: `dflt` when absent, clamped to 1..maxLimit. */
export function limitOf(params: Params, dflt: number, maxLimit: number): number {
  const limit = integerParam(params, 'limit') ?? dflt;
  return Math.max(1, Math.min(limit, maxLimit));
}

/** startTime/endTime/fromId-style filtering shared by allOrders and myTrades (spot and futures). */
export function timeWindow<T extends { time: number }>(items: T[], params: Params, idOf: (x: T) => number, fromKey: string): T[] {
  const start = integerParam(params, 'startTime');
  const end = integerParam(params, 'endTime');
  const fromId = integerParam(params, fromKey);
  let out = items.filter((x) => (start === undefined || x.time >= start) && (end === undefined || x.time <= end));
  if (fromId !== undefined) out = out.filter((x) => idOf(x) >= fromId);
  const limit = limitOf(params, 500, 1000);
  // With a time window Binance returns the oldest first; without one, the most recent `limit`.
  return start !== undefined || fromId !== undefined ? out.slice(0, limit) : out.slice(-limit);
}

/** GET order: by orderId or origClientOrderId; -2013 when there is no such order. */
export function queryOrder<M, O, T>(book: QueryableBook<M, O, T>, params: Params): O {
  const ref = readOrderRef(params);
  book.market(ref.symbol);
  const order = book.find(ref.symbol, ref.orderId, ref.origClientOrderId);
  if (!order) throw errors.orderDoesNotExist();
  return order;
}

/** GET openOrders: of one (listed) symbol, or of every symbol. */
export function queryOpenOrders<M, O, T>(book: QueryableBook<M, O, T>, params: Params): O[] {
  const symbol = optional(params, 'symbol');
  if (symbol !== undefined) book.market(symbol);
  return book.openOrders(symbol);
}

/** GET allOrders: one symbol's orders in the time window. */
export function queryAllOrders<M, O extends Listed, T>(book: QueryableBook<M, O, T>, params: Params): O[] {
  const symbol = required(params, 'symbol');
  book.market(symbol);
  const orders = book.orders.filter((o) => o.symbol === symbol);
  return timeWindow(orders, params, (o) => o.orderId, 'orderId');
}

/** GET myTrades / userTrades: one symbol's trades (of one orderId, if given) in the time window, and its market. */
export function queryTrades<M, O, T extends Listed & { id: number }>(book: QueryableBook<M, O, T>, params: Params): { market: M; trades: T[] } {
  const symbol = required(params, 'symbol');
  const market = book.market(symbol);
  const orderId = integerParam(params, 'orderId');
  const trades = book.trades.filter((t) => t.symbol === symbol && (orderId === undefined || t.orderId === orderId));
  return { market, trades: timeWindow(trades, params, (t) => t.id, 'fromId') };
}
